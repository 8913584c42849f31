import { readFileSync } from 'node:fs';
import { openDashboard, type Dashboard } from '../../clients/presence-stream.ts';
import { sleep } from '../../clients/wait.ts';
import type { Case, CaseContext } from '../../types.ts';
import { presenceApi, toolEvent, uid } from './fixtures.ts';

const RATE = 1000;
const UPDATES = 200;

function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const performanceCases: Case[] = [
  {
    requirement: 'agent-presence/performance/1',
    desc: `Light functional check (full rate is certified by \`hubproof load\`): posts ${UPDATES} updates at ${RATE}/s to 3 dashboards; expects every dashboard to get every one, and reports p99 propagation`,
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const ds: Dashboard[] = [];
      for (let i = 0; i < 3; i++) ds.push(await openDashboard(ctx, { sessionId: uid('s') }));
      const agent = uid('agent');
      const sess = uid('s');
      const sentAt: number[] = [];
      const pending: Array<Promise<unknown>> = [];
      const t0 = performance.now();
      for (let i = 0; i < UPDATES; i++) {
        const due = t0 + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await sleep(ctx, wait);
        sentAt.push(performance.now());
        pending.push(api.event(agent, toolEvent(sess, { tool_name: `t${i}`, cost_tokens: 1 })));
      }
      await Promise.all(pending);
      const latencies: number[] = [];
      for (const d of ds) {
        await d.waitUntil(() => d.updates.filter((u) => u.msg.agent_id === agent).length >= UPDATES, 5000, `${UPDATES} updates`);
        for (const u of d.updates.filter((x) => x.msg.agent_id === agent)) {
          const i = Number(u.msg.presence.last_tool_name?.slice(1));
          if (Number.isInteger(i) && sentAt[i] !== undefined) latencies.push(u.at - sentAt[i]!);
        }
      }
      latencies.sort((a, b) => a - b);
      const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1] ?? NaN;
      ctx.note(`${UPDATES} updates × ${ds.length} dashboards delivered; request-to-receipt p50 ${latencies[Math.floor(latencies.length / 2)]?.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (the client's HTTP queue included)`);
    },
  },
  {
    requirement: 'agent-presence/performance/2',
    desc: 'Light functional check (1000 dashboards are certified by `hubproof load`): opens 100 dashboards and samples the hub process RSS; expects growth extrapolated to 1000 under 100 MB',
    timeoutMs: 30_000,
    async run(ctx: CaseContext) {
      presenceApi(ctx);
      const pid = ctx.target.process?.pid;
      if (pid === undefined) ctx.skip('target has no process pid to sample');
      const before = rssBytes(pid);
      if (before === undefined) ctx.skip(`cannot read /proc/${pid}/status on this machine`);
      const n = 100;
      const max = ctx.hub?.limits.max_dashboards_per_session ?? 10;
      for (let i = 0; i < n; i++) await openDashboard(ctx, { sessionId: `mem-${Math.floor(i / max)}-${uid('s')}` });
      await sleep(ctx, 200);
      const after = rssBytes(pid) ?? before;
      const per1000 = ((after - before) / n) * 1000;
      const mb = per1000 / 1024 / 1024;
      // An in-process hub shares its RSS with the harness's own sockets, so this over-estimates.
      ctx.note(`RSS ${(before / 1048576).toFixed(1)} → ${(after / 1048576).toFixed(1)} MB for ${n} dashboards; ≈ ${mb.toFixed(1)} MB per 1000${pid === process.pid ? ' (hub in the harness process: includes client sockets)' : ''}`);
      ctx.expect(mb < 100, `memory grows ≈ ${mb.toFixed(1)} MB per 1000 dashboards`, { expected: '< 100 MB per 1000 dashboards', actual: `${mb.toFixed(1)} MB` });
    },
  },
];
