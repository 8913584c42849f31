/**
 * Which case crashed the hub. When a liveness probe finds the hub down, every case that was in flight
 * (or ended since the hub was last seen up) is a suspect; the one whose last frame reached the hub
 * latest before the first sign of trouble is the likeliest culprit — the wire logs carry absolute times
 * for this. The runner then confirms it, where it can restart the hub, by running the suspect alone.
 */
import type { CaseResult, WireEntry } from '../reports/model/case-result.ts';
import { missedOutcome } from '../reports/model/outcomes.ts';
import type { RunFinding } from '../reports/model/run-report.ts';
import type { HubProbe } from './liveness.ts';
import { isDistress } from './liveness.ts';
import type { CaseRow } from './run-case.ts';

/** One case as the crash detective sees it: its wire log, with the absolute time it started. */
export interface CaseRecord {
  /** The case's id (its first row's). */
  id: string;
  /** performance.now() when the case started; wire entry `t` counts from here. */
  startedAt: number;
  /** Live while the case runs. */
  wire: readonly WireEntry[];
}

export interface Suspect {
  record: CaseRecord;
  /** The last entry it sent to the hub before the hub stopped answering. */
  lastSent: WireEntry;
  /** Its absolute time (performance.now() scale). */
  at: number;
}

/** Entries the harness sent to the hub: a WebSocket frame, an HTTP request, a connection attempt. */
const SENT = new Set<WireEntry['dir']>(['>', 'http>', 'open']);

const abs = (r: CaseRecord, e: WireEntry) => r.startedAt + e.t;

/** The earliest sign of trouble on any wire after `since` (absolute ms), if there is one. */
export function firstDistress(
  records: readonly CaseRecord[],
  since: number,
): { at: number; record: CaseRecord; entry: WireEntry } | undefined {
  let best: { at: number; record: CaseRecord; entry: WireEntry } | undefined;
  for (const record of records) {
    for (const entry of record.wire) {
      const at = abs(record, entry);
      if (at < since || !isDistress(entry)) continue;
      if (!best || at < best.at) best = { at, record, entry };
      break;
    }
  }
  return best;
}

/** Entries in which the hub answered normally: a frame that is no distress, an HTTP answer below 500. */
function isAnswer(e: WireEntry): boolean {
  if (e.dir === '<') return !isDistress(e);
  if (e.dir === 'http<') return /^[1-4]\d\d /.test(e.text);
  return false;
}

/**
 * Answers logged within this long after a frame was sent may have left the hub before that frame was
 * handled: the client logs a frame when it sends it, the hub handles it when its turn comes (later on
 * a loaded hub, or one that shares the harness's event loop).
 */
const IN_TRANSIT_MS = 20;

/**
 * The cases that may have sent the fatal entry, likeliest first. The fatal frame is the last one the
 * hub handled: it got no answer on its own connection, and neither did anything sent after it, while
 * frames handled before it were answered. So the suspects are each case's first entry sent in
 * `[from, until]` that its connection never got a normal answer to, and after which (less a moment
 * in transit) the hub answered nobody; the earliest first, connection attempts after frames. Frames that never get an answer (an
 * unsubscribe) are ruled out by answers to others after them. A connection opened in that window and
 * answered only with a refusal found the hub already down: not a suspect. When no entry fits, the
 * latest senders (a frame can take the hub down a moment after it arrived).
 */
export function rankSuspects(records: readonly CaseRecord[], from: number, until: number): Suspect[] {
  let lastAnswer = -Infinity;
  for (const record of records) {
    for (const entry of record.wire) {
      const at = abs(record, entry);
      if (at <= until && isAnswer(entry)) lastAnswer = Math.max(lastAnswer, at);
    }
  }
  const unanswered: Suspect[] = [];
  for (const record of records) {
    const answeredAt = new Map<string, number>();
    const refused = new Set<string>();
    for (const entry of record.wire) {
      if (isAnswer(entry)) answeredAt.set(entry.conn, abs(record, entry));
      else if (isDistress(entry)) refused.add(entry.conn);
    }
    const first = record.wire.find((entry) => {
      const at = abs(record, entry);
      if (
        !SENT.has(entry.dir) ||
        at < from ||
        at > until ||
        at < lastAnswer - IN_TRANSIT_MS ||
        (answeredAt.get(entry.conn) ?? -Infinity) >= at
      )
        return false;
      // Opened, never answered but with a refusal: the hub was down already.
      return !(entry.dir === 'open' && refused.has(entry.conn) && !answeredAt.has(entry.conn));
    });
    if (first) unanswered.push({ record, lastSent: first, at: abs(record, first) });
  }
  // A frame or a request before a connection attempt: an ordinary open rarely takes a hub down, and one
  // begun in the hub's last moments may be cut short before its refusal arrives.
  const isOpen = (x: Suspect) => (x.lastSent.dir === 'open' ? 1 : 0);
  if (unanswered.length) return unanswered.sort((a, b) => isOpen(a) - isOpen(b) || a.at - b.at);
  const latest: Suspect[] = [];
  for (const record of records) {
    let last: Suspect | undefined;
    for (const entry of record.wire) {
      const at = abs(record, entry);
      if (at > until) break;
      if (SENT.has(entry.dir)) last = { record, lastSent: entry, at };
    }
    if (last) latest.push(last);
  }
  latest.sort((a, b) => b.at - a.at);
  const inWindow = latest.filter((s) => s.at >= from);
  return inWindow.length ? inWindow : latest.slice(0, 1);
}

/**
 * Whether a wire entry, logged in a crash window, is the crash's fallout: a sign of distress (a connection
 * refused, reset or closed 42xx) or an HTTP answer 5xx (a hub shutting down answers 503).
 */
export function isFallout(e: WireEntry): boolean {
  return isDistress(e) || (e.dir === 'http<' && /^5\d\d /.test(e.text));
}

/**
 * The first entry of the crash's fallout a case logged at or after `since` (absolute ms, the last moment
 * the hub was known up): what it saw then says nothing about any requirement.
 */
export function falloutSince(record: CaseRecord, since: number): WireEntry | undefined {
  return record.wire.find((e) => abs(record, e) >= since && isFallout(e));
}

/** `> ws#3 {"event":"pusher:subscribe","data":null}` */
export function entryText(e: WireEntry, max = 200): string {
  const text = e.text.length > max ? `${e.text.slice(0, max - 1)}…` : e.text;
  return `${e.dir} ${e.conn} ${text}`;
}

/** The last `n` entries a case sent by `until`, oldest first, for the culprit's reason. */
export function lastSent(record: CaseRecord, until: number, n = 3): WireEntry[] {
  return record.wire.filter((e) => SENT.has(e.dir) && abs(record, e) <= until).slice(-n);
}

/** What the runner knows when it charges a case with a crash. */
export interface CrashCharge {
  crash: RunFinding;
  /** The run whose wire shows the fatal frame. */
  record: CaseRecord;
  /** What a new client got once the hub was down. */
  probe: HubProbe;
  /** When the hub stopped answering (performance.now()). */
  diedAt: number;
  /** The entry that took it down, as far as the wire logs tell. */
  fatal: WireEntry;
}

/**
 * The culprit's rows: its first requirement missed ("hub stopped answering during this case; last frames
 * sent: …"), with the run's wire log; its other requirements blocked by the crash.
 */
export function chargedRows(rows: readonly CaseRow[], desc: string, charge: CrashCharge, replay: (id: string) => string): CaseResult[] {
  const sent = lastSent(charge.record, abs(charge.record, charge.fatal)).map((e) => entryText(e, 160));
  const durationMs = Math.round(charge.record.wire.at(-1)?.t ?? 0);
  const head = rows[0]!;
  return rows.map((row, i): CaseResult => {
    const base = { id: row.id, requirement: row.req.id, level: row.req.level, desc, durationMs };
    if (i > 0) {
      return {
        ...base,
        outcome: 'blocked',
        blockedBy: { kind: 'crash', id: charge.crash.id, case: head.id },
        reason: `not judged: the hub went down during this case (${charge.crash.id})`,
        wire: [],
        sameRunAs: head.id,
      };
    }
    return {
      ...base,
      outcome: missedOutcome(row.req.level),
      reason: `hub stopped answering during this case; last frames sent: ${sent.join(' | ') || 'none'}`,
      expected: 'the hub keeps answering: a new connection still gets pusher:connection_established, the HTTP API still answers',
      actual: `after those frames, ${charge.probe.summary}`,
      replay: replay(row.id),
      wire: [...charge.record.wire],
    };
  });
}

/** Rows of a case the run could not judge because the hub was down (`cut`: it was running when the hub died). */
export function crashBlockedRows(rows: readonly CaseRow[], desc: string, crash: RunFinding, cut: boolean): CaseResult[] {
  const culprit = crash.cases?.[0];
  const reason = cut
    ? `not judged: the hub went down while this case ran (${crash.id}${culprit ? ` during ${culprit}` : ''}) and did not come back`
    : `hub down since ${culprit ?? crash.id} (${crash.id}); not run`;
  return rows.map((row) => ({
    id: row.id,
    requirement: row.req.id,
    level: row.req.level,
    desc,
    outcome: 'blocked',
    blockedBy: { kind: 'crash', id: crash.id, ...(culprit ? { case: culprit } : {}) },
    reason,
    durationMs: 0,
    wire: [],
  }));
}

/** Two suspects whose unanswered entries are this close are named together. */
const AMBIGUOUS_MS = 20;

/** Whether running the suspect again alone confirmed it, or why that was not done. */
export type Confirmation = 'confirmed' | 'not-reproduced' | 'no-restart' | 'not-back' | 'came-back';

const UNCONFIRMED: Record<Exclude<Confirmation, 'confirmed'>, string> = {
  'not-reproduced': 'run again alone after a restart it did not take the hub down, so it may need other traffic too',
  'no-restart': 'not confirmed: without restart.command the hub cannot be brought back to run it again alone',
  'not-back': 'not confirmed: the hub did not answer again after the restart',
  'came-back': 'not confirmed: the hub came back by itself, and hubproof runs a suspect again only where it can restart the hub',
};

/** One sentence for the finding: how the culprit was picked and whether a run alone confirmed it. */
export function howIdentified(suspects: readonly Suspect[], check: Confirmation, down: string): string {
  if (check === 'confirmed') return `confirmed: run again alone after a restart, it took ${down} down again`;
  const [first, second] = suspects;
  const basis =
    suspects.length === 1
      ? 'the only case with an entry the hub never answered since it last answered anyone'
      : 'the first entry the hub never answered, with no answer to anyone after it (wire log times)';
  const close =
    second && Math.abs(second.at - first!.at) <= AMBIGUOUS_MS
      ? `; ${second.record.id} sent an unanswered entry ${Math.abs(second.at - first!.at).toFixed(1)} ms ${second.at >= first!.at ? 'after' : 'before'} it`
      : '';
  return `${basis}${close}; ${UNCONFIRMED[check]}`;
}
