/**
 * pusher-client/reconnect: what a client does after each class of close code (4001-4099 stay away,
 * 4100-4199 back off at least 1 s, 4200-4299 come back, at once), and after a drop without a code.
 */
import { CheckFailure } from '../../types.ts';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { anyConnectionAfter, connectedClient } from './helpers.ts';

/** How long a client is watched for a reconnect it must not make (docs/protocol.md, "Reconnecting"). */
const STAY_AWAY_MS = 4000;
const BACK_WITHIN_MS = 10_000;
const BACKOFF_MIN_MS = 1000;
/** Timers may fire a few ms early against another clock; a real back-off is never this close to 1 s. */
const TIMER_TOLERANCE_MS = 20;
const AT_ONCE_MS = 1000;
const RECONNECTS = 'pusher-client/reconnect/3';
const AT_ONCE = 'pusher-client/reconnect/4';

function stayAway(code: number): ClientCase {
  return {
    requirement: 'pusher-client/reconnect/1',
    desc: `Closes the connection with ${code} once the client is connected; watches ${STAY_AWAY_MS / 1000} s for another connection`,
    timeoutMs: STAY_AWAY_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      c.conn.closeWith(code, code === 4001 ? 'Application does not exist' : 'Unauthorized connection');
      const closedAt = c.conn.closed!.t;
      const again = await anyConnectionAfter(c.hub, c.conn, STAY_AWAY_MS);
      if (again)
        ctx.fail(`the client reconnected ${Math.round(again.openedAt - closedAt)} ms after a close with ${code}`, {
          expected: `no new connection within ${STAY_AWAY_MS} ms of the close with ${code}`,
          actual: `${again.name} opened at ${again.openedAt} ms (close at ${closedAt} ms)`,
        });
    },
  };
}

function dropped(how: 'drop' | 1001): ClientCase {
  const what = how === 'drop' ? 'drops every connection without a close frame' : 'closes every connection with 1001 (going away)';
  return {
    requirement: 'pusher-client/reconnect/5',
    desc: `Restarts: ${what}, refuses connections for 300 ms, then listens again; expects the client back within 10 s`,
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      await c.hub.restart({ downMs: 300, close: how });
      const upAt = ctx.now();
      const again = await anyConnectionAfter(c.hub, c.conn, BACK_WITHIN_MS);
      if (!again)
        ctx.fail(`the client did not come back within ${BACK_WITHIN_MS} ms of the hub listening again`, {
          expected: `a new connection by ${Math.round(upAt + BACK_WITHIN_MS)} ms`,
          actual: 'none',
        });
    },
  };
}

export const reconnectCases: ClientCase[] = [
  stayAway(4001),
  stayAway(4009),
  {
    requirement: 'pusher-client/reconnect/2',
    desc: 'Closes the connection with 4100 (over capacity) once the client is connected; expects the next connection no sooner than 1 s and no later than 10 s after the close',
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      c.conn.closeWith(4100, 'Over capacity');
      const closedAt = c.conn.closed!.t;
      const again = await anyConnectionAfter(c.hub, c.conn, BACK_WITHIN_MS);
      if (!again)
        ctx.fail(`the client did not reconnect within ${BACK_WITHIN_MS} ms of a close with 4100`, {
          expected: `a new connection between ${BACKOFF_MIN_MS} and ${BACK_WITHIN_MS} ms after the close`,
          actual: 'none',
        });
      const delay = again.openedAt - closedAt;
      if (delay < BACKOFF_MIN_MS - TIMER_TOLERANCE_MS)
        ctx.fail(`the client reconnected ${Math.round(delay)} ms after a close with 4100, without backing off`, {
          expected: `a new connection no sooner than ${BACKOFF_MIN_MS} ms after the close`,
          actual: `${again.name} after ${Math.round(delay)} ms`,
        });
    },
  },
  {
    requirement: RECONNECTS,
    alsoProves: [AT_ONCE],
    desc: 'Closes the connection with 4200 once the client is connected; expects the next connection within 10 s (MUST) and within 1 s (SHOULD)',
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      c.conn.closeWith(4200, 'Generic reconnect immediately');
      const closedAt = c.conn.closed!.t;
      const again = await anyConnectionAfter(c.hub, c.conn, BACK_WITHIN_MS);
      if (!again)
        ctx.fail(`the client did not reconnect within ${BACK_WITHIN_MS} ms of a close with 4200`, {
          expected: `a new connection within ${BACK_WITHIN_MS} ms`,
          actual: 'none',
        });
      const delay = again.openedAt - closedAt;
      if (delay > AT_ONCE_MS)
        throw new CheckFailure(
          `the client reconnected ${Math.round(delay)} ms after a close with 4200, not at once`,
          `a new connection within ${AT_ONCE_MS} ms`,
          `${again.name} after ${Math.round(delay)} ms`,
          undefined,
          { requirement: AT_ONCE, judged: [RECONNECTS, AT_ONCE] },
        );
    },
  },
  dropped('drop'),
  dropped(1001),
];
