import { openDashboard } from '../../clients/presence-stream.ts';
import type { Case, CaseContext, EffectiveTimings } from '../../types.ts';
import { expectBetween, expectEqual } from '../../verify.ts';
import { guardStatusTimings, presenceApi, toolEvent, uid } from './fixtures.ts';

/** Client-side allowance for timers and round trips around the advertised periods. */
const SLACK_MS = 1500;
const statusTimeout = (t: EffectiveTimings) => t.offlineAfterMs + 2 * SLACK_MS + 8000;

export const statusCases: Case[] = [
  {
    requirement: 'agent-presence/status/1',
    timerBound: true,
    desc: 'Posts one tool event and stays quiet; expects idle broadcast after idle_after and offline after offline_after (each not early, and within a sweep allowance)',
    timeoutMs: statusTimeout,
    async run(ctx: CaseContext) {
      guardStatusTimings(ctx);
      const api = presenceApi(ctx);
      const d = await openDashboard(ctx, { sessionId: uid('s') });
      const agent = uid('agent');
      const sent = performance.now();
      await api.event(agent, toolEvent(uid('s')));
      const { idleAfterMs: idle, offlineAfterMs: offline } = ctx.timings;
      await d.waitForUpdate((m) => m.agent_id === agent && m.presence.status === 'idle', idle + SLACK_MS + 2000, 'status idle');
      await d.waitForUpdate((m) => m.agent_id === agent && m.presence.status === 'offline', offline + SLACK_MS + 2000, 'status offline');
      const at = (s: string) => d.updates.find((u) => u.msg.agent_id === agent && u.msg.presence.status === s)!.at - sent;
      ctx.note(
        `idle after ${at('idle').toFixed(0)} ms (advertised ${idle}), offline after ${at('offline').toFixed(0)} ms (advertised ${offline})`,
      );
      expectBetween(at('idle'), idle - 100, idle + SLACK_MS, `idle came after ${at('idle').toFixed(0)} ms`, {
        unit: 'ms',
        bound: `idle_after ${idle} ms, less 100 ms timer jitter, plus ${SLACK_MS} ms sweep allowance`,
      });
      expectBetween(at('offline'), offline - 100, offline + SLACK_MS, `offline came after ${at('offline').toFixed(0)} ms`, {
        unit: 'ms',
        bound: `offline_after ${offline} ms, less 100 ms timer jitter, plus ${SLACK_MS} ms sweep allowance`,
      });
    },
  },
  {
    requirement: 'agent-presence/status/2',
    timerBound: true,
    desc: 'Lets an agent go idle, then posts a tool event; expects status active again',
    timeoutMs: statusTimeout,
    async run(ctx: CaseContext) {
      guardStatusTimings(ctx);
      const api = presenceApi(ctx);
      const d = await openDashboard(ctx, { sessionId: uid('s') });
      const agent = uid('agent');
      const sess = uid('s');
      await api.event(agent, toolEvent(sess));
      await d.waitForUpdate(
        (m) => m.agent_id === agent && m.presence.status === 'idle',
        ctx.timings.idleAfterMs + SLACK_MS + 2000,
        'status idle',
      );
      const p = await api.event(agent, toolEvent(sess));
      expectEqual(p.status, 'active', `status after a new event is ${p.status}`);
    },
  },
];
