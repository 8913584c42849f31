/**
 * The reference hub passes the soak, as one node in its own process and as a 2-node cluster on Redis
 * (every node's process watched): delivery complete, no growth shown, back to baseline, every abandoned
 * connection reaped within the hub's bound, each kind measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../../cli/embedded-target.ts';
import type { LoadReport, ScenarioResult } from '../../../load/report-types.ts';
import { expectPublishedReport } from '../../helpers/published-schema.ts';
import { breached, scaledSoakReport, story } from './scaled-soak.ts';

const hubs: EmbeddedTarget[] = [];
let one: { hub: EmbeddedTarget; s: ScenarioResult; report: LoadReport };
let two: { hub: EmbeddedTarget; s: ScenarioResult; report: LoadReport };

// Side by side: one node, and two nodes on a private Redis.
beforeAll(async () => {
  const run = async (cluster?: number) => {
    const hub = await startEmbeddedTarget({ timers: 'fast', mode: 'child', webhooks: false, ...(cluster ? { cluster } : {}) });
    hubs.push(hub);
    const report = await scaledSoakReport(hub.target, 'child');
    return { hub, s: report.scenarios[0]!, report };
  };
  [one, two] = await Promise.all([run(), run(2)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(hubs.map((h) => h.dispose()));
});

describe('soak against the reference hub', () => {
  it('passes as one node: every threshold held, every kind of abandoned connection reaped', () => {
    const { hub, s } = one;
    expect(breached(s), story(s)).toEqual([]);
    expect(s.status).toBe('pass');
    const f = s.soak!;
    expect(f.pids).toEqual([{ node: 1, pid: hub.pid }]);
    expect(f.growth.map((g) => g.series)).toEqual(['rss', 'fds']);
    expect(f.reaping.map((r) => [r.kind, r.count > 0, r.notReaped])).toEqual([
      ['destroyed', true, 0],
      ['unresponsive', true, 0],
      ['silent', true, 0],
    ]);
    expect(f.return.leftovers).toEqual([]);
    expect(s.delivery.expected).toBeGreaterThan(0);
    expect(f.samples.some((x) => (x.members ?? 0) > 0)).toBe(true);
  });

  it('writes reports its published schema accepts, one node and two (samples, growth fits, return, reaping)', () => {
    expectPublishedReport('load', one.report);
    expectPublishedReport('load', two.report);
  });

  it('passes as a 2-node cluster, both nodes watched', () => {
    const { hub, s } = two;
    expect(breached(s), story(s)).toEqual([]);
    const f = s.soak!;
    expect(f.pids.map((p) => p.pid)).toEqual(hub.target.nodes.map((n) => n.process!.pid));
    expect(f.growth.filter((g) => g.series === 'rss').map((g) => g.node)).toEqual([1, 2]);
    expect(f.reaping.every((r) => r.count > 0 && r.notReaped === 0)).toBe(true);
  });
});
