/**
 * Application state queries and user termination:
 * GET /apps/{id}/channels[?filter_by_prefix&info], GET /apps/{id}/channels/{name}[?info],
 * GET /apps/{id}/channels/{name}/users (presence only), POST /apps/{id}/users/{user_id}/terminate_connections.
 * Source: https://pusher.com/docs/channels/library_auth_reference/rest-api/#channels
 */
import { isPresence, isValidChannelName } from '../../spec/protocol/channels.ts';
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import { HttpError, sendJson, type RequestContext } from '../http/router.ts';
import { authenticate } from './http-auth.ts';
import { channelAttributes, parseInfo } from './http-events.ts';
import type { PusherHub } from './hub-state.ts';

const bad = (message: string) => new HttpError(400, 'bad_request', message);

function channelParam(rc: RequestContext): string {
  const name = rc.params.channel;
  if (!isValidChannelName(name)) throw bad(`"${(name ?? '').slice(0, 60)}" is not a valid channel name`);
  return name;
}

export function mountQueryRoutes(hub: PusherHub): void {
  const { router } = hub.ctx;

  // implements: pusher/http-api/8, pusher/http-api/9
  router.add('GET', '/apps/:appId/channels', (rc) => {
    authenticate(hub, rc);
    const prefix = rc.query.filter_by_prefix ?? '';
    const info = parseInfo(rc.query.info);
    if (info.includes('user_count') && !prefix.startsWith('presence-')) {
      throw bad('info=user_count is only allowed with filter_by_prefix=presence-');
    }
    const channels: Record<string, Record<string, number>> = {};
    for (const name of hub.channels.names()) {
      if (name.startsWith('#')) continue; // per-user channels are not listed, as in Pusher
      if (name.startsWith(prefix)) channels[name] = channelAttributes(hub, name, info);
    }
    sendJson(rc.res, 200, { channels });
  });

  // implements: pusher/http-api/10
  router.add('GET', '/apps/:appId/channels/:channel', (rc) => {
    authenticate(hub, rc);
    const channel = channelParam(rc);
    const info = parseInfo(rc.query.info);
    if (info.includes('user_count') && !isPresence(channel)) throw bad('info=user_count is only allowed for presence- channels');
    const subscriptions = hub.channels.count(channel);
    sendJson(rc.res, 200, { occupied: subscriptions > 0, ...channelAttributes(hub, channel, info) });
  });

  // implements: pusher/http-api/11, pusher/http-api/12
  router.add('GET', '/apps/:appId/channels/:channel/users', (rc) => {
    authenticate(hub, rc);
    const channel = channelParam(rc);
    if (!isPresence(channel)) throw bad(`users can only be listed for presence- channels, not ${channel}`);
    sendJson(rc.res, 200, { users: hub.presence.userIds(channel).map((id) => ({ id })) });
  });

  router.add('POST', '/apps/:appId/users/:userId/terminate_connections', (rc) => {
    authenticate(hub, rc);
    const userId = rc.params.userId ?? '';
    const conns = [...(hub.users.get(userId) ?? [])];
    for (const conn of conns) {
      conn.sendError(CloseCode.UNAUTHORIZED, 'connection terminated by the application');
      conn.close(CloseCode.UNAUTHORIZED, 'connection terminated by the application');
    }
    hub.ctx.log(`terminated ${conns.length} connection(s) of user ${userId}`);
    sendJson(rc.res, 200, {});
  });
}
