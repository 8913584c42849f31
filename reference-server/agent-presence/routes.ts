/**
 * The agent-presence HTTP API: `POST /api/presence/{agent_id}/events`, `POST /api/broadcast/features/{id}/status`
 * (both → `{presence}`), and `GET /api/presence` → PresenceList for clients without WebSocket, with the
 * number of open dashboards (the /dashboard page shows it).
 * All need an agent bearer token (the same tokens the dashboard stream takes).
 */
import { z } from 'zod';
import { FeatureStatusRequest, PresenceEventRequest } from '../../spec/schemas/agent-presence.ts';
import { sendJson, type Router } from '../http/router.ts';
import { readJson, requireAgent, validate } from '../sync/http-input.ts';
import type { HubConfig } from '../config.ts';
import { presenceJson } from './presence-store.ts';
import type { PresenceService } from './presence-service.ts';

const PathName = z.string().min(1).max(200);

export function mountPresenceRoutes(
  router: Router,
  config: HubConfig,
  presence: PresenceService,
  now: () => number,
  dashboards: () => number,
): void {
  // implements: agent-presence/api/1, agent-presence/api/6, agent-presence/bad-input/2
  router.add('POST', '/api/presence/:agent_id/events', async (rc) => {
    requireAgent(config.agents, rc.req);
    const agentId = validate(PathName, rc.params.agent_id, 'path.agent_id');
    const input = validate(PresenceEventRequest, readJson(rc.req, rc.body));
    const state = await presence.toolExecuted(agentId, input);
    sendJson(rc.res, 200, { presence: presenceJson(state) });
  });

  // implements: agent-presence/api/4, agent-presence/api/6
  router.add('POST', '/api/broadcast/features/:id/status', async (rc) => {
    requireAgent(config.agents, rc.req);
    const featureId = validate(PathName, rc.params.id, 'path.id');
    const input = validate(FeatureStatusRequest, readJson(rc.req, rc.body));
    const state = await presence.featureStatus(featureId, input);
    sendJson(rc.res, 200, { presence: presenceJson(state) });
  });

  // implements: agent-presence/api/5, agent-presence/api/6
  router.add('GET', '/api/presence', (rc) => {
    requireAgent(config.agents, rc.req);
    sendJson(rc.res, 200, {
      agents: presence.store.all().map(presenceJson),
      timestamp: new Date(now()).toISOString(),
      dashboards: dashboards(),
    });
  });
}
