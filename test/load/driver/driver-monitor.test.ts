import { describe, expect, it } from 'vitest';
import { DriverMonitor, judgeDriver, type DriverSecond } from '../../../load/driver/driver-monitor.ts';
import { scenarioStatus as verdict } from '../../../load/report-verdict.ts';

const second = (cpuPct: number, lag = 1, machineShare: number | null = 0.5): DriverSecond => ({
  cpuPct,
  mainLoopP99Ms: lag,
  workerLoopP99Ms: lag,
  machineShare,
});

describe('driver saturation', () => {
  it('is healthy under the limits', () => {
    const h = judgeDriver([second(50), second(60)], 2, 2, false);
    expect(h).toMatchObject({ saturated: false, reasons: [], cpuShare: 0.275 });
  });

  it('splits the CPU into its user-space part and the kernel rest when the seconds carry it', () => {
    const h = judgeDriver(
      [
        { ...second(80), userPct: 30 },
        { ...second(60), userPct: 20 },
      ],
      1,
      2,
      false,
    );
    expect(h).toMatchObject({ cpuPct: 70, cpuUserPct: 25 });
    expect(judgeDriver([second(80)], 1, 2, false)).not.toHaveProperty('cpuUserPct');
  });

  it('samples its user-space CPU as part of the process CPU', () => {
    const m = new DriverMonitor();
    m.start();
    const until = Date.now() + 50;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const s = m.sample();
    m.stop();
    expect(x).toBeGreaterThan(0);
    expect(s.userPct).toBeGreaterThan(0);
    expect(s.userPct!).toBeLessThanOrEqual(s.cpuPct + 0.1);
  });

  it('flags CPU above 90 % of the cores', () => {
    const h = judgeDriver([second(190), second(185)], 1, 2, false);
    expect(h.saturated).toBe(true);
    expect(h.reasons[0]).toMatch(/driver CPU 94% of 2 cores/);
  });

  it('flags event-loop lag and sends behind schedule, and says CPU includes an in-process hub', () => {
    const h = judgeDriver([second(190, 35)], 25, 2, true);
    expect(h.reasons.join('\n')).toMatch(/includes the in-process hub/);
    expect(h.reasons.join('\n')).toMatch(/event-loop lag p99 35 ms/);
    expect(h.reasons.join('\n')).toMatch(/sends fell behind schedule/);
  });

  it('lets one stall pass in a scenario that times nothing, never in one that judges latency', () => {
    // A 26 ms GC pause in one of five seconds: the counts (reach, memory) stand, the timestamps of that second do not.
    const stall = [second(40, 26.3), second(40, 3), second(40, 4), second(40, 3), second(40, 5)];
    const timed = judgeDriver(stall, 1, 2, false, undefined, true, true);
    expect(timed.saturated).toBe(true);
    expect(timed.reasons.join()).toMatch(/event-loop lag p99 26.3 ms > 20 ms/);
    const counting = judgeDriver(stall, 1, 2, false, undefined, true, false);
    expect(counting).toMatchObject({ saturated: false, reasons: [] });
    expect(counting.stalls).toMatch(/stalls up to 26.3 ms in 1 of 5 s .*this scenario times nothing/);
    expect(judgeDriver([second(40, 3)], 1, 2, false, undefined, true, false)).not.toHaveProperty('stalls');
  });

  it('still flags lag in most seconds of a scenario that times nothing: that driver cannot keep up', () => {
    const behind = [second(40, 30), second(40, 25), second(40, 40), second(40, 3)];
    const h = judgeDriver(behind, 1, 2, false, undefined, true, false);
    expect(h.saturated).toBe(true);
    expect(h.reasons.join()).toMatch(/event-loop lag p99 40 ms > 20 ms/);
    expect(h).not.toHaveProperty('stalls');
  });

  it('flags a saturated machine only when the hub runs on it', () => {
    const busy = [second(40, 1, 0.99), second(40, 1, 0.98)];
    expect(judgeDriver(busy, 1, 2, false, undefined, true).reasons.join()).toMatch(/machine CPU 99% busy/);
    expect(judgeDriver(busy, 1, 2, false, undefined, false).saturated).toBe(false);
  });

  it('makes the figures invalid rather than failed, whatever the thresholds say', () => {
    const breached = [{ name: 'p99Ms', label: 'p99', comparator: '<' as const, limit: 50, actual: 900, unit: 'ms', ok: false }];
    expect(verdict(true, breached)).toBe('invalid');
    expect(verdict(false, breached)).toBe('fail');
    expect(verdict(false, [{ ...breached[0]!, ok: true }])).toBe('pass');
  });
});
