/**
 * pusher-client/robustness: unknown events and malformed frames from the hub. Each is followed by a real
 * event, which must still reach the application over the same connection.
 */
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { anyConnectionAfter, connectedClient, STEP_MS, subscribe } from './helpers.ts';

const UNKNOWN: ReadonlyArray<{ raw: string; what: string }> = [
  { raw: JSON.stringify({ event: 'pusher:hubproof_future_event', data: '{}' }), what: 'an unknown pusher: event' },
  {
    raw: JSON.stringify({ event: 'pusher_internal:hubproof_future_event', channel: 'news', data: '{}' }),
    what: 'an unknown pusher_internal: event on the channel',
  },
  {
    raw: JSON.stringify({ event: 'headline', channel: 'not-held', data: '{"n":0}' }),
    what: 'an event for a channel the client does not hold',
  },
];

const MALFORMED: ReadonlyArray<{ raw: string; what: string }> = [
  { raw: 'this is not JSON', what: 'a frame that is not JSON' },
  { raw: '[1,2,3]', what: 'a JSON array' },
  { raw: '42', what: 'a JSON number' },
  { raw: '{"channel":"news","data":"{}"}', what: 'a JSON object without an event' },
];

function probeCase(requirement: string, frames: typeof UNKNOWN, desc: string): ClientCase {
  return {
    requirement,
    desc,
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      await subscribe(c, c.conn, 'news');
      for (const [i, f] of frames.entries()) {
        c.conn.sendRaw(f.raw);
        c.conn.send(`probe-${i + 1}`, { after: f.what }, 'news');
        const got = await c.app.until(
          () => c.app.find('event', (o) => o.channel === 'news' && o.event === `probe-${i + 1}`) ?? c.app.exited,
          STEP_MS,
        );
        if (c.app.exited)
          ctx.fail(`the client crashed the application on ${f.what}`, {
            expected: `the connection kept and probe-${i + 1} delivered`,
            actual: `the driver process exited after ${f.raw}: ${c.app.all('error').at(-1)?.obs.message.split('\n')[0] ?? 'no error reported'}`,
          });
        if (!got || !c.conn.open)
          ctx.fail(`after ${f.what} the client ${c.conn.open ? 'stopped delivering events' : 'closed its connection'}`, {
            expected: `probe-${i + 1} delivered on the same connection`,
            actual: c.conn.open ? 'probe not delivered' : `connection closed with ${c.conn.closed?.code} by the ${c.conn.closed?.by}`,
          });
      }
      const again = await anyConnectionAfter(c.hub, c.conn, 500);
      if (again)
        ctx.fail('the client opened another connection after the frames', { expected: 'one connection', actual: `${again.name} opened` });
    },
  };
}

export const robustnessCases: ClientCase[] = [
  probeCase(
    'pusher-client/robustness/1',
    UNKNOWN,
    'Sends an unknown pusher: event, an unknown pusher_internal: event and an event for a channel the client does not hold, each followed by a real event; expects every real event delivered over the same connection',
  ),
  probeCase(
    'pusher-client/robustness/2',
    MALFORMED,
    'Sends malformed frames (not JSON, a JSON array, a JSON number, an object without event), each followed by a real event; expects every real event delivered over the same connection and the application alive',
  ),
];
