/** The storm's thresholds and the notes that tell its story (docs/storm.md). */
import type { DeliveryFigures, ThresholdResult } from '../report-types.ts';
import type { Thresholds } from '../scenarios/types.ts';
import type { StormFigures } from './storm-types.ts';

export function stormThresholds(t: Thresholds, f: StormFigures, d: DeliveryFigures): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  const row = (name: keyof Thresholds, label: string, comparator: ThresholdResult['comparator'], actual: number | null, unit: string) => {
    const limit = t[name];
    if (limit === undefined) return;
    const ok = actual !== null && (comparator === '<=' ? actual <= limit : comparator === '<' ? actual < limit : actual >= limit);
    out.push({ name, label, comparator, limit, actual, unit, ok });
  };
  row(
    'restoreS',
    "fleet's last subscription restored, after the hub answered again",
    '<=',
    f.restore.unrestoredSubscriptions ? null : f.restore.maxS,
    's',
  );
  row(
    'unrestored',
    `subscriptions not restored${f.restore.unrestoredSubscriptions ? ` within recoverS of the hub answering again` : ''}`,
    '<=',
    f.restore.unrestoredSubscriptions,
    '',
  );
  if (t.minReach !== undefined) {
    out.push({
      name: 'minReach',
      label: `reach across the restart (received ÷ owed)${f.events.lostSamples[0] ? `, first lost: ${f.events.lostSamples[0]}` : ''}`,
      comparator: '>=',
      limit: t.minReach,
      actual: round(d.reach),
      unit: '',
      ok: d.expected > 0 && d.reach >= t.minReach,
    });
  }
  row('maxDuplicated', 'events that arrived twice at one subscription', '<=', f.events.duplicated, '');
  row(
    'presenceWrong',
    `restored presence views that are wrong${f.presence.samples[0] ? ` (${f.presence.samples[0]})` : ''}`,
    '<=',
    f.presence.wrong,
    '',
  );
  row('maxPublishErrors', 'publishes refused or unanswered outside the outage', '<=', f.events.refusedOutside, '');
  return out;
}

/** What a reader needs to read the figures: the restart, the herd's shape, and the accounting rule. */
export function stormNotes(f: StormFigures): string[] {
  const notes = [
    `restart: ${f.restart.how}; stopped at ${f.restart.downAtS} s, answering again at ${f.restart.backAtS} s`,
    `${f.noticed.count} clients saw their connection go: p50 ${f.noticed.p50S ?? '–'} s, max ${f.noticed.maxS ?? '–'} s after the stop`,
    `${f.reconnect.count} of ${f.clients} clients reconnected: p50 ${f.reconnect.p50S ?? '–'} s, max ${f.reconnect.maxS ?? '–'} s after the hub answered again`,
  ];
  notes.push(
    `every subscription of a client restored: p50 ${f.restore.p50S ?? '–'} s, p99 ${f.restore.p99S ?? '–'} s, the fleet's last ${f.restore.maxS ?? '–'} s after the hub answered again${f.restore.unrestoredSubscriptions ? `; ${f.restore.unrestoredSubscriptions} subscriptions never restored` : ''}`,
  );
  if (f.spread.firstToLastMs !== null)
    notes.push(
      `reconnects spread over ${f.spread.firstToLastMs} ms (middle 80 % within ${f.spread.p10ToP90Ms} ms, peak ${f.spread.peakPerSecond}/s)${f.spread.lockStep ? ': the fleet came back in lock-step' : ''}`,
    );
  notes.push(
    `${f.events.refusedDuringOutage} publishes refused while the hub was down or coming back (publish errors expected of a restart, not losses); events owed: ${f.events.expected}, the rule in docs/storm.md#lost`,
  );
  return notes;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
