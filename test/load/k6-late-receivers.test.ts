/**
 * A k6 subscriber VU whose receive loop ran late can only have lengthened the latencies it measured and
 * lost frames: when every threshold held anyway the run PASSes with a note, and when one was breached it is
 * INVALID (the lateness may be the cause). Dropped publisher iterations mean the load was never offered:
 * INVALID whatever held.
 */
import { describe, expect, it } from 'vitest';
import { buildK6Report, type SummaryData } from '../../load/k6/lib/report.ts';
import { planSubscribers } from '../../load/k6/lib/sizing.ts';
import { bucketOf } from '../../load/measure/log-linear.ts';
import { findScenario } from '../../load/scenarios/index.ts';

/** The summary k6 would have written: 1000 deliveries at `latencyMs`, `lost` more expected, VU health as given. */
function summary(o: { latencyMs: number; lost?: number; behindVus?: number; lagMs?: number; dropped?: number }): SummaryData {
  const n = 1000;
  const metrics: SummaryData['metrics'] = {
    [`hp_lat_b${String(bucketOf(o.latencyMs)).padStart(3, '0')}`]: { values: { count: n } },
    hp_lat_sum: { values: { count: n * o.latencyMs } },
    hp_lat_max: { values: { max: o.latencyMs } },
    hp_expected: { values: { count: n + (o.lost ?? 0) } },
    hp_received: { values: { count: n } },
    hp_sent: { values: { count: 100 } },
    hp_behind: { values: { count: o.behindVus ?? 0 } },
    hp_vu_lag_p99: { values: { max: o.lagMs ?? 3 } },
    hp_vu_rate: { values: { max: 1200 } },
    dropped_iterations: { values: { count: o.dropped ?? 0 } },
  };
  return { metrics };
}

const report = (d: SummaryData) =>
  buildK6Report(
    d,
    { name: 'hub', nodes: [{ ws: 'ws://127.0.0.1:1', http: 'http://127.0.0.1:1' }] },
    {
      scenario: findScenario('fanout'),
      subscribers: 200,
      vuPlan: planSubscribers(200, 50),
      maxLagMs: 20,
    },
  );

describe('k6 subscriber VUs that ran late', () => {
  it('leave a PASS standing when every threshold held, and say so', () => {
    const r = report(summary({ latencyMs: 5, behindVus: 2, lagMs: 27 }));
    expect(r.verdict).toBe('pass');
    const s = r.scenarios[0]!;
    expect(s.driver.saturated).toBe(false);
    expect(s.driver.k6).toMatchObject({ behindVus: 2, maxVuLagP99Ms: 27 });
    expect(s.notes.join('\n')).toMatch(
      /2 of \d+ subscriber VUs fell behind: receive-loop lag p99 up to 27 ms .*every threshold held, so the figures stand/,
    );
  });

  it('make a breach INVALID, not FAIL: the lateness may be what lost the frames', () => {
    const r = report(summary({ latencyMs: 5, lost: 30, behindVus: 1, lagMs: 27 }));
    expect(r.verdict).toBe('invalid');
    expect(r.invalid.join('\n')).toMatch(/subscriber VUs fell behind/);
  });

  it('never rescue a run whose publisher dropped iterations', () => {
    const r = report(summary({ latencyMs: 5, behindVus: 1, lagMs: 27, dropped: 12 }));
    expect(r.verdict).toBe('invalid');
    expect(r.invalid.join('\n')).toMatch(/k6 dropped 12 iterations/);
  });

  it("a healthy run that lost deliveries is the hub's FAIL", () => {
    expect(report(summary({ latencyMs: 5, lost: 30 })).verdict).toBe('fail');
  });
});
