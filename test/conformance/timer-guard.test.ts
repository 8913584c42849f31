/**
 * A case waits out a hub timer up to the run's bound (`--max-timer-wait`, default 600 s); past it the
 * case is skipped, naming the timer and the flag value that would wait it out.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS_HUB, withTarget } from '../../cli/embedded-target.ts';
import { runConformance } from '../../conformance/runner.ts';
import { guardTimerWait, MAX_TIMER_WAIT_MS } from '../../conformance/timer-guard.ts';
import { CaseOutcome } from '../../conformance/types.ts';
import { standInContext } from './helpers/case-context.ts';

const outcomeOf = (f: () => void): CaseOutcome | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof CaseOutcome) return e;
    throw e;
  }
};

describe('timer guard', () => {
  it('waits timers up to 10 min by default and skips a longer one with the flag that would wait it out', () => {
    const { ctx } = standInContext({}, 'agent-presence/status/1');
    expect(ctx.maxTimerWaitMs).toBe(MAX_TIMER_WAIT_MS);
    expect(outcomeOf(() => guardTimerWait(ctx, 'offline_after', 300_000))).toBeUndefined();
    expect(outcomeOf(() => guardTimerWait(ctx, 'offline_after', MAX_TIMER_WAIT_MS))).toBeUndefined();
    const o = outcomeOf(() => guardTimerWait(ctx, 'offline_after', 1_800_500));
    expect(o?.outcome).toBe('skipped');
    expect(o?.message).toBe(
      'offline_after 1800500 ms is longer than the 600 s a conformance case waits on one timer; run with --max-timer-wait 1801 to wait it out, or configure the hub with a shorter one',
    );
  });

  it('follows the bound the run sets', () => {
    const { ctx } = standInContext({}, 'sync/heartbeat/2');
    const short = { ...ctx, maxTimerWaitMs: 1500 };
    expect(outcomeOf(() => guardTimerWait(short, 'heartbeat_timeout', 1500))).toBeUndefined();
    expect(outcomeOf(() => guardTimerWait(short, 'heartbeat_timeout', 2000))?.message).toMatch(
      /^heartbeat_timeout 2000 ms is longer than the 1\.5 s .* --max-timer-wait 2 /,
    );
  });

  it('reaches the cases from runConformance: the status cases skip under a bound shorter than offline_after and pass without one', async () => {
    const report = await withTarget(undefined, CHECKS_HUB, async (hub) => ({
      bounded: await runConformance({ ...hub, selectors: ['agent-presence/status'], progress: null, maxTimerWaitMs: 1000 }),
      free: await runConformance({ ...hub, selectors: ['agent-presence/status/1'], progress: null }),
    }));
    expect(report.bounded.results.length).toBeGreaterThan(0);
    for (const r of report.bounded.results) {
      expect(`${r.id} ${r.outcome}`).toBe(`${r.id} skipped`);
      expect(r.reason).toMatch(/^offline_after 3000 ms is longer than the 1 s .*--max-timer-wait 3 /);
    }
    expect(report.free.results.map((r) => `${r.id} ${r.outcome}`)).toEqual(report.free.results.map((r) => `${r.id} pass`));
  }, 60_000);
});
