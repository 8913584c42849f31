import fc from 'fast-check';
import { AgentParticipantLeft, wireEventName } from '../../../spec/schemas/sync.ts';
import { frameData } from '../../../spec/protocol/frames.ts';
import { expectApiError, parseBody, type ParticipantT } from '../../clients/sync-api.ts';
import { sleep } from '../../clients/wait.ts';
import type { PusherSocket } from '../../clients/pusher-socket.ts';
import { checkProperty } from '../../property.ts';
import { guardTimerWait } from '../../timer-guard.ts';
import type { Case, CaseContext, EffectiveTimings } from '../../types.ts';
import { expectAbsent, expectAtLeast, expectAtMost, expectEqual, expectPresent, expectStatus } from '../../verify.ts';
import { historyCount, sessionFixture, watch } from './fixtures.ts';

const LEFT = wireEventName('AgentParticipantLeft');
/** Client-side measurement allowance on top of the advertised bounds (HTTP round trip, timers). */
const SLACK_MS = 150;

/** Heartbeat cases wait out the timeout (and grace) a few times; the deadline follows the hub's timings. */
const hbTimeout = (runs: number) => (t: EffectiveTimings) => runs * (t.heartbeatTimeoutMs * 2 + t.staleGraceMs + 2000) + 5000;

function guardTimings(ctx: CaseContext): void {
  guardTimerWait(ctx, 'heartbeat_timeout', ctx.timings.heartbeatTimeoutMs);
}

/**
 * Property runs of sync/heartbeat/2: each waits out the timeout, so on a hub with a long one a single run
 * joins twice the participants instead of running twice (participants are independent; the wait is not).
 */
const heartbeatRuns = (t: EffectiveTimings): { runs: number; maxPatterns: number } =>
  t.heartbeatTimeoutMs <= 30_000 ? { runs: 2, maxPatterns: 3 } : { runs: 1, maxPatterns: 6 };

interface Pattern {
  keeper: boolean;
  /** Heartbeats before stopping (stoppers). */
  beats: number;
}

/**
 * Joins one participant per pattern; keepers heartbeat every third of the timeout for the whole run,
 * stoppers send `beats` heartbeats and go silent. Returns when every stopper's stale window is over.
 */
async function runPatterns(ctx: CaseContext, patterns: Pattern[]): Promise<void> {
  const t = ctx.timings;
  const f = await sessionFixture(ctx, { join: false });
  const watcher = await f.apis[0]!.join(f.session.session_id, 'watcher');
  const sock = await watch(ctx, f.agents[0]!, f.channel);
  trackStale(sock);
  const api = f.apis[0]!;
  const sid = f.session.session_id;
  const people: Array<{ p: Pattern; part: ParticipantT; lastStart: number; lastEnd: number }> = [];
  for (const p of patterns) {
    const start = performance.now();
    const part = await api.join(sid, p.keeper ? 'keeper' : 'stopper');
    people.push({ p, part, lastStart: start, lastEnd: performance.now() });
  }
  const every = Math.max(100, Math.floor(t.heartbeatTimeoutMs / 3));
  const endAt = performance.now() + t.heartbeatTimeoutMs + t.staleGraceMs + SLACK_MS + every * Math.max(1, ...patterns.map((p) => p.beats));
  const beats = new Map<number, number>();
  while (performance.now() < endAt) {
    // The watcher itself must not go stale while it watches.
    for (const who of [{ p: { keeper: true, beats: 0 }, part: watcher }, ...people]) {
      const n = beats.get(who.part.participant_id) ?? 0;
      if (!who.p.keeper && n >= who.p.beats) continue;
      beats.set(who.part.participant_id, n + 1);
      const start = performance.now();
      await api.heartbeat(sid, who.part.participant_id);
      const rec = people.find((x) => x.part === who.part);
      if (rec) Object.assign(rec, { lastStart: start, lastEnd: performance.now() });
    }
    await sleep(ctx, every);
  }
  for (const who of people) {
    const frame = sock.frames.find(
      (fr) =>
        fr.channel === f.channel &&
        fr.event === LEFT &&
        frameData<{ participant_id?: number }>(fr).participant_id === who.part.participant_id,
    );
    if (who.p.keeper) {
      expectAbsent(frame, 'AgentParticipantLeft', `participant ${who.part.participant_id} heartbeat every ${every} ms yet was reported`);
      continue;
    }
    expectPresent(
      frame,
      `AgentParticipantLeft {reason:"stale"} within ${t.heartbeatTimeoutMs} + ${t.staleGraceMs} ms of its last heartbeat`,
      `participant ${who.part.participant_id} went silent and was never reported stale`,
    );
    const ev = parseBody(AgentParticipantLeft, frameData(frame), 'AgentParticipantLeft');
    expectEqual(ev.reason, 'stale', `reason is ${ev.reason}`);
  }
  // Timing: when the stale reports arrived relative to each stopper's last heartbeat.
  for (const who of people.filter((x) => !x.p.keeper)) {
    const arrivedAt = staleArrival.get(sock)?.get(who.part.participant_id);
    if (arrivedAt === undefined) continue;
    const early = arrivedAt - who.lastStart;
    const late = arrivedAt - who.lastEnd;
    ctx.note(`participant ${who.part.participant_id}: stale reported ${Math.round(late)}–${Math.round(early)} ms after its last heartbeat`);
    expectAtLeast(
      early,
      t.heartbeatTimeoutMs - SLACK_MS,
      `participant ${who.part.participant_id} reported stale ${Math.round(early)} ms after its last heartbeat`,
      { unit: 'ms', bound: `heartbeat_timeout ${t.heartbeatTimeoutMs} ms less ${SLACK_MS} ms measuring slack` },
    );
    expectAtMost(
      late,
      t.heartbeatTimeoutMs + t.staleGraceMs + SLACK_MS,
      `stale report came ${Math.round(late - t.heartbeatTimeoutMs)} ms after the timeout`,
      { unit: 'ms', bound: `heartbeat_timeout ${t.heartbeatTimeoutMs} + stale_grace ${t.staleGraceMs} + ${SLACK_MS} ms measuring slack` },
    );
  }
  await api.leave(sid, watcher.participant_id).catch(() => undefined);
}

/** Arrival times of stale reports per socket, recorded as frames come in. */
const staleArrival = new WeakMap<object, Map<number, number>>();
function trackStale(sock: PusherSocket): void {
  const m = new Map<number, number>();
  staleArrival.set(sock, m);
  sock.onFrame((fr) => {
    if (fr.event !== LEFT) return;
    const pid = frameData<{ participant_id?: number }>(fr).participant_id;
    if (typeof pid === 'number' && !m.has(pid)) m.set(pid, performance.now());
  });
}

export const heartbeatCases: Case[] = [
  {
    requirement: 'sync/heartbeat/1',
    desc: 'Sends a heartbeat for an active participant; expects 204 with an empty body',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const res = await f.apis[0]!.raw({
        method: 'POST',
        path: `/api/sessions/${f.session.session_id}/participants/${f.participants[0]!.participant_id}/heartbeat`,
      });
      expectStatus(res, 204, 'heartbeat');
      expectEqual(res.text, '', 'heartbeat answered 204 with a body');
    },
  },
  {
    requirement: 'sync/heartbeat/2',
    timerBound: true,
    desc: 'Property: participants heartbeat 0–2 times and go silent (beside others that keep beating); expects AgentParticipantLeft {reason:"stale"} between heartbeat_timeout and heartbeat_timeout + stale_grace after each one’s last heartbeat',
    property: true,
    timeoutMs: (t) => hbTimeout(heartbeatRuns(t).runs)(t),
    async run(ctx: CaseContext) {
      guardTimings(ctx);
      const { runs, maxPatterns } = heartbeatRuns(ctx.timings);
      const pattern = fc.record({ keeper: fc.boolean(), beats: fc.integer({ min: 0, max: 2 }) });
      await checkProperty(
        ctx,
        fc.array(pattern, { minLength: 1, maxLength: maxPatterns }).map((ps) => [{ keeper: false, beats: 0 }, ...ps]),
        (ps, run: CaseContext) => runPatterns(run, ps),
        { maxRuns: runs, timeBudgetMs: hbTimeout(runs)(ctx.timings) - 3000 },
      );
    },
  },
  {
    requirement: 'sync/heartbeat/3',
    timerBound: true,
    desc: 'Keeps two participants heartbeating every third of heartbeat_timeout for twice the timeout; expects neither reported stale',
    timeoutMs: hbTimeout(1),
    async run(ctx: CaseContext) {
      guardTimings(ctx);
      await runPatterns(ctx, [
        { keeper: true, beats: 0 },
        { keeper: true, beats: 0 },
      ]);
    },
  },
  {
    requirement: 'sync/heartbeat/4',
    desc: 'Leaves a session, then heartbeats for that participant; expects 404 not_found and no event',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const reader = await f.apis[0]!.join(f.session.session_id, 'reader');
      const pid = f.participants[0]!.participant_id;
      await f.apis[0]!.leave(f.session.session_id, pid);
      const before = await historyCount(f.apis[0]!, f.channel);
      await expectApiError(ctx, f.apis[0]!.heartbeat(f.session.session_id, pid), 404, 'not_found', 'heartbeat after leaving');
      const after = await historyCount(f.apis[0]!, f.channel);
      expectEqual(after, before, 'the refused heartbeat emitted an event');
      ctx.note(`participant ${reader.participant_id} keeps the channel readable`);
    },
  },
  {
    requirement: 'sync/heartbeat/5',
    desc: 'Reads the advertised heartbeat_timeout_ms; reports whether it is the 120 s default (a configured value is also fine)',
    async run(ctx: CaseContext) {
      const v = ctx.hub?.timings.heartbeat_timeout_ms;
      if (v === undefined) ctx.skip('target has no GET /api/hub to advertise heartbeat_timeout_ms');
      ctx.informational(
        v === 120_000
          ? 'heartbeat_timeout is the 120 s default'
          : `heartbeat_timeout is configured to ${v} ms (the default cannot be observed on a configured hub)`,
      );
    },
  },
];
