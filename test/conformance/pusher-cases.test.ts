import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provedBy } from '../../conformance/cases/index.ts';
import { pusherCases } from '../../conformance/cases/pusher/index.ts';
import { CHECKS_HUB, withTarget } from '../../cli/embedded-target.ts';
import { runConformance, type RunReport } from '../../conformance/runner.ts';
import { PUSHER_REQUIREMENTS } from '../../spec/requirements/index.ts';
import { startBrokenHub, type BrokenHub } from './helpers/broken-hub.ts';

describe('pusher case registry', () => {
  it('has at least one case for every pusher requirement, MUST, SHOULD and MAY', () => {
    const covered = new Set(pusherCases.flatMap(provedBy));
    expect(PUSHER_REQUIREMENTS.filter((r) => !covered.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('names only registered requirements and describes every case', () => {
    const known = new Set(PUSHER_REQUIREMENTS.map((r) => r.id));
    for (const c of pusherCases) {
      for (const id of provedBy(c)) expect(known.has(id), id).toBe(true);
      expect(c.desc.length).toBeGreaterThan(15);
    }
  });
});

describe('pusher cases against the embedded reference hub', () => {
  let report: RunReport;
  beforeAll(async () => {
    report = await withTarget(undefined, CHECKS_HUB, (hub) =>
      runConformance({ ...hub, selectors: ['pusher'], strict: true, progress: null, seed: 20251019, numRuns: 5 }),
    );
  }, 240_000);

  it('passes every MUST case', () => {
    const bad = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'unimplemented');
    expect(bad.map((r) => `${r.id}: ${r.reason} | expected ${r.expected} | actual ${r.actual}`)).toEqual([]);
  });

  it('passes every SHOULD case with --strict', () => {
    const misses = report.results.filter((r) => r.outcome === 'non-strict').map((r) => `${r.id}: ${r.reason}`);
    expect(misses).toEqual([]);
    expect(report.results.filter((r) => r.outcome === 'pass').length).toBeGreaterThan(pusherCases.filter((c) => !c.cluster).length - 3);
  });
});

describe('pusher cases against a broken hub', () => {
  let hub: BrokenHub;
  let report: RunReport;
  beforeAll(async () => {
    hub = await startBrokenHub();
    report = await runConformance({
      target: hub.target,
      targetPath: 'broken.json',
      selectors: ['pusher/auth/4', 'pusher/auth/5', 'pusher/client-events/2', 'pusher/presence/4', 'pusher/heartbeat/1'],
      progress: null,
      seed: 7,
      numRuns: 10,
    });
  }, 120_000);
  afterAll(() => hub?.close());

  const result = (id: string) => report.results.find((r) => r.id === id)!;

  it('fails forged and other-socket subscriptions that the hub accepts', () => {
    expect(result('pusher/auth/4#1')).toMatchObject({ outcome: 'fail', actual: expect.stringContaining('subscription_succeeded') });
    expect(result('pusher/auth/5#1')).toMatchObject({ outcome: 'fail', reason: expect.stringContaining("another socket's signature") });
    expect(result('pusher/auth/4#1').replay).toBe('npx hubproof conform pusher/auth/4#1 --target broken.json --seed 7');
  });

  it('fails a client event echoed to its sender', () => {
    expect(result('pusher/client-events/2#1')).toMatchObject({
      outcome: 'fail',
      reason: expect.stringContaining('its own client event back'),
    });
  });

  it('fails per-connection member events, with a replayable shrunk command sequence', () => {
    expect(result('pusher/presence/4#1')).toMatchObject({ outcome: 'fail', reason: expect.stringContaining('second member_added') });
    const model = result('pusher/presence/4#2');
    expect(model.outcome).toBe('fail');
    expect(model.seed).toBe(7);
    expect(model.path).toMatch(/^\d+(:\d+)*$/);
    expect(String(model.counterexample)).toMatch(/Join\(u\d\)/);
    expect(model.replay).toContain(`--path ${model.path}`);
  });

  it('still passes what the broken hub gets right', () => {
    expect(result('pusher/heartbeat/1#1').outcome).toBe('pass');
  });
});
