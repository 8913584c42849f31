/**
 * The storm against the reference hub and against what breaks a fleet's return, each in front of its own
 * in-process hub, run side by side (each waits out pusher-js's 15 s connect timeout after the refused
 * reconnect, so the file takes about 20 s): a fleet that does not re-subscribe, a hub that drops events on
 * re-subscribed channels, a hub that forgets presence members after the restart. Each is caught on the
 * threshold it breaks and on nothing else; the reference hub passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../../cli/embedded-target.ts';
import { runLoad } from '../../../load/run-load.ts';
import type { FleetPatch } from '../../../load/storm/storm-fleet.ts';
import { startMutatingProxy, type MutatingProxy, type WsHooks } from '../../../selftest/kit/mutating-proxy.ts';
import type { LoadReport } from '../../../load/report-types.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };
const SMALL = ['channels=2', 'subscribersPerChannel=2', 'warmupS=1', 'durationS=2', 'rate=12', 'outageS=0.5', 'recoverS=25'];

const hubs: EmbeddedTarget[] = [];
const proxies: MutatingProxy[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(hubs.map((h) => h.dispose()));
});

/**
 * One storm: the in-process hub, behind a relay with `hooks(restarted)` when given (`restarted()` is true
 * from the moment the hub is stopped), the fleet patched with `patch`.
 */
async function storm(o: { hooks?: (restarted: () => boolean) => WsHooks; patch?: FleetPatch } = {}): Promise<LoadReport> {
  const hub = await startEmbeddedTarget({ timers: 'default', mode: 'in-process' });
  hubs.push(hub);
  let restarted = false;
  let target = hub.target;
  if (o.hooks) {
    const proxy = await startMutatingProxy({ upstream: hub.target.nodes[0]!.http, ws: o.hooks(() => restarted) });
    proxies.push(proxy);
    target = { ...hub.target, nodes: [{ http: proxy.httpUrl, ws: proxy.wsUrl }] };
  }
  return runLoad({
    target,
    embedded: 'in-process',
    outage: async (x) => {
      restarted = true;
      await hub.outage!(x);
    },
    scenarios: 'storm',
    overrides: { set: SMALL },
    driverLimits: RELAXED,
    progress: false,
    ...(o.patch ? { stormPatch: o.patch } : {}),
  });
}

/** Drops `event` frames to connections opened once the hub was stopped. */
const afterRestartDrop =
  (event: string) =>
  (restarted: () => boolean): WsHooks => {
    const late = new Set<number>();
    return {
      onOpen: (conn) => void (restarted() && late.add(conn.id)),
      fromHub: (conn, _text, json) => (late.has(conn.id) && (json as { event?: string })?.event === event ? null : undefined),
    };
  };

const breached = (r: LoadReport) => r.scenarios[0]!.thresholds.filter((t) => !t.ok).map((t) => t.name);

describe.concurrent('storm: a fleet through a hub restart', { timeout: 60_000 }, () => {
  it('passes the reference hub with real pusher-js clients, every subscription restored and nothing lost', async () => {
    const r = await storm();
    expect(r.errors).toEqual([]);
    const s = r.scenarios[0]!;
    expect(breached(r)).toEqual([]);
    expect(s.status).toBe('pass');
    const f = s.storm!;
    expect(f.restore).toMatchObject({ count: 4, unrestoredSubscriptions: 0 });
    expect(f.events.expected).toBeGreaterThan(0);
    expect(f.events).toMatchObject({ lost: 0, duplicated: 0, refusedOutside: 0 });
    expect(f.presence).toMatchObject({ checked: 4, wrong: 0 });
    expect(f.timeline.some((x) => x.down)).toBe(true);
  });

  it('fails a fleet that does not re-subscribe after the reconnect, on its unrestored subscriptions only', async () => {
    const r = await storm({ patch: (pusher) => void (pusher.subscribeAll = () => undefined) });
    const f = r.scenarios[0]!.storm!;
    expect(f.reconnect.count).toBe(4);
    expect(f.restore.unrestoredSubscriptions).toBe(12);
    expect(breached(r)).toEqual(['restoreS', 'unrestored']);
  });

  it('fails a hub that drops events on channels re-subscribed after the restart, as events lost', async () => {
    const r = await storm({ hooks: afterRestartDrop('storm') });
    const f = r.scenarios[0]!.storm!;
    expect(f.restore.unrestoredSubscriptions).toBe(0);
    expect(f.events.lost).toBeGreaterThan(0);
    expect(f.events.lostSamples[0]).toMatch(/after the subscription was confirmed/);
    expect(breached(r)).toEqual(['minReach']);
  });

  it('fails a hub that forgets presence members after the restart, on the presence views only', async () => {
    const r = await storm({ hooks: afterRestartDrop('pusher_internal:member_added') });
    const f = r.scenarios[0]!.storm!;
    expect(f.presence.wrong).toBeGreaterThan(0);
    expect(breached(r)).toEqual(['presenceWrong']);
  });
});
