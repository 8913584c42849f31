/** pusher-client/client-events: what a client sends when the application triggers a client event. */
import { isDeepStrictEqual } from 'node:util';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { connectedClient, pause, STEP_MS, subscribe } from './helpers.ts';

const DATA = { who: 'c1', n: [1, 2], text: 'héllo "quoted"' };
/** The data of a frame as sent: an object, or a string of JSON (either is relayed unchanged by hubs). */
const sentData = (raw: string): unknown => {
  const data = (JSON.parse(raw) as { data?: unknown }).data;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
};

function refused(requirement: string, channel: string, event: string, why: string): ClientCase {
  return {
    requirement,
    desc: `Has the application trigger ${event} on a subscribed ${channel.startsWith('private-') ? 'private' : 'public'} channel (${why}); expects the client to refuse it at the call and send nothing`,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      await subscribe(c, c.conn, channel);
      const ack = await c.app.send({ cmd: 'trigger', client: c.name, channel, event, data: DATA });
      await pause(ctx, 1000);
      const sent = c.hub.received(event, c.conn);
      if (sent.length)
        ctx.fail(`the client sent ${event} on ${channel}`, { expected: 'no frame, the application told', actual: sent[0]!.raw });
      if (!ack.error)
        ctx.fail(`the client accepted ${event} on ${channel} without telling the application it was not sent`, {
          expected: 'the trigger refused',
          actual: 'accepted',
        });
    },
  };
}

export const clientEventCases: ClientCase[] = [
  {
    requirement: 'pusher-client/client-events/1',
    desc: 'Has the application trigger client-typing on a subscribed private channel; expects one frame with that name, the channel and the data unchanged',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      await subscribe(c, c.conn, 'private-chat');
      const ack = await c.app.send({ cmd: 'trigger', client: c.name, channel: 'private-chat', event: 'client-typing', data: DATA });
      if (ack.error) ctx.fail(`the client refused the client event: ${ack.error}`, { expected: 'client-typing sent', actual: ack.error });
      const frame = await c.hub.until(() => c.hub.received('client-typing', c.conn)[0], STEP_MS);
      if (!frame)
        ctx.fail('no client-typing frame reached the hub', { expected: 'one client-typing frame on private-chat', actual: 'none' });
      await pause(ctx, 300);
      const frames = c.hub.received('client-typing', c.conn);
      if (frames.length !== 1) ctx.fail(`${frames.length} client-typing frames for one trigger`, { expected: 1, actual: frames.length });
      if (frame.channel !== 'private-chat')
        ctx.fail(`client-typing was sent on ${frame.channel ?? '(no channel)'}`, { expected: 'private-chat', actual: frame.raw });
      if (!isDeepStrictEqual(sentData(frame.raw), DATA))
        ctx.fail('the client event’s data changed on the way', { expected: DATA, actual: frame.raw });
    },
  },
  refused('pusher-client/client-events/2', 'private-chat', 'typing', 'no client- prefix'),
  refused('pusher-client/client-events/3', 'news', 'client-typing', 'public channels take no client events'),
];
