/**
 * The k6 scripts run for real under a small stand-in for k6 (test/load/k6-shim: VUs as worker threads,
 * k6/websockets over `ws`, synchronous k6/http, Counters and thresholds as k6 aggregates them) against
 * servers on loopback, so their delivery accounting, log-linear buckets, generator checks, verdict and
 * report are exercised end to end. test/load/k6.test.ts runs the same scripts on a real k6 when one is on PATH.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBareServer } from '../../bench/bare-ws-server.ts';
import type { LoadReport } from '../../load/report-types.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';
import { startHub } from '../../reference-server/hub.ts';
import type { TargetFile } from '../../spec/target.ts';
import { applyOverrides, findScenario } from '../../load/scenarios/index.ts';
import { PRESENCE_UPDATE_CPU_MS, PUBLISH_CPU_MS, sizeRate } from '../../load/k6/lib/sizing.ts';
import { inspectK6, runK6 } from './k6-shim/engine.ts';

const K6 = join(import.meta.dirname, '..', '..', 'load', 'k6');
/** Short runs: 0.5 s to connect, 0.5 s warm-up, 2 s measured, 0.7 s drain. */
const SHORT = { CONNECT_S: '0.5', WARMUP: '0.5', DURATION: '2', DRAIN_S: '0.7' };
/**
 * The shared test machine's timers jitter: only a generator that is really slow may count as behind here,
 * and latency is not what these tests are about (the p99 limit is lifted; loss and reach are judged).
 */
const LAG = { MAX_LAG_MS: '250', P99_MS: '1000' };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-shim-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function run(script: string, target: TargetFile, env: Record<string, string>, dir = workdir()) {
  writeFileSync(join(dir, 'target.json'), JSON.stringify(target));
  const r = await runK6(join(K6, script), { TARGET: join(dir, 'target.json'), ...SHORT, ...LAG, ...env }, { cwd: dir });
  const file = Object.keys(r.files)[0];
  const report = (file ? JSON.parse(r.files[file]!) : JSON.parse(r.stdout.trim().split('\n').at(-1)!)) as LoadReport;
  return { ...r, report, scenario: report.scenarios[0]!, dir };
}

async function bare(options: Parameters<typeof startBareServer>[0] = {}) {
  const server = await startBareServer(options);
  cleanups.push(() => server.close());
  return server;
}

describe('k6 scripts under a k6 stand-in', () => {
  it('fanout.ts delivers every event, passes, and writes ./hubproof-k6-fanout.json in the load report shape', async () => {
    const server = await bare();
    const r = await run('fanout.ts', server.target(), { RATE: '40', CHANNELS: '2', SUBSCRIBERS: '3' });
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.files)).toEqual(['hubproof-k6-fanout.json']);
    expect(readFileSync(join(r.dir, 'hubproof-k6-fanout.json'), 'utf8')).toBe(r.files['hubproof-k6-fanout.json']);
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ tool: 'hubproof', kind: 'load', generator: 'k6', verdict: 'pass', breaches: [], invalid: [] });
    // handleSummary has no zod: what it writes holds to the published schema all the same.
    expectPublishedReport('load', r.report);
    const s = r.scenario;
    expect(s.delivery).toMatchObject({ reach: 1, lost: 0, duplicated: 0, outOfOrder: 0, unexpected: 0, connectFailures: 0 });
    // 40/s for 2 s measured, every event to the 3 subscribers of its channel.
    expect(s.throughput.sent).toBe(80);
    expect(s.delivery.expected).toBe(240);
    expect(s.latency.count).toBe(240);
    expect(s.latency.histogram?.encoding).toBe('log-linear');
    expect(
      Object.values(s.latency.histogram!.encoding === 'log-linear' ? s.latency.histogram!.counts : {}).reduce((a, b) => a + b, 0),
    ).toBe(240);
    expect(s.latency.p50).toBeLessThanOrEqual(s.latency.p99);
    expect(s.thresholds.map((t) => [t.name, t.ok])).toEqual([
      ['p99Ms', true],
      ['minReach', true],
      ['maxPublishErrors', true],
    ]);
    expect(s.driver.k6).toMatchObject({ subscriberVus: 1, socketsPerVu: 6, plannedVuRate: 120, behindVus: 0, droppedIterations: 0 });
    expect(r.stdout).toMatch(/^scenario\s+status/);
    expect(r.stdout).toMatch(/Verdict: PASS/);
  });

  it('fanout.ts fails on events the hub dropped (reach < 1 is FAIL, k6 exits 99) and prints its report on stdout with OUT=-', async () => {
    const server = await bare({ dropEvery: 5 });
    const r = await run('fanout.ts', server.target(), { RATE: '40', CHANNELS: '2', SUBSCRIBERS: '3', OUT: '-' });
    expect(r.files).toEqual({});
    expect(r.code).toBe(99);
    expect(r.report.verdict).toBe('fail');
    expect(r.scenario.delivery.reach).toBeLessThan(1);
    expect(r.scenario.delivery.lost).toBe(r.scenario.delivery.expected - r.scenario.delivery.received);
    // Every fifth publish of the window is dropped: a fifth of the deliveries (± the window's edges).
    expect(r.scenario.delivery.lost / r.scenario.delivery.expected).toBeCloseTo(0.2, 1);
    expect(r.report.breaches.join('\n')).toMatch(/fanout: minReach breached/);
    expect(r.metrics.hp_lost!.values.count).toBe(r.scenario.delivery.lost);
  });

  it('fanout.ts is INVALID, never PASS or FAIL, when its subscriber VU cannot keep up', async () => {
    const server = await bare();
    // Each frame costs the VU 15 ms: 120 frames/s need 1.8 s of work per second.
    const r = await run('fanout.ts', server.target(), { RATE: '40', CHANNELS: '2', SUBSCRIBERS: '3', HP_SHIM_FRAME_COST_MS: '15' });
    expect(r.report.verdict).toBe('invalid');
    expect(r.scenario.status).toBe('invalid');
    expect(r.report.invalid.join('\n')).toMatch(/1 of 1 subscriber VUs fell behind: receive-loop lag p99 up to \d+/);
    expect(r.scenario.driver.k6?.maxVuLagP99Ms).toBeGreaterThan(250);
    expect(r.code).toBe(99);
  });

  it('fanout.ts says when a VU took more frames/s than VU_CEILING, and lets the PASS stand when every threshold held', async () => {
    const server = await bare();
    const r = await run('fanout.ts', server.target(), {
      RATE: '40',
      CHANNELS: '2',
      SUBSCRIBERS: '3',
      VU_CEILING: '100',
      SOCKETS_PER_VU: '6',
    });
    expect(r.scenario.delivery.reach).toBe(1);
    expect(r.scenario.driver.k6?.behindVus).toBe(1);
    expect(r.report.verdict).toBe('pass');
    expect(r.scenario.notes.join('\n')).toMatch(/up to 120 frames\/s per VU \(VU_CEILING 100\/s\).*the figures stand/);
  });

  it('presence.ts reaches every dashboard of the bare server', async () => {
    const server = await bare();
    const r = await run('presence.ts', server.target(), {
      RATE: '30',
      PUBLISHERS: '3',
      CHANNELS: '2',
      SUBSCRIBERS: '2',
      SET: 'thresholds.minRate=25',
    });
    expect(r.errors).toEqual([]);
    expect(r.report.verdict, r.stdout).toBe('pass');
    expect(r.scenario.delivery).toMatchObject({ expected: 60 * 4, received: 60 * 4, reach: 1 });
  });

  it('agents.ts times todo propagation and conflict resolution on the reference hub', async () => {
    const dataDir = workdir();
    const hub = await startHub({ port: 0, dataDir });
    cleanups.push(() => hub.close());
    const r = await run('agents.ts', hub.target(), {
      CHANNELS: '2',
      SUBSCRIBERS: '3',
      RATE: '6',
      SET: 'burstsPerS=1,todosPerS=1',
      CONFLICT_P99_MS: '2000',
      P99_MS: '1000',
    });
    expect(r.errors).toEqual([]);
    const s = r.scenario;
    expect(s.conflicts?.bursts).toBeGreaterThan(0);
    expect(s.conflicts?.latency.count).toBe(s.conflicts?.received);
    expect(s.conflicts?.reach).toBe(1);
    expect(s.delivery.reach).toBe(1);
    expect(r.report.verdict, r.stdout).toBe('pass');
    expectPublishedReport('load', r.report);
  });
});

describe('one source of scenario numbers', () => {
  it.each(['fanout', 'presence', 'agents'])(
    'the k6 %s script runs the numbers of its scenario file, as the Node driver does, on a machine they fit',
    async (name) => {
      const { values, options } = await inspectK6(join(K6, `${name}.ts`), { TARGET: targetFile(), CORES: '64' });
      expect(values.scenario).toEqual(findScenario(name));
      const sends = Object.values(options.scenarios as Record<string, { executor: string; startTime?: string; duration?: string }>).filter(
        (s) => s.executor === 'constant-arrival-rate',
      );
      const s = findScenario(name);
      for (const send of sends) expect(send.duration).toBe(`${(s.warmupS + s.durationS) * 1000}ms`);
    },
  );

  it('sizes fanout and presence to a 2-core machine by default, unless the run names its rate or is a shard', async () => {
    for (const [name, cost] of [
      ['fanout', { sendCpuMs: PUBLISH_CPU_MS, deliveriesPerSend: findScenario('fanout').subscribersPerChannel }],
      [
        'presence',
        {
          sendCpuMs: PRESENCE_UPDATE_CPU_MS,
          deliveriesPerSend: findScenario('presence').channels * findScenario('presence').subscribersPerChannel,
        },
      ],
    ] as const) {
      const file = findScenario(name);
      const size = sizeRate(file.rate, cost, 2);
      expect(size.rate, name).toBeLessThan(file.rate);
      const { values } = await inspectK6(join(K6, `${name}.ts`), { TARGET: targetFile() });
      const want = { ...file, rate: size.rate, thresholds: { ...file.thresholds } };
      if (want.thresholds.minRate !== undefined && want.thresholds.minRate > size.rate) delete want.thresholds.minRate;
      expect(values.scenario, name).toEqual(want);
      const runs: Array<Record<string, string>> = [{ RATE: String(file.rate) }, { SET: `rate=${file.rate}` }, { SHARD: '0/1' }];
      for (const env of runs) {
        const { values: v } = await inspectK6(join(K6, `${name}.ts`), { TARGET: targetFile(), ...env });
        expect(v.scenario.rate, `${name} ${JSON.stringify(env)}`).toBe(file.rate);
      }
    }
  });

  it('applies -e overrides the way hubproof load applies --rate, --duration and --set', async () => {
    const { values } = await inspectK6(join(K6, 'fanout.ts'), {
      TARGET: targetFile(),
      RATE: '77',
      DURATION: '3',
      SET: 'channels=4,thresholds.p99Ms=20',
    });
    expect(values.scenario).toEqual(
      applyOverrides(findScenario('fanout'), { rate: 77, durationS: 3, set: ['channels=4', 'thresholds.p99Ms=20'] }),
    );
  });

  it('sizes subscriber VUs from the per-VU ceiling: RATE=150 CHANNELS=1 SUBSCRIBERS=100 takes 10 VUs of 10 sockets at 1500 frames/s', async () => {
    const { values, options } = await inspectK6(join(K6, 'fanout.ts'), {
      TARGET: targetFile(),
      RATE: '150',
      CHANNELS: '1',
      SUBSCRIBERS: '100',
    });
    expect(values.run.vuPlan).toMatchObject({
      vus: 10,
      socketsPerVu: 10,
      perSocketRate: 150,
      perVuRate: 1500,
      ceiling: 1500,
      overCeiling: false,
    });
    expect(options.scenarios.subscribers.vus).toBe(10);
    // The defaults on 2 cores (120/s over 10 channels × 20 subscribers): 12 frames/s per socket, at most
    // 125 sockets per VU, spread evenly: 2 VUs of 100 sockets.
    const defaults = await inspectK6(join(K6, 'fanout.ts'), { TARGET: targetFile() });
    expect(defaults.values.run.vuPlan).toMatchObject({ vus: 2, socketsPerVu: 100, perSocketRate: 12 });
  });
});

function targetFile(): string {
  const dir = workdir();
  const file = join(dir, 'target.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'inspect',
      profiles: ['pusher'],
      nodes: [{ ws: 'ws://127.0.0.1:9', http: 'http://127.0.0.1:9' }],
      app: { id: '1', key: 'k', secret: 's' },
      agents: [{ identifier: 'a', token: 't', projects: [1] }],
    }),
  );
  return file;
}
