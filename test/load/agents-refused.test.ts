/**
 * The agents scenario through a relay that keeps every 4th create-todo request from the hub (it answers
 * 404 from a path the hub does not serve): those todos never exist, so they are request errors, and reach
 * counts only the todos the hub accepted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../cli/embedded-target.ts';
import { runLoad } from '../../load/run-load.ts';
import { startMutatingProxy, type MutatingProxy } from '../../selftest/kit/mutating-proxy.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };

let hub: EmbeddedTarget | undefined;
let proxy: MutatingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await hub?.dispose();
  proxy = undefined;
  hub = undefined;
});

describe('agents scenario against a hub that refuses some creates', () => {
  it('counts a refused create as a request error, never as a todo the hub failed to deliver', async () => {
    hub = await startEmbeddedTarget({ timers: 'fast', mode: 'in-process' });
    let creates = 0;
    proxy = await startMutatingProxy({
      upstream: hub.target.nodes[0]!.http,
      http: {
        request(req) {
          if (req.method === 'POST' && /\/todos$/.test(req.url) && ++creates % 4 === 0) req.url = '/refused-by-the-relay';
        },
      },
    });
    const report = await runLoad({
      target: { ...hub.target, nodes: [{ http: proxy.httpUrl, ws: proxy.wsUrl }] },
      scenarios: 'agents',
      overrides: {
        durationS: 2,
        rate: 2,
        set: ['channels=2', 'subscribersPerChannel=3', 'warmupS=0.5', 'burstsPerS=0', 'todosPerS=2', 'thresholds.conflictP99Ms=off'],
      },
      driverLimits: RELAXED,
      progress: false,
    });
    expect(report.errors).toEqual([]);
    const s = report.scenarios[0]!;
    expect(s.delivery.publishErrors).toBeGreaterThan(0);
    expect(s.delivery.publishErrorSamples[0]).toMatch(/^create todo → 404 /);
    expect(s.delivery).toMatchObject({ reach: 1, lost: 0 });
    expect(s.delivery.expected).toBeGreaterThan(0);
    expect(report.breaches).toEqual([
      expect.stringMatching(/^agents: maxPublishErrors breached — publishes the hub refused or never answered \(create todo → 404 /),
    ]);
  });
});
