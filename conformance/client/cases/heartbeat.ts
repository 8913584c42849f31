/**
 * pusher-client/heartbeat: answering the hub's pings, pinging a silent hub after `activity_timeout`, and
 * treating a ping that no pong answers as a dead connection. The hub announces activity_timeout 1 s.
 */
import { DependencyUnmet } from '../../types.ts';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { connectedClient, nextConnection, PONG_TIMEOUT_MS } from './helpers.ts';

const PINGS = 'pusher-client/heartbeat/2';
/** docs/protocol.md, "Client heartbeat". */
const PONG_WITHIN_MS = 2000;
const PING_LATE_MS = 1500;
const RECONNECT_AFTER_TIMEOUT_MS = 2000;
const ACTIVITY_TIMEOUT_S = 1;

const isPing = (event: string | undefined) => event === 'pusher:ping' || event === '(ws ping)';

export const heartbeatCases: ClientCase[] = [
  {
    requirement: 'pusher-client/heartbeat/1',
    desc: 'Sends pusher:ping to a connected client; expects pusher:pong on the same connection within 2 s',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      const sentAt = ctx.now();
      c.conn.send('pusher:ping', {});
      const pong = await c.hub.until(() => c.hub.received('pusher:pong', c.conn).find((f) => f.t >= sentAt), PONG_WITHIN_MS);
      if (!pong)
        ctx.fail(`no pusher:pong within ${PONG_WITHIN_MS} ms of the hub's pusher:ping`, {
          expected: 'pusher:pong on the same connection',
          actual: c.conn.open ? 'nothing' : `the connection closed (${c.conn.closed?.code})`,
        });
    },
  },
  {
    requirement: PINGS,
    desc: 'Announces activity_timeout 1 s, then sends nothing; expects a pusher:ping (or WebSocket ping) no later than 1.5 s after the timeout ran out',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx, { activityTimeoutS: ACTIVITY_TIMEOUT_S });
      const lastSent = () => Math.max(...c.hub.frames.filter((f) => f.conn === c.conn.name && f.dir === '>').map((f) => f.t));
      const bound = () => lastSent() + ACTIVITY_TIMEOUT_S * 1000 + PING_LATE_MS;
      const ping = await c.hub.until(
        () => c.hub.frames.find((f) => f.conn === c.conn.name && f.dir === '<' && isPing(f.event)),
        bound() - ctx.now(),
      );
      if (!ping || ping.t > bound())
        ctx.fail(`no ping within ${ACTIVITY_TIMEOUT_S} s + ${PING_LATE_MS} ms of silence from the hub`, {
          expected: `pusher:ping by ${Math.round(bound())} ms`,
          actual: ping
            ? `first ping at ${ping.t} ms`
            : c.conn.open
              ? 'no ping'
              : `the connection closed (${c.conn.closed?.code}) without a ping`,
        });
    },
  },
  {
    requirement: 'pusher-client/heartbeat/3',
    desc: 'Announces activity_timeout 1 s and answers no ping; expects the client to close that connection and connect again within 2 s after its 1 s pong timeout',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx, { activityTimeoutS: ACTIVITY_TIMEOUT_S });
      c.conn.answerPings = false;
      const ping = await c.hub.until(
        () => c.hub.frames.find((f) => f.conn === c.conn.name && f.dir === '<' && isPing(f.event)),
        ACTIVITY_TIMEOUT_S * 1000 + PING_LATE_MS + 500,
      );
      if (!ping) throw new DependencyUnmet(PINGS, 'the client never pinged the silent hub, so no pong could be missing');
      const bound = ping.t + PONG_TIMEOUT_MS + RECONNECT_AFTER_TIMEOUT_MS;
      await c.hub.until(() => c.conn.closed && c.hub.connections.indexOf(c.conn) < c.hub.connections.length - 1, bound - ctx.now() + 100);
      const next = await nextConnection(c.hub, c.conn, 0);
      const late = (t: number | undefined) => t === undefined || t > bound;
      if (late(next?.openedAt) || late(c.conn.closed?.t))
        ctx.fail('the client kept the connection whose ping went unanswered', {
          expected: `that connection closed and a new one opened by ${Math.round(bound)} ms (ping at ${ping.t} ms + pong timeout ${PONG_TIMEOUT_MS} ms + ${RECONNECT_AFTER_TIMEOUT_MS} ms)`,
          actual: `${c.conn.closed ? `closed at ${c.conn.closed.t} ms by the ${c.conn.closed.by}` : 'still open'}; ${next ? `next connection at ${next.openedAt} ms` : 'no new connection'}`,
        });
    },
  },
];
