/**
 * The soak's judgement, without a hub: growth lines and projections, thresholds from figures (growth
 * judged on the lower end of the interval, parts not measured left out), and leftovers named with how
 * their connections ended.
 */
import { describe, expect, it } from 'vitest';
import { duration, fitGrowth } from '../../../load/soak/growth.ts';
import type { ChannelInfo, HubApi } from '../../../load/soak/hub-api.ts';
import { nameLeftovers } from '../../../load/soak/leftovers.ts';
import type { SoakFigures } from '../../../load/soak/soak-types.ts';
import { soakThresholds } from '../../../load/soak/soak-verdicts.ts';
import { DEFAULT_THRESHOLDS } from '../../../load/scenarios/types.ts';

const every10min = (n: number) => Array.from({ length: n }, (_, i) => i * 600);
const wobble = [0.4, -0.3, 0.1, -0.5, 0.2, 0.3, -0.1, 0.5, -0.4, 0, 0.2, -0.2];

function figures(over: Partial<SoakFigures> = {}): SoakFigures {
  return {
    cycleS: 2,
    cycles: 100,
    lateCycles: 0,
    maxLateMs: 0,
    runS: 220,
    warmup: { seconds: 15, samples: 8, why: 'warmupS' },
    bound: { activityTimeoutS: 2, pongTimeoutMs: 1000, source: 'test', boundS: 3, deadlineS: 5.3 },
    pids: [{ node: 1, pid: 42 }],
    notMeasured: [],
    samples: [],
    growth: [],
    return: {
      apiCleanAfterS: 4.2,
      leftovers: [],
      nodes: [{ node: 1, pid: 42, baselineRssMb: 80, endRssMb: 90, baselineFds: 30, endFds: 30, baselineCpuPct: 0, idleCpuPct: 1 }],
    },
    reaping: [
      { kind: 'destroyed', count: 50, reaped: 50, notReaped: 0, p50S: 0.1, maxS: 0.3, examples: [] },
      { kind: 'unresponsive', count: 50, reaped: 50, notReaped: 0, p50S: 4.2, maxS: 4.4, examples: [] },
      { kind: 'silent', count: 0, reaped: 0, notReaped: 0, p50S: null, maxS: null, examples: [] },
    ],
    ...over,
  };
}

describe('growth', () => {
  it('states a shown growth per hour and per cycle, with its interval and when it reaches the limit', () => {
    const t = every10min(12);
    const g = fitGrowth({
      series: 'rss',
      node: 1,
      t,
      v: t.map((s, i) => 20 + (14 * s) / 3600 + wobble[i]!),
      cycleS: 2,
      limit: { value: 1024, label: '1 GB' },
    })!;
    expect(Math.abs(g.perHour - 14)).toBeLessThan(0.5);
    expect(g.lowPerHour).toBeGreaterThan(10);
    expect(g.line).toMatch(
      /^RSS \+1[34](\.\d)? MB\/h \(95 % CI 1\d(\.\d)?–1\d(\.\d)?; \+0\.008 MB per cycle\), projected 1 GB in 2\.\d days$/,
    );
  });

  it('reads a short upswing smaller than the return margin as settling, not growth', () => {
    const t = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    const g = fitGrowth({
      series: 'rss',
      node: 1,
      t,
      v: t.map((s) => 100 + s / 25),
      cycleS: 2,
      floor: 50,
      limit: { value: 1024, label: '1 GB' },
    })!;
    expect(g.lowPerHour).toBeCloseTo(144, 0);
    expect([g.shown, g.projection, Math.round(g.floorPerHour)]).toEqual([false, undefined, 2000]);
    expect(g.line).toMatch(
      /no growth shown; this run tells growth above 2,000 MB\/h from zero \(over this window, less than the return margin is settling, not growth\)$/,
    );
  });

  it('says what the run could resolve when nothing grows', () => {
    const t = every10min(12);
    const g = fitGrowth({
      series: 'rss',
      node: 1,
      t,
      v: t.map((_, i) => 300 + wobble[i]!),
      cycleS: 2,
      limit: { value: 1024, label: '1 GB' },
    })!;
    expect(g.projection).toBeUndefined();
    expect(g.line).toMatch(/no growth shown; this run tells growth above [\d.]+ MB\/h from zero$/);
  });

  it('needs three samples', () => {
    expect(fitGrowth({ series: 'fds', node: 1, t: [0, 1], v: [1, 2], cycleS: 2 })).toBeUndefined();
  });

  it('writes durations a reader can use', () => {
    expect([duration(70), duration(7.5), duration(0.2)]).toEqual(['2.9 days', '7.5 h', '12 min']);
  });
});

describe('soakThresholds', () => {
  const t = DEFAULT_THRESHOLDS;
  const growth = (series: 'rss' | 'fds', low: number) =>
    ({ series, node: 1, perHour: low + 5, lowPerHour: low, highPerHour: low + 10, floorPerHour: 0 }) as SoakFigures['growth'][number];

  it('passes a hub that returned, grew nothing shown and reaped everything; a kind that never occurred has no row', () => {
    const rows = soakThresholds(t, figures({ growth: [growth('rss', -3), growth('fds', 0)] }), { expected: 10, reach: 1 });
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual([
      'minReach',
      'rssMbPerHour',
      'fdsPerHour',
      'leftovers',
      'rssReturnMb',
      'fdsReturn',
      'idleCpuPct',
      'reapDestroyed',
      'reapUnresponsive',
    ]);
  });

  it('judges growth on the lower end of the interval: a wide interval above the bound is not a breach', () => {
    const wide = { ...growth('rss', 20), perHour: 80, highPerHour: 140 };
    expect(soakThresholds(t, figures({ growth: [wide] }), { expected: 1, reach: 1 }).find((r) => r.name === 'rssMbPerHour')!.ok).toBe(true);
    const shown = soakThresholds(t, figures({ growth: [growth('rss', 51)] }), { expected: 1, reach: 1 }).find(
      (r) => r.name === 'rssMbPerHour',
    )!;
    expect([shown.ok, shown.actual, shown.limit]).toEqual([false, 51, 50]);
  });

  it('does not call a rise smaller than the return margin over the window growth: the limit is the larger', () => {
    const settling = { ...growth('rss', 140), floorPerHour: 2000 };
    const row = soakThresholds(t, figures({ growth: [settling] }), { expected: 1, reach: 1 }).find((r) => r.name === 'rssMbPerHour')!;
    expect([row.ok, row.actual, row.limit]).toEqual([true, 140, 2000]);
    expect(row.label).toMatch(/limit: the return margin over the fitted window, above thresholds.rssMbPerHour 50/);
    const leak = { ...growth('rss', 4000), floorPerHour: 2000 };
    expect(soakThresholds(t, figures({ growth: [leak] }), { expected: 1, reach: 1 }).find((r) => r.name === 'rssMbPerHour')!.ok).toBe(
      false,
    );
  });

  it('breaches exactly the part that did not return', () => {
    const f = figures();
    f.return.leftovers = ['presence-soak-1-3 still lists user u-2 (its connection was destroyed 9 s ago)'];
    f.return.nodes[0]!.endFds = 40;
    const failed = soakThresholds(t, f, { expected: 1, reach: 1 }).filter((r) => !r.ok);
    expect(failed.map((r) => [r.name, r.actual])).toEqual([
      ['leftovers', 1],
      ['fdsReturn', 10],
    ]);
  });

  it('judges idle CPU as a rise over the idle before the run: busy before and after is not the run’s, busy only after is', () => {
    const idleRow = (baselineCpuPct: number | null, idleCpuPct: number) => {
      const f = figures();
      f.return.nodes[0] = { ...f.return.nodes[0]!, baselineCpuPct, idleCpuPct };
      const r = soakThresholds(t, f, { expected: 1, reach: 1 }).find((x) => x.name === 'idleCpuPct')!;
      return [r.ok, r.actual];
    };
    // CI: a cluster node at 4 % before any load and 6 % after.
    expect(idleRow(4, 6)).toEqual([true, 2]);
    // A hub that keeps working once the load is gone (a leaked timer, a busy loop).
    expect(idleRow(1, 30)).toEqual([false, 29]);
    // Without a figure from before the run, the idle figure itself is judged.
    expect(idleRow(null, 6)).toEqual([false, 6]);
  });

  it('leaves out what was not measured: no pid, no process rows', () => {
    const f = figures({ pids: [], return: { apiCleanAfterS: 1, leftovers: [], nodes: [] } });
    expect(soakThresholds(t, f, { expected: 1, reach: 1 }).map((r) => r.name)).toEqual([
      'minReach',
      'leftovers',
      'reapDestroyed',
      'reapUnresponsive',
    ]);
  });

  it('counts connections the hub never closed, per kind', () => {
    const f = figures();
    f.reaping[1] = { ...f.reaping[1]!, reaped: 47, notReaped: 3 };
    const row = soakThresholds(t, f, { expected: 1, reach: 1 }).find((r) => r.name === 'reapUnresponsive')!;
    expect([row.ok, row.actual, row.label]).toEqual([
      false,
      3,
      "connections that stopped reading and answering still open past the hub's bound (5.3 s)",
    ]);
  });
});

describe('nameLeftovers', () => {
  const api = { users: async (ch: string) => (ch.startsWith('presence-') ? ['u-4'] : undefined) } as unknown as HubApi;
  const at = Date.parse('2026-12-07T00:00:00Z');

  it('names a presence member with how and when its connection ended, and an occupied channel with its clients', async () => {
    const history = new Map([
      ['presence-soak-r-17', [{ user: 'u-4', kind: 'destroy' as const, at: at - 94_000 }]],
      [
        'private-soak-r-3',
        [
          { kind: 'close' as const, at: at - 12_000 },
          { kind: 'unsubscribe' as const, at: at - 11_000 },
        ],
      ],
    ]);
    const channels: ChannelInfo[] = [
      { name: 'presence-soak-r-17', subscriptions: 0, users: 1 },
      { name: 'private-soak-r-3', subscriptions: 2, users: null },
    ];
    expect(await nameLeftovers(api, channels, history, at)).toEqual([
      'presence-soak-r-17 still lists user u-4 (its connection was destroyed 94 s ago)',
      'private-soak-r-3 still occupied with 2 subscription(s) (its clients left 11 s ago: closed with a close frame, unsubscribed and closed)',
    ]);
  });
});
