/**
 * `-e SHARD=I/N`: this k6 instance is shard I of N of one test, beside `hubproof load --shard` processes or
 * other k6 instances. It runs k6's execution segment I/N:(I+1)/N of the sequence 0,1/N,…,1 (set here, or
 * given as --execution-segment flags that must say the same), which starts exactly the sends i ≡ I mod N of
 * the whole schedule, at their times; it holds the connections k ≡ I mod N, as a Node shard does; and
 * before its scenarios start, setup() meets the other shards on the hub (load/shard-meeting.ts, the
 * protocol of load/driver/shard-barrier.ts) and waits for the agreed start.
 */
import crypto from 'k6/crypto';
import exec from 'k6/execution';
import http from 'k6/http';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import type { Scenario } from '../../scenarios/types.ts';
import { announcement, parseShardSpec, readAnnouncement, shardChannel, shardKeyText, type Shard } from '../../shard-meeting.ts';
import { connectionUrl, publish } from './pusher.ts';
import { trimSlash, type K6Target } from './target.ts';

export type { Shard };

export function shardFromEnv(): Shard | undefined {
  const raw = __ENV.SHARD;
  if (raw === undefined || raw === '') return undefined;
  const shard = parseShardSpec(raw);
  if (!shard) throw new Error(`SHARD expects I/N with 0 ≤ I < N (e.g. -e SHARD=1/2), got "${raw}"`);
  return shard;
}

const frac = (k: number, n: number): string => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);

/** k6's execution segment options for shard I of N. */
export function shardSegment(s: Shard): { executionSegment: string; executionSegmentSequence: string } {
  return {
    executionSegment: `${frac(s.index, s.count)}:${frac(s.index + 1, s.count)}`,
    executionSegmentSequence: Array.from({ length: s.count + 1 }, (_, k) => frac(k, s.count)).join(','),
  };
}

const value = (f: string): number => {
  const [a, b] = f.split('/');
  return Number(a) / (b === undefined ? 1 : Number(b));
};

/** Throws when the segment k6 runs (say from --execution-segment) is not the one SHARD names. */
export function checkSegment(s: Shard, segment: string | undefined, sequence: string | undefined): void {
  const want = shardSegment(s);
  const bounds = (segment || '0:1').split(':').map(value);
  const steps = (sequence || '')
    .split(',')
    .filter((x) => x !== '')
    .map(value);
  const even = steps.length === s.count + 1 && steps.every((x, k) => Math.abs(x - k / s.count) < 1e-9);
  if (Math.abs(bounds[0]! - s.index / s.count) > 1e-9 || Math.abs(bounds[1]! - (s.index + 1) / s.count) > 1e-9 || !even) {
    throw new Error(
      `SHARD=${s.index}/${s.count} runs execution segment ${want.executionSegment} of ${want.executionSegmentSequence}, but k6 was given ${segment || '(none)'} of ${sequence || '(none)'}: drop the --execution-segment flags or make them match`,
    );
  }
}

/** The name this run's shards meet under: the Node driver's shardKey() of the same test. */
export function shardKey(s: Scenario, targetName: string, shard: Shard, runId = ''): string {
  return crypto.sha1(shardKeyText(s, targetName, shard.count, runId), 'hex').slice(0, 12);
}

/**
 * Announces this shard on the hub until every shard of the run was heard and then until `connectS` before
 * the agreed start (wall µs, the latest proposal), and resolves with that start. This shard proposes
 * `connectS` + 1 s past its own readiness; a Node shard proposes 3 s past its own, so with `connectS` ≤ 2
 * every shard hears this one at least twice after it heard them all, and its subscribers get their
 * `connectS` before the start whoever came last.
 */
export function meetShards(t: K6Target, shard: Shard, key: string, connectS: number, waitS: number): Promise<number> {
  const node = t.nodes[0]!;
  const pusher = t.profiles.includes('pusher');
  const channel = shardChannel(key);
  const token = t.agents[0]?.token ?? '';
  const url = pusher
    ? connectionUrl(t)
    : `${trimSlash(node.ws)}/ws/broadcasts?token=${encodeURIComponent(token)}&session_id=${encodeURIComponent(channel)}`;
  const proposals = new Map<number, number>();
  let proposeUs = 0;
  let announcer: ReturnType<typeof setInterval> | undefined;
  const announce = (): void => {
    const text = announcement(key, shard, proposeUs);
    if (pusher) publish(t, channel, 'hp-shard', text);
    else
      http.post(
        `${trimSlash(node.http)}/api/presence/${channel}-${shard.index}/events`,
        JSON.stringify({ event_type: 'tool_execute', tool_name: text, feature_id: null, cost_tokens: 0, session_id: channel }),
        { headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, tags: { name: 'shard-meeting' } },
      );
  };
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let startUs = 0;
    let settled = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    // Every timer is cleared at the end: k6 ends setup() only when nothing is pending.
    const end = (): void => {
      settled = true;
      if (announcer !== undefined) clearInterval(announcer);
      if (deadline !== undefined) clearTimeout(deadline);
      ws.close();
    };
    const ready = (): void => {
      if (announcer !== undefined) return;
      proposeUs = Date.now() * 1000 + (connectS + 1) * 1e6;
      announce();
      announcer = setInterval(announce, 500);
    };
    deadline = setTimeout(() => {
      if (settled || startUs) return;
      const seen = [...proposals.keys()].sort((a, b) => a - b);
      end();
      reject(
        new Error(
          `shard ${shard.index}/${shard.count}: within ${waitS} s only shards [${seen.join(', ')}] of ${shard.count} announced themselves on the hub; start every shard of the run (same scenario, overrides and target) within SHARD_WAIT`,
        ),
      );
    }, waitS * 1000);
    ws.onopen = () => {
      if (!pusher) ready();
    };
    ws.onerror = (e) => {
      if (settled) return;
      end();
      reject(new Error(`shard meeting: cannot reach ${url}: ${String((e as { error?: string })?.error ?? 'connection error')}`));
    };
    ws.onmessage = (ev) => {
      const text = typeof ev?.data === 'string' ? ev.data : '';
      if (pusher && text.indexOf('pusher:connection_established') >= 0)
        ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel } }));
      else if (pusher && text.indexOf('pusher_internal:subscription_succeeded') >= 0) ready();
      else if (pusher && text.indexOf('"pusher:ping"') >= 0) ws.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
      const a = readAnnouncement(text, key, shard.count);
      if (!a || startUs) return;
      proposals.set(a.index, a.proposedStartUs);
      if (proposals.size < shard.count) return;
      startUs = Math.max(...proposals.values());
      // Keep announcing, for shards that have not heard this one yet, until the subscribers must connect.
      setTimeout(
        () => {
          end();
          resolve(startUs);
        },
        Math.max(0, startUs / 1000 - connectS * 1000 - Date.now()),
      );
    };
  });
}

/** Resolves at wall time `ms`. */
export const sleepUntil = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

/** The VU's index among this instance's subscriber VUs (0 … vus−1 of its segment). */
export const holdIndex = (shard: Shard | undefined): number => (shard ? exec.scenario.iterationInInstance : exec.scenario.iterationInTest);

/**
 * A send's stamp when sharded: its time on the agreed schedule (start + i / rate), as every Node shard
 * stamps its own, so the shards agree on the measured window's edge and a k6 instance that started late
 * shows it as latency rather than hiding it.
 */
export const shardStampUs = (startUs: number, rate: number, i: number): number => startUs + (i * 1e6) / rate;

/**
 * setup() of a sharded script: checks the segment, meets the other shards, and returns at the agreed start
 * less `connectS` (the subscribers' connect time before the first send), with that start. Unsharded: at once.
 */
export async function shardSetup(
  t: K6Target,
  s: Scenario,
  shard: Shard | undefined,
  o: { connectS: number; shardWaitS: number; runId: string },
): Promise<{ startUs: number }> {
  if (!shard) return { startUs: 0 };
  checkSegment(shard, exec.test.options.executionSegment, exec.test.options.executionSegmentSequence);
  if (o.connectS > 2)
    throw new Error(
      `CONNECT_S=${o.connectS}: a shard's subscribers connect in the 2 s the shards leave between meeting and starting; set CONNECT_S to 2 or less`,
    );
  const startUs = await meetShards(t, shard, shardKey(s, t.name, shard, o.runId), o.connectS, o.shardWaitS);
  await sleepUntil(startUs / 1000 - o.connectS * 1000);
  return { startUs };
}
