import { AgentParticipantJoined, AgentParticipantLeft, Participant, wireEventName } from '../../../spec/schemas/sync.ts';
import { expectApiError, parseBody } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectAbsent, expectEqual, expectFields, expectStatus } from '../../verify.ts';
import { sleep } from '../../clients/wait.ts';
import { keepAlive, requireSync, sessionFixture, waitForSync, watch, type KeptAlive } from './fixtures.ts';

const LEFT = wireEventName('AgentParticipantLeft');
const JOINED = wireEventName('AgentParticipantJoined');

/** The advertised participant cap, or skip when it is too big to fill. */
function maxParticipants(ctx: CaseContext): number {
  const max = ctx.hub?.limits.max_participants ?? 10;
  if (max > 50) ctx.skip(`max_participants ${max} is too large to fill in a conformance run`);
  return max;
}

export const participantCases: Case[] = [
  {
    requirement: 'sync/participants/1',
    desc: 'Joins a second agent to a session while the first watches its channel; expects 201 Participant and AgentParticipantJoined',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2, join: false });
      await f.apis[0]!.join(f.session.session_id, 'watcher');
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      const res = await f.apis[1]!.raw({
        method: 'POST',
        path: `/api/sessions/${f.session.session_id}/participants`,
        body: { agent_type: 'frontend-dev' },
      });
      expectStatus(res, 201, 'join');
      const p = parseBody(Participant, res.json, 'POST participants');
      const ev = parseBody(
        AgentParticipantJoined,
        await waitForSync(
          sock,
          f.channel,
          'AgentParticipantJoined',
          (d: { participant_id?: unknown }) => d.participant_id === p.participant_id,
        ),
        'AgentParticipantJoined',
      );
      expectFields(
        ev,
        { agent_type: 'frontend-dev', agent_identifier: f.agents[1]!.identifier, session_id: f.session.session_id },
        'AgentParticipantJoined does not describe the join',
      );
    },
  },
  {
    requirement: 'sync/participants/2',
    desc: 'Fills a session to max_participants and joins once more; expects 409 session_full and no AgentParticipantJoined for it',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const max = maxParticipants(ctx);
      const f = await sessionFixture(ctx);
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      const fillers: KeptAlive[] = [];
      keepAlive(ctx, [], fillers);
      for (let i = 1; i < max; i++)
        fillers.push({
          api: f.apis[0]!,
          sessionId: f.session.session_id,
          participantId: (await f.apis[0]!.join(f.session.session_id, `filler-${i}`)).participant_id,
        });
      await expectApiError(ctx, f.apis[0]!.join(f.session.session_id, 'overflow'), 409, 'session_full', `join #${max + 1}`);
      await sleep(ctx, 200);
      const page = await f.apis[0]!.allEvents(f.channel);
      const joins = page.events.filter((e) => e.event === JOINED).length;
      expectEqual(joins, max, `the refused join left a trace in history (${max} AgentParticipantJoined expected)`);
      expectAbsent(
        sock.frames.find((fr) => fr.event === JOINED && String(fr.data).includes('overflow')),
        'AgentParticipantJoined for "overflow"',
        'the refused join was broadcast',
      );
    },
  },
  {
    requirement: 'sync/participants/3',
    desc: 'Leaves a session with DELETE …/participants/{pid}; expects 204 and AgentParticipantLeft {reason:"left"}',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2 });
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      const pid = f.participants[1]!.participant_id;
      const res = await f.apis[1]!.raw({ method: 'DELETE', path: `/api/sessions/${f.session.session_id}/participants/${pid}` });
      expectStatus(res, 204, 'DELETE participant');
      const ev = parseBody(
        AgentParticipantLeft,
        await waitForSync(sock, f.channel, 'AgentParticipantLeft', (d: { participant_id?: unknown }) => d.participant_id === pid),
        'AgentParticipantLeft',
      );
      expectEqual(ev.reason, 'left', `AgentParticipantLeft reason is ${ev.reason}`);
    },
  },
  {
    requirement: 'sync/participants/4',
    desc: 'Fills a session, lets one participant leave, and joins again; expects the join to succeed',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const max = maxParticipants(ctx);
      const f = await sessionFixture(ctx);
      const extra = [];
      const fillers: KeptAlive[] = [];
      keepAlive(ctx, [], fillers);
      for (let i = 1; i < max; i++) {
        extra.push(await f.apis[0]!.join(f.session.session_id, `filler-${i}`));
        fillers.push({ api: f.apis[0]!, sessionId: f.session.session_id, participantId: extra.at(-1)!.participant_id });
      }
      await expectApiError(ctx, f.apis[0]!.join(f.session.session_id, 'overflow'), 409, 'session_full', 'join into a full session');
      await f.apis[0]!.leave(f.session.session_id, extra[0]!.participant_id);
      await f.apis[0]!.join(f.session.session_id, 'after-leave');
    },
  },
  {
    requirement: 'sync/participants/5',
    desc: 'Leaves a session twice; expects exactly one AgentParticipantLeft for that participant in history',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 1 });
      const reader = await f.apis[0]!.join(f.session.session_id, 'reader'); // keeps history readable
      const pid = f.participants[0]!.participant_id;
      ctx.expect(reader.participant_id !== pid, 'join returned an existing participant');
      await f.apis[0]!.leave(f.session.session_id, pid);
      await f.apis[0]!.raw({ method: 'DELETE', path: `/api/sessions/${f.session.session_id}/participants/${pid}` });
      await sleep(ctx, 100);
      const lefts = (await f.apis[0]!.allEvents(f.channel)).events.filter((e) => e.event === LEFT && e.data.participant_id === pid);
      expectEqual(lefts.length, 1, `${lefts.length} AgentParticipantLeft for one participant`);
    },
  },
];
