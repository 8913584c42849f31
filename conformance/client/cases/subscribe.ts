/** pusher-client/subscribe: subscribing through the app's authorization endpoint, and a refused one. */
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { connectedClient, pause, STEP_MS } from './helpers.ts';

const CHANNELS = ['news', 'private-orders', 'presence-room'];

export const subscribeCases: ClientCase[] = [
  {
    requirement: 'pusher-client/subscribe/1',
    desc: 'Has the application subscribe to a public, a private and a presence channel; checks each pusher:subscribe (auth signed for the connection’s socket id, signed channel data) and that the application is told of each success',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      for (const channel of CHANNELS) await c.app.send({ cmd: 'subscribe', client: c.name, channel });
      await c.hub.until(() => CHANNELS.every((ch) => c.conn.subscriptions.has(ch)), STEP_MS);
      const missing = CHANNELS.filter((ch) => !c.conn.subscriptions.has(ch));
      if (missing.length)
        ctx.fail(`no pusher:subscribe for ${missing.join(', ')} within ${STEP_MS} ms`, {
          expected: CHANNELS.join(', '),
          actual: [...c.conn.subscriptions.keys()].join(', ') || 'none',
        });
      const refused = CHANNELS.filter((ch) => c.conn.subscriptions.get(ch)?.refused).map(
        (ch) => `${ch}: ${c.conn.subscriptions.get(ch)!.refused}`,
      );
      if (refused.length)
        ctx.fail(`the hub refused the signature: ${refused.join('; ')}`, {
          expected: `auth signed for ${c.conn.socketId}`,
          actual: refused.join('; '),
        });
      const told = await c.app.until(() => CHANNELS.every((ch) => c.app.find('subscribed', (o) => o.channel === ch)), STEP_MS);
      if (!told) {
        const seen = c.app.all('subscribed').map((o) => o.obs.channel);
        ctx.fail('the application was not told of every subscription the hub confirmed', {
          expected: CHANNELS.join(', '),
          actual: seen.join(', ') || 'none',
        });
      }
    },
  },
  {
    requirement: 'pusher-client/subscribe/2',
    desc: 'Has the application subscribe to a private channel whose authorization the endpoint refuses (403); expects the application told and no pusher:subscribe sent',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      c.hub.auth.refuseNext(1, 403);
      await c.app.send({ cmd: 'subscribe', client: c.name, channel: 'private-refused' });
      const asked = await c.hub.until(() => c.hub.auth.requests.find((r) => r.channel === 'private-refused'), STEP_MS);
      if (!asked)
        ctx.fail('the client never asked the authorization endpoint', {
          expected: 'POST /pusher/auth for private-refused',
          actual: 'no request',
        });
      const told = await c.app.until(() => c.app.find('subscription_error', (o) => o.channel === 'private-refused'), STEP_MS);
      await pause(ctx, 500);
      const sent = c.hub.received('pusher:subscribe', c.conn).filter((f) => f.raw.includes('private-refused'));
      if (sent.length)
        ctx.fail('the client sent pusher:subscribe although its authorization was refused', {
          expected: 'no pusher:subscribe',
          actual: sent[0]!.raw,
        });
      if (!told)
        ctx.fail('the application was not told the subscription failed', {
          expected: 'a subscription error for private-refused',
          actual: 'none',
        });
    },
  },
];
