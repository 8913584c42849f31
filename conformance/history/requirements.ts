/** Which requirement each kind of history violation breaks (ids from spec/requirements/sync.ts). */
import type { ViolationKind } from './types.ts';

/** Defaults per kind; a check may name a narrower id (e.g. causality/2 for Detected → Resolved). */
export const VIOLATION_REQUIREMENTS: Record<ViolationKind, string> = {
  order: 'sync/ordering/1',
  loss: 'sync/delivery/5',
  duplicate: 'sync/idempotency/5',
  'history-gap': 'sync/envelope/3',
  recovery: 'sync/delivery/4',
  reach: 'sync/delivery/5',
  'ack-missing': 'sync/history/1',
  'failed-op-effect': 'sync/errors/5',
  causality: 'sync/causality/1',
  unpersisted: 'sync/delivery/1',
  'event-id-mismatch': 'sync/history/2',
};
