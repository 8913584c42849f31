/**
 * One node of a cluster crashes (issue 19 item 4): the embedded 2-node cluster on a private Redis, each
 * node behind a relay that "crashes" it on `pusher:subscribe` with `data: null` (selftest's crash hooks),
 * and only per-node restart commands in the target (`nodes[i].restart.command`), no hub-wide one. The run
 * must restart the node that went down with its own command, run its neighbours again and go on: no
 * "no restart.command, waiting 30 s", nothing blocked. One cluster for the file.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedTarget } from '../../cli/embedded-target.ts';
import { ALL_CASES } from '../../conformance/cases/index.ts';
import { sleep } from '../../conformance/clients/wait.ts';
import { runConformance } from '../../conformance/runner.ts';
import type { Case } from '../../conformance/types.ts';
import { startMutatingProxy, type MutatingProxy } from '../../selftest/kit/mutating-proxy.ts';
import { startMutantCluster } from '../../selftest/mutants/cluster-mutant.ts';
import { CRASH_REQUIREMENT, crashHooks } from '../../selftest/mutants/crash-mutants.ts';
import { restartCommand, startControl } from '../../selftest/upstream-hub.ts';
import type { TargetFile } from '../../spec/target.ts';

const FATAL = '{"event":"pusher:subscribe","data":null}';
const caseOf = (requirement: string): Case => ALL_CASES.find((c) => c.requirement === requirement)!;

/** The crash case, sent to node `i`, a moment after its neighbours have opened their connections. */
function culpritOn(i: number): Case {
  const culprit = caseOf(CRASH_REQUIREMENT);
  return { ...culprit, run: async (ctx) => (await sleep(ctx, 700), culprit.run({ ...ctx, node: ctx.target.nodes[i]! })) };
}

describe('a node of a 2-node cluster that crashes', () => {
  let cluster: EmbeddedTarget;
  beforeAll(async () => {
    cluster = await startMutantCluster();
  }, 60_000);
  afterAll(() => cluster?.dispose());

  /** Crash relays in front of both nodes, each with its own restart command (counted); no hub-wide restart. */
  async function crashingNodes<T>(fn: (target: TargetFile, restarts: number[]) => Promise<T>): Promise<T> {
    const proxies: MutatingProxy[] = [];
    const controls: Server[] = [];
    const restarts = cluster.target.nodes.map(() => 0);
    try {
      const nodes: TargetFile['nodes'] = [];
      for (const [i, node] of cluster.target.nodes.entries()) {
        const crash = crashHooks();
        const proxy = await startMutatingProxy({ upstream: node.http, ws: crash.ws, http: crash.http });
        proxies.push(proxy);
        const control = await startControl(async () => {
          restarts[i]!++;
          await cluster.nodeControl!.restart(i);
          crash.revive();
        });
        controls.push(control);
        nodes.push({ ws: proxy.wsUrl, http: proxy.httpUrl, restart: { command: restartCommand(control) } });
      }
      const { restart: _hubWide, neighbour: _other, process: _pid, ...base } = cluster.target;
      return await fn({ ...base, name: 'crashing 2-node cluster, per-node restarts only', nodes }, restarts);
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
      for (const c of controls) {
        c.closeAllConnections();
        c.close();
      }
    }
  }

  async function run(target: TargetFile, cases: Case[]) {
    let text = '';
    const report = await runConformance({ target, cases, progress: { write: (s: string) => (text += s) }, plain: true, seed: 1 });
    return { report, text };
  }

  it('restarts the first node with its own command when it goes down, and runs the case beside the crash again', async () => {
    await crashingNodes(async (target, restarts) => {
      const { report, text } = await run(target, [culpritOn(0), caseOf('pusher/heartbeat/5'), caseOf('pusher/cluster/4')]);
      expect(report.findings.filter((f) => f.kind === 'crash').map((f) => f.text)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^node 1 of 2 went down during ${CRASH_REQUIREMENT}#1 after > ws#1 ${escape(FATAL)} \\(confirmed: run again alone after a restart, it took node 1 of 2 down again; restarted alone with its own restart, not the hub's\\)$`,
          ),
        ),
      ]);
      // Once after the crash, once after the run alone that confirmed it; the other node never.
      expect(restarts).toEqual([2, 0]);
      expect(report.results.map((r) => `${r.id} ${r.outcome}`)).toEqual([
        `${CRASH_REQUIREMENT}#1 fail`,
        'pusher/heartbeat/5#1 pass',
        'pusher/cluster/4#1 pass',
      ]);
      expect(text).not.toContain('waiting up to');
    });
  }, 90_000);

  it('notices the second node going down while the first answers, and restarts only that one', async () => {
    await crashingNodes(async (target, restarts) => {
      const { report, text } = await run(target, [culpritOn(1), caseOf('pusher/cluster/4'), caseOf('pusher/cluster/5')]);
      const crashes = report.findings.filter((f) => f.kind === 'crash');
      expect(crashes.map((f) => [f.cases, f.text.split(' during ')[0]])).toEqual([[[`${CRASH_REQUIREMENT}#1`], 'node 2 of 2 went down']]);
      expect(restarts).toEqual([0, 2]);
      expect(report.results.map((r) => `${r.id} ${r.outcome}`)).toEqual([
        `${CRASH_REQUIREMENT}#1 fail`,
        'pusher/cluster/4#1 pass',
        'pusher/cluster/5#1 pass',
      ]);
      const culprit = report.results[0]!;
      expect(culprit.actual).toMatch(/^after those frames, node 2: new connections answered with pusher:error 4200 "Server is closing"/);
      expect(text).not.toContain('waiting up to');
    });
  }, 90_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
