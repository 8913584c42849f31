/**
 * Channel authorization for Pusher clients (`POST /broadcasting/auth`, as Laravel answers it) and the
 * per-channel event history used for recovery (`GET /api/channels/{channel}/events`).
 */
import { z } from 'zod';
import { signChannelAuth } from '../../spec/protocol/signing.ts';
import { BroadcastingAuthRequest } from '../../spec/schemas/sync.ts';
import { HttpError, parseJsonBody, sendJson, type RequestContext, type Router } from '../http/router.ts';
import { channelAccess } from './channel-access.ts';
import { isJsonMediaType, mediaType, requireAgent, validate } from './http-input.ts';
import type { SyncServices } from './services.ts';

const SOCKET_ID = /^\d+\.\d+$/;

/** pusher-js posts a form; other clients send JSON. */
function authBody(rc: RequestContext): unknown {
  const type = mediaType(rc.req);
  if (type === 'application/x-www-form-urlencoded' || (type === undefined && !rc.body.trimStart().startsWith('{'))) {
    return Object.fromEntries(new URLSearchParams(rc.body));
  }
  if (type !== undefined && !isJsonMediaType(type)) {
    throw new HttpError(415, 'unsupported_media_type', `send a form (application/x-www-form-urlencoded) or JSON, not ${type}`);
  }
  return parseJsonBody(rc.body);
}

// implements: sync/history/3, sync/bad-input/4
const HistoryQuery = (max: number) =>
  z.object({
    after_seq: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a non-negative integer')
      .transform(Number)
      .default(0),
    limit: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a positive integer')
      .transform(Number)
      .pipe(z.number().int().min(1).max(max, `must be at most ${max} (limits.historyPageMax)`))
      .default(Math.min(100, max)),
  });

export function mountChannelRoutes(router: Router, svc: SyncServices): void {
  const { repo, config } = svc;
  const historyQuery = HistoryQuery(config.limits.historyPageMax);

  // implements: sync/auth/1, sync/auth/3
  router.add('POST', '/broadcasting/auth', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const input = validate(BroadcastingAuthRequest, authBody(rc));
    if (!SOCKET_ID.test(input.socket_id)) {
      throw new HttpError(400, 'validation_failed', 'body.socket_id: must look like "123.456" (from pusher:connection_established)');
    }
    const access = channelAccess(repo, agent, input.channel_name);
    if (!access.ok) throw new HttpError(403, 'forbidden', access.reason);
    sendJson(rc.res, 200, { auth: signChannelAuth(config.app, input.socket_id, input.channel_name) });
  });

  // implements: sync/history/1, sync/history/4
  router.add('GET', '/api/channels/:channel/events', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const query = validate(historyQuery, rc.query, 'query');
    const channel = rc.params.channel!;
    const access = channelAccess(repo, agent, channel);
    if (!access.ok) throw new HttpError(403, 'forbidden', access.reason);
    const page = svc.events.history(channel, query.after_seq, query.limit);
    sendJson(rc.res, 200, {
      channel,
      events: page.events.map((e) => ({
        seq: e.seq,
        event_id: e.event_id,
        event: e.event,
        data: JSON.parse(e.data) as unknown,
        emitted_at: e.emitted_at,
      })),
      last_seq: page.lastSeq,
    });
  });
}
