/**
 * pusher/cluster/7: webhooks once per cluster-wide change, tried as the race it is. Every node becomes
 * occupied at once and empties at once, so each node may believe it saw the channel's first subscriber
 * or its last; one try that comes out right proves little, so the case repeats it (--race-tries, else as
 * many tries as fit RACE_BUDGET_MS, each timed) and says how often it went wrong.
 * docs/cluster-races.md says what a pass of N tries can and cannot prove.
 */
import type { PusherSocket } from '../../clients/pusher-socket.ts';
import { sleep } from '../../clients/wait.ts';
import type { WebhookSink } from '../../clients/webhook-sink.ts';
import { CheckFailure, type Case, type CaseContext, type RunSettings } from '../../types.ts';
import { infoOf, lastNode } from './cluster-nodes.ts';
import { joinPresence, subscribed, uniq } from './helpers.ts';
import { is, LEAVE_WINDOW_MS, sinkOrUnimplemented } from './webhooks.ts';

/** What the repeated tries may take by default, beyond the first. */
export const RACE_BUDGET_MS = 30_000;
/** Fewest and most tries by default: 3 says little but costs ≤ 3 leave windows on a slow hub; 20 bounds the time on a fast one. */
export const RACE_TRIES_MIN = 3;
export const RACE_TRIES_MAX = 20;
/** What one try may take: joins, the hub's leave delay within LEAVE_WINDOW_MS, and room. */
const TRY_BOUND_MS = LEAVE_WINDOW_MS + 5_000;
/** Another node's copy of a webhook comes about as late as the first one: the wait after the last try. */
const LATE_COPY_MS = 1_000;

/**
 * Whether to try once more after `done` tries: as many as the run asks (--race-tries), else while one
 * more try, as long as the last took, still fits RACE_BUDGET_MS counted from the end of the first (the
 * first warms the connections up and is not counted), RACE_TRIES_MIN to RACE_TRIES_MAX tries.
 */
export function tryAgain(asked: number | undefined, done: number, sinceFirstMs: number, lastMs: number): boolean {
  if (asked !== undefined) return done < asked;
  if (done < RACE_TRIES_MIN) return true;
  return done < RACE_TRIES_MAX && sinceFirstMs + lastMs <= RACE_BUDGET_MS;
}

/** The case's deadline: every try at its bound; by default the first, the budget, one try past it and RACE_TRIES_MIN at the bound. */
export const raceCaseMs = (_t: unknown, run: RunSettings): number =>
  run.raceTries !== undefined
    ? run.raceTries * TRY_BOUND_MS + LATE_COPY_MS + 10_000
    : RACE_BUDGET_MS + RACE_TRIES_MIN * TRY_BOUND_MS + LATE_COPY_MS + 10_000;

/** The channels of one try: fresh names, so a late copy of an earlier try's webhook is counted where it belongs. */
interface Try {
  channel: string;
  presence: string;
}

/** A webhook event one try must cause once: its name, channel and (member events) user. */
type Wanted = [name: string, channel: string, user?: string];

const WANTED = (t: Try): Wanted[] => [
  ['channel_occupied', t.channel],
  ['channel_vacated', t.channel],
  ['member_added', t.presence, 'u1'],
  ['member_added', t.presence, 'u2'],
  ['member_removed', t.presence, 'u1'],
  ['member_removed', t.presence, 'u2'],
];

const label = (w: Wanted) => (w[2] === undefined ? w[0] : `${w[0]} ${w[2]}`);

/**
 * One try: a channel occupied from every node at once and u1 joining a presence channel on every node
 * at once (u2 on the last), then every connection closed at once; resolves when the leave webhooks came.
 */
async function oneTry(ctx: CaseContext, sink: WebhookSink, t: Try): Promise<void> {
  const last = lastNode(ctx);
  const socks: PusherSocket[] = (
    await Promise.all([
      ...ctx.target.nodes.map((node) => subscribed(ctx, t.channel, { node })),
      ...ctx.target.nodes.map(async (node) => (await joinPresence(ctx, t.presence, 'u1', infoOf('u1'), node)).sock),
      joinPresence(ctx, t.presence, 'u2', infoOf('u2'), ctx.target.nodes[last]).then((j) => j.sock),
    ])
  ).flat();
  for (const w of WANTED(t).filter(([name]) => name === 'channel_occupied' || name === 'member_added'))
    await sink.waitForEvent(is(...w), `${label(w)} for ${w[1]}`);
  await Promise.all(socks.map((s) => s.close()));
  for (const w of WANTED(t).filter(([name]) => name === 'channel_vacated' || name === 'member_removed'))
    await sink.waitForEvent(is(...w), `${label(w)} for ${w[1]}`, LEAVE_WINDOW_MS);
}

const newTry = (): Try => ({ channel: uniq(), presence: uniq('presence-') });

const times = (n: number) => (n === 0 ? 'never' : n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

export const clusterWebhookCase: Case = {
  requirement: 'pusher/cluster/7',
  exclusive: 'listens on the one webhook URL the hub posts to',
  desc: 'Occupies a channel from every node at once and joins u1 on every node at once and u2 on the last, closes them all at once, and expects one channel_occupied, one channel_vacated and one member_added and member_removed per user; repeats the race and reports how many tries went wrong',
  cluster: true,
  timeoutMs: raceCaseMs,
  async run(ctx) {
    const sink = await sinkOrUnimplemented(ctx);
    const t0 = performance.now();
    const tries: Try[] = [newTry()];
    // The first try's failure is the verdict as it stands: a webhook that never comes is no race.
    await oneTry(ctx, sink, tries[0]!);
    const took = [performance.now() - t0];
    // Later tries stop short of the deadline; a webhook that never came in one is counted ("never"), not fatal.
    const stopAt = t0 + raceCaseMs(ctx.timings, { raceTries: ctx.raceTries }) - TRY_BOUND_MS - LATE_COPY_MS - 5_000;
    const firstDone = performance.now();
    while (tryAgain(ctx.raceTries, tries.length, performance.now() - firstDone, took.at(-1)!) && performance.now() < stopAt) {
      const t = newTry();
      tries.push(t);
      const start = performance.now();
      try {
        await oneTry(ctx, sink, t);
      } catch (err) {
        if (!(err instanceof CheckFailure)) throw err;
        ctx.note(`try ${tries.length}: ${err.message}`);
      }
      took.push(performance.now() - start);
    }
    const ms = (x: number) => Math.round(x);
    const later = took.slice(1);
    ctx.note(
      `race tried ${tries.length} times (${ctx.raceTries !== undefined ? '--race-tries' : `as many as fit in ${RACE_BUDGET_MS / 1000} s after the first, ${RACE_TRIES_MIN} to ${RACE_TRIES_MAX}; --race-tries sets it`}): the first took ${ms(took[0]!)} ms${later.length ? `, the others ${ms(Math.min(...later))}–${ms(Math.max(...later))} ms` : ''}`,
    );
    await sleep(ctx, LATE_COPY_MS);
    const count = (w: Wanted) => sink.events().filter((e) => is(...w)(e.event)).length;
    const wrong = tries.flatMap((t, i) => {
      const off = WANTED(t).flatMap((w) => (count(w) === 1 ? [] : [`${label(w)} ${times(count(w))}`]));
      return off.length ? [{ i, what: off }] : [];
    });
    const asked = ctx.raceTries;
    const ran =
      asked !== undefined && tries.length < asked ? `${tries.length} (of ${asked} asked, before the case's deadline)` : `${tries.length}`;
    ctx.note(`${wrong.length} of ${ran} tries went wrong`);
    if (wrong.length === 0) return;
    // "channel_vacated twice in 2" — each way of going wrong with how many tries it happened in.
    const ways = new Map<string, number[]>();
    for (const w of wrong) for (const what of w.what) ways.set(what, [...(ways.get(what) ?? []), w.i + 1]);
    const summary = [...ways].map(([what, at]) => `${what} in ${at.length} (${at.length === 1 ? 'try' : 'tries'} ${at.join(', ')})`);
    throw new CheckFailure(
      `webhooks are not sent once per cluster-wide change: ${wrong.length} of ${ran} tries went wrong — ${summary.join('; ')} (subscriptions on ${ctx.target.nodes.length} nodes, joined and closed at once)`,
      `channel_occupied, channel_vacated, member_added and member_removed (u1, u2) once each, in every one of ${tries.length} tries`,
      wrong.map((w) => `try ${w.i + 1}: ${w.what.join(', ')}`).join('; '),
    );
  },
};
