/**
 * Liveness and crash attribution (issue #12 item 1): a hub that crashes on one frame and refuses every
 * connection with `pusher:error 4200 "Server is closing"` afterwards. One at a time, the case that sent
 * the frame fails, the cases before it pass and those after it are blocked (never failed); with a
 * restart.command the run restarts the hub, confirms the culprit alone and goes on. Attribution from the
 * wire logs is checked on the races a concurrent run produces. (The default, concurrent runs of both
 * crash mutants are in mutants.test.ts, judged by judgeCrashRun.)
 */
import { describe, expect, it } from 'vitest';
import { ALL_CASES } from '../../conformance/cases/index.ts';
import { sleep } from '../../conformance/clients/wait.ts';
import { rankSuspects, type CaseRecord } from '../../conformance/crash.ts';
import { runConformance } from '../../conformance/runner.ts';
import type { Case } from '../../conformance/types.ts';
import { conformanceJunit } from '../../reports/junit.ts';
import { CRASH_REQUIREMENT, judgeCrashRun, startCrashingHub } from '../../selftest/mutants/crash-mutants.ts';

const FATAL = '{"event":"pusher:subscribe","data":null}';

describe('crash attribution from the wire logs', () => {
  // A concurrent run: bad-input/6 unsubscribed (a frame that gets no answer) before the fatal frame and
  // the hub answered bad-input/2 after it; bad-input/2 sent `null` 0.4 ms after the fatal frame (never
  // answered), and bad-input/5 opened a connection in the moment between the fatal frame and the first 4200.
  const records: CaseRecord[] = [
    {
      id: 'pusher/bad-input/2#1',
      startedAt: 1000,
      wire: [
        { t: 0, dir: 'open', conn: 'ws#1', text: 'ws://hub/app/k' },
        { t: 1, dir: '<', conn: 'ws#1', text: '{"event":"pusher:connection_established","data":"{}"}' },
        { t: 5, dir: '>', conn: 'ws#1', text: '"text"' },
        { t: 5.5, dir: '<', conn: 'ws#1', text: '{"event":"pusher:error","data":{"code":null,"message":"x"}}' },
        { t: 10.4, dir: '>', conn: 'ws#1', text: 'null' },
        { t: 10.8, dir: '<', conn: 'ws#1', text: '{"event":"pusher:error","data":{"code":4200,"message":"Server is closing"}}' },
      ],
    },
    {
      id: 'pusher/bad-input/4#1',
      startedAt: 1002,
      wire: [
        { t: 0, dir: 'open', conn: 'ws#1', text: 'ws://hub/app/k' },
        { t: 1, dir: '<', conn: 'ws#1', text: '{"event":"pusher:connection_established","data":"{}"}' },
        { t: 8, dir: '>', conn: 'ws#1', text: FATAL },
        { t: 8.5, dir: '<', conn: 'ws#1', text: '{"event":"pusher:error","data":{"code":4200,"message":"Server is closing"}}' },
        { t: 8.6, dir: 'close', conn: 'ws#1', text: '4200 Server is closing' },
      ],
    },
    {
      id: 'pusher/bad-input/6#1',
      startedAt: 900,
      wire: [
        { t: 0, dir: 'open', conn: 'ws#1', text: 'ws://hub/app/k' },
        { t: 1, dir: '<', conn: 'ws#1', text: '{"event":"pusher:connection_established","data":"{}"}' },
        { t: 70, dir: '>', conn: 'ws#1', text: '{"event":"pusher:unsubscribe","data":{"channel":"hp-never"}}' },
        { t: 110.9, dir: 'close', conn: 'ws#1', text: '4200 Server is closing' },
      ],
    },
    {
      id: 'pusher/bad-input/5#1',
      startedAt: 1010.1,
      wire: [
        { t: 0, dir: 'open', conn: 'ws#1', text: 'ws://hub/app/k' },
        { t: 0.6, dir: '<', conn: 'ws#1', text: '{"event":"pusher:error","data":{"code":4200,"message":"Server is closing"}}' },
      ],
    },
  ];

  it('charges the first entry the hub never answered, not an answerless frame before it nor a connection it refused as already down', () => {
    const [first, second, third] = rankSuspects(records, 900, 1010.7);
    expect(first?.record.id).toBe('pusher/bad-input/4#1');
    expect(first?.lastSent.text).toBe(FATAL);
    // The near miss is kept as the runner-up, so the finding can name it.
    expect(second?.record.id).toBe('pusher/bad-input/2#1');
    expect(third).toBeUndefined();
  });

  it('does not suspect an entry the hub answered, nor one answered by the hub to anyone after it', () => {
    const answered: CaseRecord = {
      id: 'pusher/connection/1#1',
      startedAt: 1000,
      wire: [
        { t: 0, dir: 'http>', conn: 'http#1', text: 'POST /apps/1/events {}' },
        { t: 9.9, dir: 'http<', conn: 'http#1', text: '200 {}' },
      ],
    };
    const [first] = rankSuspects([answered, records[1]!], 900, 1010.7);
    expect(first?.record.id).toBe('pusher/bad-input/4#1');
  });
});

describe('a hub that crashes on pusher:subscribe with data null', () => {
  it('one at a time, without restart: the cases after it are blocked by the crash, never failed', async () => {
    const hub = await startCrashingHub({ restartable: false });
    try {
      const report = await runConformance({
        target: hub.target,
        selectors: ['pusher/bad-input'],
        concurrency: 1,
        hubDownWaitMs: 1000,
        progress: null,
        seed: 1,
      });
      expect(judgeCrashRun(report, false)).toEqual([]);
      const at = report.results.findIndex((r) => r.requirement === CRASH_REQUIREMENT);
      const before = report.results.slice(0, at).map((r) => r.outcome);
      const after = report.results.slice(at + 1);
      expect(
        before.every((o) => o === 'pass' || o === 'skipped'),
        before.join(' '),
      ).toBe(true);
      expect(after.length).toBeGreaterThan(0);
      for (const r of after.filter((r) => r.outcome !== 'skipped')) {
        expect(r.outcome, r.id).toBe('blocked');
        expect(r.reason).toBe(`hub down since ${CRASH_REQUIREMENT}#1 (crash#1); not run`);
      }
      expect(hub.crashes()).toBe(1);
      expect(report.findings).toEqual([
        expect.objectContaining({ id: 'crash#1', kind: 'crash', severity: 'fail', cases: [`${CRASH_REQUIREMENT}#1`] }),
      ]);
      expect(report.findings[0]!.text).toContain(`after > ws#1 ${FATAL}`);
      expect(report.findings[0]!.text).toContain('not confirmed: without restart.command');
      // JUnit leads with the crash too.
      expect(conformanceJunit(report)).toContain(`hub crashed during ${CRASH_REQUIREMENT}#1`);
    } finally {
      await hub.close();
    }
  }, 60_000);

  it('one at a time, with restart.command: restarts it, confirms the culprit alone, and every other case passes', async () => {
    const hub = await startCrashingHub({ restartable: true });
    try {
      let text = '';
      const report = await runConformance({
        target: hub.target,
        selectors: ['pusher/bad-input'],
        concurrency: 1,
        progress: { write: (s: string) => (text += s) },
        plain: true,
        seed: 1,
      });
      expect(judgeCrashRun(report, true)).toEqual([]);
      // Once in the run, once when run alone to confirm it.
      expect(hub.crashes()).toBe(2);
      expect(text).toContain(
        `hub crashed 1 time(s): during ${CRASH_REQUIREMENT}#1 after > ws#1 ${FATAL} (confirmed: run again alone after a restart, it took the hub down again)`,
      );
    } finally {
      await hub.close();
    }
  }, 60_000);
});

describe('a case beside the crash', () => {
  const caseOf = (requirement: string): Case => ALL_CASES.find((c) => c.requirement === requirement)!;

  it('is run again after the restart when its connections were closed in the crash window, and only the culprit is charged', async () => {
    // pusher/heartbeat/5 opens its two connections and waits for the hub's first ping (2 s on the fast
    // hub); the culprit sends its fatal frame a moment later, so the crash closes them with 4200 first
    // (Soketi: "the hub closed ws-pong (4200) without pinging it first", read as "never pings").
    const culprit = caseOf(CRASH_REQUIREMENT);
    const late: Case = { ...culprit, run: async (ctx) => (await sleep(ctx, 700), culprit.run(ctx)) };
    const neighbour = caseOf('pusher/heartbeat/5');
    let neighbourRuns = 0;
    const counted: Case = { ...neighbour, run: (ctx) => (neighbourRuns++, neighbour.run(ctx)) };
    const hub = await startCrashingHub({ restartable: true });
    try {
      const report = await runConformance({ target: hub.target, cases: [late, counted], progress: null, seed: 1 });
      expect(judgeCrashRun(report, true)).toEqual([]);
      expect(report.results.map((r) => `${r.id} ${r.outcome}`)).toEqual([`${CRASH_REQUIREMENT}#1 fail`, 'pusher/heartbeat/5#1 pass']);
      // Beside the culprit (cut by the crash), then again after the restart.
      expect(neighbourRuns).toBe(2);
      // No root cause but the crash: nothing the neighbour saw in the crash window is charged.
      expect(report.groups).toEqual([]);
    } finally {
      await hub.close();
    }
  }, 60_000);
});
