/**
 * The bare server's write coalescing (`coalesce`, on in `bench` and `bench --driver`): events published in
 * one event-loop turn reach a socket in one TCP write — shown with the server in its own process, where
 * the client reads while the server writes — and coalescing changes nothing about what arrives: every
 * event once, in publish order, drops still missing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer } from '../../bench/bare-ws-server.ts';
import type { RawWsClient } from '../../load/driver/raw-ws-client.ts';
import { readCountingSubscriber, type Arrival } from '../helpers/read-counting-subscriber.ts';
import { signHttpRequest } from '../../spec/protocol/index.ts';
import { runLoad } from '../../load/run-load.ts';
import { startBareChild } from '../../bench/run-bench.ts';
import type { SpawnedTarget } from '../../cli/hub-process.ts';

let server: BareServer | undefined;
let child: SpawnedTarget | undefined;
const clients: RawWsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await server?.close();
  await child?.close();
  server = undefined;
  child = undefined;
});

/** Where a bare server listens and the app it signs for: in this process or a child. */
interface Where {
  ws: string;
  http: string;
  app: { id: string; key: string; secret: string };
}
const inProcess = (s: BareServer): Where => ({ ws: s.wsUrl, http: s.httpUrl, app: s.target().app });
const ofChild = (c: SpawnedTarget): Where => ({ ws: c.target.nodes[0]!.ws, http: c.target.nodes[0]!.http!, app: c.target.app });

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A client subscribed to `channels`; resolves once every subscription succeeded. */
async function subscriber(s: Where, channels: string[], seen: Arrival[]): Promise<void> {
  clients.push(await readCountingSubscriber(s.ws, s.app.key, channels, seen));
}

/** One signed POST publishing `name` to every channel of `channels` (the server delivers them in one turn). */
async function publish(s: Where, channels: string[], name: string): Promise<void> {
  const app = s.app;
  const path = `/apps/${app.id}/events`;
  const body = JSON.stringify({ name, channels, data: name });
  const query = signHttpRequest(app, { method: 'POST', path, body });
  const r = await fetch(`${s.http}${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  expect(r.status).toBe(200);
}

describe('bare ws server write coalescing', () => {
  it('flushes the frames corked in one loop turn, in publish order, in one read', async () => {
    child = await startBareChild(['--coalesce']);
    const where = ofChild(child);
    const seen: Arrival[] = [];
    const channels = Array.from({ length: 10 }, (_, i) => `c-${i}`);
    await subscriber(where, channels, seen);
    for (let round = 0; round < 3; round++) {
      await publish(where, channels, `e${round}`);
      await until(() => seen.length === 10 * (round + 1));
      const got = seen.slice(10 * round);
      expect(got.map((a) => JSON.parse(a.text).channel)).toEqual(channels);
      expect(new Set(got.map((a) => a.read)).size, `reads carrying round ${round}`).toBe(1);
    }
  });

  it('still delivers every event exactly once and in order to every subscriber, and a dropped event stays lost', async () => {
    server = await startBareServer({ coalesce: true, dropEvery: 5 });
    const a: Arrival[] = [];
    const b: Arrival[] = [];
    const where = inProcess(server);
    await subscriber(where, ['c-0'], a);
    await subscriber(where, ['c-0'], b);
    for (let i = 1; i <= 20; i++) await publish(where, ['c-0'], `e${i}`);
    const expected = Array.from({ length: 20 }, (_, i) => `e${i + 1}`).filter((_, i) => (i + 1) % 5 !== 0);
    await until(() => a.length === expected.length && b.length === expected.length);
    await new Promise((r) => setTimeout(r, 100));
    for (const seen of [a, b]) expect(seen.map((x) => JSON.parse(x.text).event)).toEqual(expected);
    expect(server.stats()).toMatchObject({ published: 20, dropped: 4 });
  });

  // Under load (beside other test files) this counted 16-20 arrivals out of order: publishes sent together
  // on separate HTTP connections reach the server in either order, and the tracker took a marker's `after`
  // (the highest acknowledged seq) as "every seq up to it", lower ones still in flight included.
  it('leaves the driver counting nothing lost, duplicated or out of order at a rate where turns carry several events', async () => {
    server = await startBareServer({ coalesce: true });
    const report = await runLoad({
      target: server.target(),
      scenarios: 'fanout',
      overrides: { durationS: 2, rate: 400, set: ['channels=1', 'subscribersPerChannel=4', 'warmupS=0.5', 'workers=1'] },
      driverLimits: { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 },
      progress: false,
    });
    const s = report.scenarios[0]!;
    expect(s.delivery).toMatchObject({ reach: 1, lost: 0, duplicated: 0, outOfOrder: 0, publishErrors: 0 });
    expect(s.delivery.expected).toBe(s.throughput.sent * 4);
  });
});
