/**
 * The agents scenario keeps its participants active on a hub with a short heartbeat timeout (the embedded
 * hub certify runs against), and sends no upkeep at all on one whose timeout outlasts the run.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedTarget } from '../../cli/embedded-target.ts';
import { keepParticipantsAlive, type KeptParticipant } from '../../load/participant-keepalive.ts';
import { runLoad } from '../../load/run-load.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };

afterEach(() => vi.useRealTimers());

describe('participant keep-alive', () => {
  it('beats a participant once half the heartbeat timeout has passed since its last heartbeat, and no sooner', () => {
    vi.useFakeTimers();
    const beats: number[] = [];
    const k = keepParticipantsAlive(1000, async (p: KeptParticipant) => beats.push(p.id));
    k.track({ id: 1, token: 't', sessionId: 9 });
    k.track({ id: 2, token: 't', sessionId: 9 });
    vi.advanceTimersByTime(400);
    k.beaten(2); // the scenario's own heartbeat at 400 ms
    vi.advanceTimersByTime(499);
    expect(beats).toEqual([1]); // 1 due at 500 ms; 2 not before 900 ms
    vi.advanceTimersByTime(101);
    expect(beats).toEqual([1, 1, 2]); // at 1000 ms: 1 again (500 ms after its upkeep beat), 2 once
    k.stop();
    vi.advanceTimersByTime(5000);
    expect(beats).toEqual([1, 1, 2]);
  });

  it('sends nothing when the hub names no heartbeat timeout', () => {
    vi.useFakeTimers();
    const beat = vi.fn(async () => undefined);
    const k = keepParticipantsAlive(undefined, beat);
    k.track({ id: 1, token: 't', sessionId: 9 });
    vi.advanceTimersByTime(600_000);
    expect(beat).not.toHaveBeenCalled();
    k.stop();
  });

  it('keeps every participant active through an agents run on a hub with a 2 s heartbeat timeout, although each is scheduled only every 5 s', async () => {
    const hub = await startEmbeddedTarget({ timers: 'fast', mode: 'in-process' });
    try {
      const report = await runLoad({
        target: hub.target,
        embedded: hub.mode,
        scenarios: 'agents',
        // 10 participants, 2 scheduled heartbeats/s: 5 s between a participant's scheduled beats.
        overrides: { durationS: 3, rate: 2, set: ['channels=2', 'subscribersPerChannel=5', 'warmupS=0.5', 'burstsPerS=0', 'todosPerS=1'] },
        driverLimits: RELAXED,
        progress: false,
      });
      expect(report.errors).toEqual([]);
      expectPublishedReport('load', report);
      const s = report.scenarios[0]!;
      expect(s.delivery.publishErrorSamples ?? []).toEqual([]);
      expect(s.delivery.publishErrors).toBe(0);
      expect(s.delivery.reach).toBe(1);
    } finally {
      await hub.dispose();
    }
  }, 60_000);
});
