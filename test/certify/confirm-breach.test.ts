/**
 * A latency breach counts once a second window repeats it (certify/confirm-breaches.ts). The hub is the
 * embedded reference hub in its own process, frozen with SIGSTOP for 400 ms in the middle of a presence
 * window — what a noisy neighbour does to a hub on a shared runner, unseen by the driver's guards:
 * - frozen in the first window only: p99 far over the limit there, under it in the second, so the SLO is
 *   unmeasured ("not steady", both figures) and the verdict INCONCLUSIVE (exit 2), never CERTIFIED;
 * - frozen in both windows: the breach is confirmed, with both figures, and the verdict NOT-CERTIFIED.
 * The load is light (200 updates/s), the limit raised to 150 ms and the driver's guards relaxed, so that
 * neighbours of this file cannot move the windows the freeze does not touch; a 400 ms freeze puts the p99
 * of its window near 400 ms. The two runs go one after the other: side by side, in one process, their
 * drivers made each other's unfrozen window slow (CI: 360 ms).
 */
import { describe, expect, it } from 'vitest';
import { runCertify } from '../../certify/run-certify.ts';
import { CHECKS_HUB, startEmbeddedTarget } from '../../cli/embedded-target.ts';
import type { Progress } from '../../load/progress.ts';

const FREEZE_MS = 400;

/** Load progress that freezes the hub once in the second measured second of each window `freezeIn` names (0-based). */
function freezing(pid: number, freezeIn: (window: number) => boolean): { progress: Progress; frozen: number[] } {
  let window = 0;
  let done = -1;
  const frozen: number[] = [];
  return {
    frozen,
    progress: {
      line(scenario, row) {
        if (scenario !== 'presence' || row.warmup || row.t < 2 || done === window || !freezeIn(window)) return;
        done = window;
        frozen.push(window);
        process.kill(pid, 'SIGSTOP');
        setTimeout(() => process.kill(pid, 'SIGCONT'), FREEZE_MS);
      },
      note(text) {
        if (/^presence: (PASS|FAIL|INVALID)/.test(text)) window++;
      },
      done() {},
    },
  };
}

async function certifyFrozen(freezeIn: (window: number) => boolean) {
  const hub = await startEmbeddedTarget(CHECKS_HUB);
  try {
    const { progress, frozen } = freezing(hub.pid, freezeIn);
    const { report } = await runCertify({
      target: hub.target,
      restart: hub.restart,
      embedded: hub.mode,
      selectors: ['pusher/connection/1'],
      scenarios: 'presence',
      loadDurationS: 3,
      // A light presence load (200 updates/s to 40 dashboards): the freeze, not the machine, must move the p99.
      loadSet: ['thresholds.p99Ms=150', 'rate=200', 'thresholds.minRate=150'],
      driverLimits: { maxLoopLagMs: 250, maxSendLagMs: 250, maxCpuShare: 1, maxMachineShare: 1.01 },
      progress: { write: () => true },
      loadProgress: progress,
    });
    return { report, frozen, row: report.slos.find((s) => s.id === 'presence/p99Ms')! };
  } finally {
    await hub.dispose();
  }
}

describe('a latency breach is measured once more before it counts', () => {
  it('a freeze in the first window only: not steady, unmeasured, INCONCLUSIVE', async () => {
    const { report, frozen, row } = await certifyFrozen((w) => w === 0);
    expect(frozen).toEqual([0]);
    expect(row.actual!).toBeGreaterThan(150);
    expect(row.secondWindow).toMatchObject({ status: 'held' });
    expect(row.secondWindow!.actual!).toBeLessThan(150);
    expect(row.status).toBe('unmeasured');
    expect(row.note).toMatch(/^not steady: \d+(\.\d+)? ms in the first window, \d+(\.\d+)? ms in a second \(required < 150 ms\)/);
    expect(report.verdict).toBe('inconclusive');
    expect(report.exitCode).toBe(2);
    expect(report.reasons).toEqual([expect.stringMatching(/^SLO presence\/p99Ms unmeasured: not steady/)]);
  }, 90_000);

  it('a freeze in both windows: confirmed, breached, NOT-CERTIFIED', async () => {
    const { report, frozen, row } = await certifyFrozen(() => true);
    expect(frozen).toEqual([0, 1]);
    expect(row.status).toBe('breached');
    expect(row.secondWindow).toMatchObject({ status: 'breached' });
    expect(row.note).toMatch(/^confirmed: \d+(\.\d+)? ms, then \d+(\.\d+)? ms in a second window \(required < 150 ms\)$/);
    expect(report.verdict).toBe('not-certified');
    expect(report.reasons).toEqual([expect.stringMatching(/^SLO presence\/p99Ms breached: confirmed: /)]);
  }, 90_000);
});
