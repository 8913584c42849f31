/**
 * The fanout scenario through the bare HTTP+WS server (bench/bare-ws-server.ts) configured as real servers
 * end their HTTP connections: after every answer without saying so (Laravel Reverb 1.10), with
 * `Connection: close`, and at Node's `maxRequestsPerSocket` limit. Every publish must arrive once at every
 * subscriber; a publish the server refuses is a publish error, never a lost delivery. Reach and publish
 * errors are judged here, not latency (p99 off): the driver's own guards are lifted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer, type BareServerOptions } from '../../bench/bare-ws-server.ts';
import { runLoad } from '../../load/run-load.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };

let server: BareServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fanout(options: BareServerOptions) {
  server = await startBareServer(options);
  const report = await runLoad({
    target: server.target(),
    scenarios: 'fanout',
    overrides: {
      durationS: 1.5,
      rate: 200,
      set: ['channels=2', 'subscribersPerChannel=3', 'warmupS=0.5', 'workers=1', 'thresholds.p99Ms=off'],
    },
    driverLimits: RELAXED,
    progress: false,
  });
  expect(report.errors).toEqual([]);
  return { report, s: report.scenarios[0]! };
}

describe('fanout through servers that end their HTTP connections', () => {
  it('has reach 1 and no publish error through a server that closes after every answer without saying so', async () => {
    const { report, s } = await fanout({ closeAfter: 1 });
    expect(s.delivery, s.delivery.publishErrorSamples.join('; ')).toMatchObject({ reach: 1, lost: 0, duplicated: 0, publishErrors: 0 });
    expect(s.delivery.expected).toBe(s.throughput.sent * 3);
    expect(s.delivery.httpConnectionLimit).toBe(1);
    expect(s.notes.join('\n')).toMatch(/closed its HTTP connections after 1 answer without saying so/);
    expect(report.verdict, report.breaches.join('; ')).toBe('pass');
  });

  it('has reach 1 and no publish error through Connection: close answers and Node maxRequestsPerSocket', async () => {
    for (const options of [{ closeAfter: 1, announceClose: true }, { maxRequestsPerSocket: 4 }]) {
      const { report, s } = await fanout(options);
      expect(s.delivery, JSON.stringify(options)).toMatchObject({ reach: 1, lost: 0, duplicated: 0, publishErrors: 0 });
      expect(s.delivery.publishRetries ?? 0).toBe(0);
      expect(report.verdict).toBe('pass');
      await server!.close();
      server = undefined;
    }
  });

  it('reports publishes the server refused as publish errors with samples, not as deliveries it lost', async () => {
    const { report, s } = await fanout({ refuseEvery: 10 });
    expect(s.delivery.publishErrors).toBeGreaterThan(0);
    expect(s.delivery.publishErrorSamples[0]).toMatch(/→ 503 /);
    expect(s.delivery).toMatchObject({ reach: 1, lost: 0 });
    expect(s.delivery.expected).toBe((s.throughput.sent - s.delivery.publishErrors) * 3);
    expect(report.verdict).toBe('fail');
    expect(report.breaches).toEqual([
      expect.stringMatching(/^fanout: maxPublishErrors breached — publishes the hub refused or never answered \(POST .* → 503 /),
    ]);
  });
});
