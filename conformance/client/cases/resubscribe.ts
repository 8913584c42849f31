/**
 * pusher-client/resubscribe: after a 4200 the client subscribes again to what the app holds (private and
 * presence channels with a signature for the new socket id), not to what it left, and completes a
 * subscribe the drop cut short.
 */
import { CheckFailure, DependencyUnmet } from '../../types.ts';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { connectedClient, nextConnection, pause, STEP_MS, subscribe } from './helpers.ts';

const AGAIN = 'pusher-client/resubscribe/1';
const FRESH_AUTH = 'pusher-client/resubscribe/2';
const RECONNECTS = 'pusher-client/reconnect/3';
/** docs/protocol.md, "Re-subscribing". */
const RESUBSCRIBE_WITHIN_MS = 2000;
const BACK_WITHIN_MS = 10_000;
const HELD = ['news', 'private-orders', 'presence-room'];

export const resubscribeCases: ClientCase[] = [
  {
    requirement: AGAIN,
    alsoProves: [FRESH_AUTH],
    desc: 'Holds a public, a private and a presence channel, closes the connection with 4200; expects all three subscribed again within 2 s of the new connection_established, private and presence signed for the new socket id, and an event on each to reach the application',
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      for (const ch of HELD) await subscribe(c, c.conn, ch);
      c.conn.closeWith(4200, 'Generic reconnect immediately');
      const next = await nextConnection(c.hub, c.conn, BACK_WITHIN_MS);
      if (!next) throw new DependencyUnmet(RECONNECTS, `the client did not reconnect within ${BACK_WITHIN_MS} ms of a close with 4200`);
      const bound = next.establishedAt! + RESUBSCRIBE_WITHIN_MS;
      await c.hub.until(() => HELD.every((ch) => next.subscriptions.has(ch)), bound - ctx.now());
      const missing = HELD.filter((ch) => !next.subscriptions.has(ch) || next.subscriptions.get(ch)!.at > bound);
      if (missing.length)
        ctx.fail(`after the reconnect the client did not subscribe again to ${missing.join(', ')}`, {
          expected: `pusher:subscribe for ${HELD.join(', ')} on ${next.name} by ${Math.round(bound)} ms`,
          actual: `${[...next.subscriptions.keys()].join(', ') || 'none'}`,
        });
      const accepted = HELD.filter((ch) => !next.subscriptions.get(ch)!.refused);
      const from = c.app.observations.length;
      await c.hub.until(() => accepted.every((ch) => next.subscriptions.get(ch)!.confirmedAt !== undefined), STEP_MS);
      for (const ch of accepted) c.hub.publish(ch, 'after-reconnect', { channel: ch });
      const delivered = () => accepted.filter((ch) => c.app.find('event', (o) => o.channel === ch && o.event === 'after-reconnect', from));
      await c.app.until(() => delivered().length === accepted.length, STEP_MS);
      const lost = accepted.filter((ch) => !delivered().includes(ch));
      if (lost.length)
        ctx.fail(`events on ${lost.join(', ')} did not reach the application after the reconnect`, {
          expected: `after-reconnect on ${accepted.join(', ')}`,
          actual: `delivered on ${delivered().join(', ') || 'none'}`,
        });
      const stale = HELD.filter((ch) => next.subscriptions.get(ch)!.refused);
      if (stale.length)
        throw new CheckFailure(
          `the re-subscription to ${stale.join(', ')} was not signed for the new socket id ${next.socketId}`,
          `auth signed for ${next.socketId}`,
          stale.map((ch) => `${ch}: ${next.subscriptions.get(ch)!.refused}`).join('; '),
          undefined,
          { requirement: FRESH_AUTH, judged: [AGAIN, FRESH_AUTH] },
        );
    },
  },
  {
    requirement: 'pusher-client/resubscribe/3',
    desc: 'Holds two public channels, has the application leave one, then closes the connection with 4200; expects only the other subscribed again',
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      await subscribe(c, c.conn, 'kept');
      await subscribe(c, c.conn, 'left');
      await c.app.send({ cmd: 'unsubscribe', client: c.name, channel: 'left' });
      await c.hub.until(() => c.hub.received('pusher:unsubscribe', c.conn).length > 0, STEP_MS);
      c.conn.closeWith(4200, 'Generic reconnect immediately');
      const next = await nextConnection(c.hub, c.conn, BACK_WITHIN_MS);
      if (!next) throw new DependencyUnmet(RECONNECTS, `the client did not reconnect within ${BACK_WITHIN_MS} ms of a close with 4200`);
      const kept = await c.hub.until(() => next.subscriptions.has('kept'), next.establishedAt! + RESUBSCRIBE_WITHIN_MS - ctx.now());
      if (!kept) throw new DependencyUnmet(AGAIN, 'the client did not subscribe again to the channel the application kept');
      await pause(ctx, 1000);
      if (next.subscriptions.has('left'))
        ctx.fail('after the reconnect the client subscribed again to a channel the application had left', {
          expected: 'pusher:subscribe for kept only',
          actual: `pusher:subscribe for ${[...next.subscriptions.keys()].join(', ')}`,
        });
    },
  },
  {
    requirement: 'pusher-client/resubscribe/4',
    desc: 'Holds a public channel and holds back subscription_succeeded for a second one, then closes the connection with 4200; expects the second subscription sent again on the new connection and the application told it succeeded',
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      const first = c.conn;
      await subscribe(c, first, 'held');
      c.hub.confirm = (channel, conn) => channel !== 'pending' || conn !== first;
      await c.app.send({ cmd: 'subscribe', client: c.name, channel: 'pending' });
      const asked = await c.hub.until(() => first.subscriptions.has('pending'), STEP_MS);
      if (!asked) throw new DependencyUnmet('pusher-client/subscribe/1', 'the client sent no pusher:subscribe for the channel');
      first.closeWith(4200, 'Generic reconnect immediately');
      const next = await nextConnection(c.hub, first, BACK_WITHIN_MS);
      if (!next) throw new DependencyUnmet(RECONNECTS, `the client did not reconnect within ${BACK_WITHIN_MS} ms of a close with 4200`);
      await c.hub.until(
        () => next.subscriptions.has('pending') && next.subscriptions.has('held'),
        next.establishedAt! + RESUBSCRIBE_WITHIN_MS - ctx.now(),
      );
      if (!next.subscriptions.has('held')) throw new DependencyUnmet(AGAIN, 'the client did not subscribe again to the channel it held');
      if (!next.subscriptions.has('pending'))
        ctx.fail('the subscription cut short by the drop was not sent again after the reconnect', {
          expected: `pusher:subscribe for pending on ${next.name}`,
          actual: `${[...next.subscriptions.keys()].join(', ') || 'no subscribe'} on ${next.name}`,
        });
      const told = await c.app.until(() => c.app.find('subscribed', (o) => o.channel === 'pending'), STEP_MS);
      if (!told)
        ctx.fail('the application was never told the subscription succeeded, although the hub confirmed it on the new connection', {
          expected: 'the application told pending is subscribed',
          actual: 'no subscribed observation',
        });
    },
  },
];
