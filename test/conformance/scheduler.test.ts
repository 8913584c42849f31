/**
 * The scheduler on its own, with cases that only sleep and a probe that always finds the hub up: how many
 * run at once, exclusive cases alone, timer-bound cases beside the busy ones, rows in registry order.
 */
import { describe, expect, it } from 'vitest';
import type { HubProbe } from '../../conformance/liveness.ts';
import { OrderedProgress } from '../../conformance/ordered-progress.ts';
import { Scheduler, startOrder, type Slot } from '../../conformance/scheduler.ts';
import type { CaseResult } from '../../conformance/types.ts';

const up = (): HubProbe => ({ up: true, at: performance.now(), doneAt: performance.now(), summary: 'up' });

function row(id: string): CaseResult {
  return { id, requirement: id.split('#')[0]!, level: 'MUST', desc: id, outcome: 'pass', durationMs: 0, wire: [] };
}

async function schedule(slots: Slot[], concurrency: number, ms: (s: Slot) => number) {
  let running = 0;
  let most = 0;
  const overlaps: string[] = [];
  const live = new Set<Slot>();
  const written: string[] = [];
  const started: string[] = [];
  const progress = new OrderedProgress(slots.length, { write: () => undefined, plain: true, onResult: (r) => written.push(r.id) });
  const scheduler = new Scheduler({
    slots,
    concurrency,
    runOne: async (index) => {
      const slot = slots[index]!;
      started.push(slot.id);
      for (const other of live) if (other.exclusive || slot.exclusive) overlaps.push(`${slot.id} with ${other.id}`);
      live.add(slot);
      if (!slot.timerBound) most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, ms(slot)));
      if (!slot.timerBound) running--;
      live.delete(slot);
      return [row(slot.id)];
    },
    charged: () => [],
    blocked: () => [],
    probe: async () => up(),
    firstProbe: up(),
    hubDownWaitMs: 100,
    progress,
    warn: () => undefined,
  });
  const out = await scheduler.run();
  progress.finish();
  return { out, most, overlaps, written, started };
}

const slots: Slot[] = [
  { index: 0, id: 'a#1', expectedMs: 10_000 },
  { index: 1, id: 'b#1', expectedMs: 10_000, timerBound: true },
  { index: 2, id: 'c#1', expectedMs: 10_000, exclusive: 'restarts the hub' },
  { index: 3, id: 'd#1', expectedMs: 20_000 },
  { index: 4, id: 'e#1', expectedMs: 10_000 },
  { index: 5, id: 'f#1', expectedMs: 10_000 },
  { index: 6, id: 'g#1', expectedMs: 10_000, timerBound: true },
];

describe('the scheduler', () => {
  it('starts exclusive cases first, then the rest longest deadline first', () => {
    expect(startOrder(slots).map((s) => s.id)).toEqual(['c#1', 'd#1', 'a#1', 'b#1', 'e#1', 'f#1', 'g#1']);
  });

  it('runs at most N busy cases at once, timer-bound ones beside them, exclusive ones alone; writes rows in registry order', async () => {
    const { out, most, overlaps, written } = await schedule(slots, 2, (s) => (s.timerBound ? 120 : 40));
    expect(most).toBe(2);
    expect(overlaps).toEqual([]);
    expect(written).toEqual(slots.map((s) => s.id));
    expect([...out.rows.keys()].sort()).toEqual(slots.map((s) => s.index));
    expect(out.findings).toEqual([]);
  });

  it('with concurrency 1 runs every case alone, in registry order', async () => {
    const { most, started, written } = await schedule(slots, 1, () => 5);
    expect(most).toBe(1);
    expect(started).toEqual(slots.map((s) => s.id));
    expect(written).toEqual(slots.map((s) => s.id));
  });
});

/**
 * A stand-in hub that dies when the culprit sends its fatal frame: the neighbours' connections are then
 * closed with 4200, as Soketi closes them after an uncaught exception. One neighbour reads the close as
 * evidence (it concludes "blocked by another requirement", as heartbeat/5 did: "the hub closed ws-pong
 * (4200) without pinging it first"), the other passes anyway.
 */
function crashingRun(restartable: boolean) {
  let alive = true;
  let restarts = 0;
  const runs: string[] = [];
  const crashSlots: Slot[] = [
    { index: 0, id: 'culprit#1', expectedMs: 1000 },
    { index: 1, id: 'reads-the-close#1', expectedMs: 1000, timerBound: true },
    { index: 2, id: 'passes-anyway#1', expectedMs: 1000 },
  ];
  const probe = async (): Promise<HubProbe> => ({
    up: alive,
    at: performance.now(),
    doneAt: performance.now(),
    summary: alive ? 'up' : 'new connections answered with pusher:error 4200',
  });
  const progress = new OrderedProgress(crashSlots.length, { write: () => undefined, plain: true });
  const scheduler = new Scheduler({
    slots: crashSlots,
    concurrency: 4,
    runOne: async (index, attempt) => {
      const slot = crashSlots[index]!;
      runs.push(slot.id);
      const startedAt = performance.now();
      const wire: CaseResult['wire'] = [];
      attempt.onStart(startedAt, wire);
      const log = (dir: CaseResult['wire'][number]['dir'], text: string) =>
        wire.push({ t: performance.now() - startedAt, dir, conn: 'ws#1', text });
      log('open', 'ws://hub/app/key');
      log('<', '{"event":"pusher:connection_established","data":"{}"}');
      if (index === 0) {
        await new Promise((r) => setTimeout(r, 30));
        log('>', '{"event":"pusher:subscribe","data":null}');
        alive = false;
        log('close', '4200 Server is closing');
        return [{ ...row(slot.id), outcome: 'fail', reason: 'connection closed' }];
      }
      for (let waited = 0; alive && waited < 300; waited += 5) await new Promise((r) => setTimeout(r, 5));
      if (alive) return [row(slot.id)];
      log('close', '4200 Server closed. Please reconnect shortly.');
      if (index === 2) return [row(slot.id)];
      return [
        {
          ...row(slot.id),
          outcome: 'blocked',
          blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/3' },
          reason: 'the hub closed ws#1 (4200) without pinging it first',
        },
      ];
    },
    charged: (index, charge) => [{ ...row(crashSlots[index]!.id), outcome: 'fail', reason: `charged with ${charge.crash.id}` }],
    blocked: (index, crash) => [
      { ...row(crashSlots[index]!.id), outcome: 'blocked', blockedBy: { kind: 'crash', id: crash.id }, reason: 'crash' },
    ],
    probe,
    firstProbe: { up: true, at: performance.now(), doneAt: performance.now(), summary: 'up' },
    ...(restartable ? { restart: async () => void ((alive = true), restarts++) } : {}),
    hubDownWaitMs: 300,
    progress,
    warn: () => undefined,
  });
  return {
    run: async () => {
      const out = await scheduler.run();
      progress.finish();
      const outcome = (i: number) =>
        out.rows
          .get(i)!
          .map((r) => (r.blockedBy ? `blocked:${r.blockedBy.kind}` : r.outcome))
          .join(',');
      return { out, outcome, runs, restarts: () => restarts };
    },
  };
}

describe('the scheduler after a crash', () => {
  it('runs again every case whose connections the crash closed, whatever it concluded, and charges only the culprit', async () => {
    const { out, outcome, runs, restarts } = await crashingRun(true).run();
    expect(out.findings.map((f) => [f.id, f.cases])).toEqual([['crash#1', ['culprit#1']]]);
    expect(outcome(0)).toBe('fail');
    // Each neighbour ran beside the culprit, then again after the restart, and passed.
    expect(outcome(1)).toBe('pass');
    expect(outcome(2)).toBe('pass');
    expect(runs.filter((id) => id === 'reads-the-close#1')).toHaveLength(2);
    expect(runs.filter((id) => id === 'passes-anyway#1')).toHaveLength(2);
    // Once after the crash, once after the run alone that confirmed the culprit.
    expect(restarts()).toBe(2);
  });

  it('without the hub back, blocks by the crash what a neighbour concluded from its closed connections, and keeps a pass', async () => {
    const { out, outcome } = await crashingRun(false).run();
    expect(out.findings.map((f) => f.id)).toEqual(['crash#1']);
    expect(outcome(1)).toBe('blocked:crash');
    expect(outcome(2)).toBe('pass');
  });
});
