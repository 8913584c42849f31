import { HubInfo } from '../../../spec/schemas/sync.ts';
import { SyncApi, expectApiError, parseBody, syncAgents } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectIncludes, expectStatus } from '../../verify.ts';
import { keepAlive, requireSync, sessionFixture, type KeptAlive } from './fixtures.ts';

export const hubInfoCases: Case[] = [
  {
    requirement: 'sync/hub-info/1',
    desc: 'Sends GET /api/hub and validates the HubInfo body (spec version, profiles incl. sync, limits, timings)',
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const [agent] = syncAgents(ctx);
      const res = await new SyncApi(ctx, agent!).raw({ method: 'GET', path: '/api/hub' });
      expectStatus(res, 200, 'GET /api/hub');
      const info = parseBody(HubInfo, res.json, 'GET /api/hub');
      expectIncludes(info.profiles, ['sync'], 'GET /api/hub does not list the sync profile');
    },
  },
  {
    requirement: 'sync/hub-info/2',
    desc: 'Joins max_participants participants as advertised, then one more, expecting 409 session_full exactly at the advertised limit',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const max = ctx.hub?.limits.max_participants;
      if (max === undefined) ctx.skip('target has no GET /api/hub to advertise limits');
      if (max > 50) ctx.skip(`advertised max_participants ${max} is too large to fill in a conformance run`);
      const f = await sessionFixture(ctx, { join: false });
      const fillers: KeptAlive[] = [];
      keepAlive(ctx, [], fillers);
      for (let i = 0; i < max; i++)
        fillers.push({
          api: f.apis[0]!,
          sessionId: f.session.session_id,
          participantId: (await f.apis[0]!.join(f.session.session_id, `filler-${i}`)).participant_id,
        });
      await expectApiError(ctx, f.apis[0]!.join(f.session.session_id, 'one-too-many'), 409, 'session_full', `join #${max + 1}`);
    },
  },
];
