/**
 * The offline history checker. Runs every check over a recorded history and returns violations, each
 * naming the requirement it breaks and carrying the minimal slice of the history around it.
 */
import { CheckFailure, type CaseContext } from '../types.ts';
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
  /** Only violations of these requirements are reported (default: all). */
  requirementIds?: readonly string[];
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
    if (options.requirementIds && !options.requirementIds.includes(v.requirement ?? requirements[kind])) return;
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
 * Judges every requirement the case proves (`ctx.requirements`) on a recorded history: violations of any
 * other requirement are not this case's to report. `found`: failures the case itself found on the same
 * run, each naming its requirement, judged together with the checker's. Throws one failure per requirement with violations,
 * each naming its requirement and kind, with up to three violations and their slices as counterexample;
 * the requirements without violations were judged too, so they pass.
 */
export function assertHistory(
  ctx: CaseContext,
  history: History | HistoryEntry[],
  options: CheckOptions & { found?: readonly CheckFailure[] } = {},
): CheckResult {
  const result = checkHistory(history, { requirementIds: ctx.requirements, ...options });
  ctx.note(
    `history: ${result.stats.events} events to ${result.stats.subscribers} subscribers on ${result.stats.channels} channels; ops ok ${result.stats.ok} / fail ${result.stats.fail} / info ${result.stats.info}; ${result.violations.length} violation(s)`,
  );
  const failures = ctx.requirements.flatMap((requirement) => {
    // A fault the case found itself on the same run (a lost tail) is reported before the checker's.
    const own = options.found?.find((f) => f.requirement === requirement);
    if (own) return [own];
    const of = result.violations.filter((v) => v.requirement === requirement);
    const first = of[0];
    if (!first) return [];
    return [
      new CheckFailure(
        `${first.requirement} (${first.kind}): ${first.message}`,
        expectedFor(first.kind),
        first.message + (of.length > 1 ? ` (+${of.length - 1} more)` : ''),
        of.slice(0, 3),
        { requirement },
      ),
    ];
  });
  const [first, ...more] = failures;
  if (first)
    throw new CheckFailure(first.message, first.expected, first.actual, first.counterexample, {
      requirement: first.requirement,
      judged: ctx.requirements,
      more,
    });
  return result;
}

function expectedFor(kind: ViolationKind): string {
  switch (kind) {
    case 'order':
      return 'each channel’s seq strictly increasing at every subscriber';
    case 'loss':
      return 'no seq skipped in a live stream';
    case 'duplicate':
      return 'each logical event once per channel (one event_id, one seq)';
    case 'history-gap':
      return 'history seqs 1, 2, 3, … without gaps, last_seq = highest seq';
    case 'recovery':
      return 'after reconnecting and reading history, every stored event once';
    case 'reach':
      return 'every subscriber receives every event broadcast while it is subscribed';
    case 'ack-missing':
      return 'every acknowledged change stored in the channel history';
    case 'failed-op-effect':
      return 'a refused request emits nothing';
    case 'causality':
      return 'causes before effects on a channel (created before conflict, Detected before Resolved)';
    case 'unpersisted':
      return 'every broadcast event persisted in history';
    case 'event-id-mismatch':
      return 'one event_id ↔ one seq and one event name';
  }
}
