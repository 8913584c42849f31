/**
 * The offline history checker. Runs every check over a recorded history and returns violations, each
 * naming the requirement it breaks and carrying the minimal slice of the history around it.
 */
import type { CaseContext } from '../types.ts';
import { checkCausality } from './checks-causality.ts';
import { checkCoverage } from './checks-coverage.ts';
import { checkStored } from './checks-stored.ts';
import { checkStreams } from './checks-stream.ts';
import { indexHistory } from './index-history.ts';
import type { History } from './recorder.ts';
import { VIOLATION_REQUIREMENTS } from './requirements.ts';
import type { HistoryEntry, Violation, ViolationKind } from './types.ts';

export interface CheckOptions {
  /** Override the requirement id reported per violation kind (defaults: VIOLATION_REQUIREMENTS). */
  requirements?: Partial<Record<ViolationKind, string>>;
  /** Only these kinds are reported (default: all). A case proving ordering need not fail on reach. */
  kinds?: ViolationKind[];
  /** See CoverageOptions.reachGraceMs. Default 250 ms. */
  reachGraceMs?: number;
}

export interface CheckResult {
  violations: Violation[];
  stats: { events: number; subscribers: number; channels: number; ok: number; fail: number; info: number };
}

export function checkHistory(entries: HistoryEntry[] | History, options: CheckOptions = {}): CheckResult {
  const list = Array.isArray(entries) ? entries : entries.entries;
  const requirements = { ...VIOLATION_REQUIREMENTS, ...options.requirements };
  const h = indexHistory(list);
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const report = (kind: ViolationKind, v: Omit<Violation, 'kind' | 'requirement'> & { requirement?: string }) => {
    if (options.kinds && !options.kinds.includes(kind)) return;
    // One message once: the same fault seen from two angles is reported by the first check only.
    if (seen.has(v.message)) return;
    seen.add(v.message);
    violations.push({ ...v, kind, requirement: v.requirement ?? requirements[kind] });
  };
  checkStored(h, report);
  checkStreams(h, report);
  checkCausality(h, report);
  checkCoverage(h, report, { reachGraceMs: options.reachGraceMs ?? 250 });
  const phases = h.ops.map((o) => o.done?.phase ?? 'info');
  return {
    violations,
    stats: {
      events: list.filter((e) => e.type === 'event').length,
      subscribers: new Set(list.flatMap((e) => (e.type === 'event' || e.type === 'subscribe' ? [e.subscriber] : []))).size,
      channels: new Set(list.flatMap((e) => ('channel' in e ? [e.channel] : []))).size,
      ok: phases.filter((p) => p === 'ok').length,
      fail: phases.filter((p) => p === 'fail').length,
      info: phases.filter((p) => p === 'info').length,
    },
  };
}

/**
 * Fails the case on the first violation whose requirement is `requirement` (or any, when omitted):
 * the message names the requirement; the counterexample carries up to three violations with slices.
 */
export function assertHistory(ctx: CaseContext, history: History | HistoryEntry[], options: CheckOptions & { requirement?: string } = {}): CheckResult {
  const result = checkHistory(history, options);
  const relevant = options.requirement ? result.violations.filter((v) => v.requirement === options.requirement) : result.violations;
  ctx.note(`history: ${result.stats.events} events to ${result.stats.subscribers} subscribers on ${result.stats.channels} channels; ops ok ${result.stats.ok} / fail ${result.stats.fail} / info ${result.stats.info}; ${result.violations.length} violation(s)`);
  const first = relevant[0];
  if (first) {
    ctx.fail(`${first.requirement} (${first.kind}): ${first.message}`, {
      expected: expectedFor(first.kind),
      actual: first.message + (relevant.length > 1 ? ` (+${relevant.length - 1} more)` : ''),
      counterexample: relevant.slice(0, 3),
    });
  }
  return result;
}

function expectedFor(kind: ViolationKind): string {
  switch (kind) {
    case 'order': return 'each channel’s seq strictly increasing at every subscriber';
    case 'loss': return 'no seq skipped in a live stream';
    case 'duplicate': return 'each logical event once per channel (one event_id, one seq)';
    case 'history-gap': return 'history seqs 1, 2, 3, … without gaps, last_seq = highest seq';
    case 'recovery': return 'after reconnecting and reading history, every stored event once';
    case 'reach': return 'every subscriber receives every event broadcast while it is subscribed';
    case 'ack-missing': return 'every acknowledged change stored in the channel history';
    case 'failed-op-effect': return 'a refused request emits nothing';
    case 'causality': return 'causes before effects on a channel (created before conflict, Detected before Resolved)';
    case 'unpersisted': return 'every broadcast event persisted in history';
    case 'event-id-mismatch': return 'one event_id ↔ one seq and one event name';
  }
}
