/** pusher-client/events: every event of a subscribed channel reaches the app, in order, decoded once. */
import { isDeepStrictEqual } from 'node:util';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { connectedClient, STEP_MS, subscribe } from './helpers.ts';

/** What the hub sends as `data` (always a string on the wire) and what the app must get. */
const SAMPLES: ReadonlyArray<{ wire: string; app: unknown; what: string }> = [
  { wire: JSON.stringify({ n: 1, s: 'a' }), app: { n: 1, s: 'a' }, what: 'a JSON object' },
  { wire: JSON.stringify([1, 2, 3]), app: [1, 2, 3], what: 'a JSON array' },
  { wire: 'plain text, not JSON', app: 'plain text, not JSON', what: 'a string that is not JSON' },
  { wire: JSON.stringify(JSON.stringify({ a: 1 })), app: JSON.stringify({ a: 1 }), what: 'a JSON string holding JSON (decoded once)' },
];

export const eventsCases: ClientCase[] = [
  {
    requirement: 'pusher-client/events/1',
    desc: 'Sends four events on a subscribed public channel (data: a JSON object, a JSON array, a string that is not JSON, a JSON string holding JSON); expects all four at the application, in order, each decoded once',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      await subscribe(c, c.conn, 'news');
      SAMPLES.forEach((s, i) => c.conn.send(`update-${i + 1}`, s.wire, 'news'));
      const got = () => c.app.all('event', (o) => o.channel === 'news').map((o) => o.obs);
      await c.app.until(() => got().length >= SAMPLES.length, STEP_MS);
      const seen = got();
      const names = seen.map((o) => o.event);
      const expectedNames = SAMPLES.map((_, i) => `update-${i + 1}`);
      if (!isDeepStrictEqual(names, expectedNames))
        ctx.fail(`the application got ${names.length ? names.join(', ') : 'no event'}`, {
          expected: expectedNames.join(', '),
          actual: names.join(', ') || 'none',
        });
      SAMPLES.forEach((s, i) => {
        if (!isDeepStrictEqual(seen[i]!.data, s.app))
          // Both as JSON, so a string reads in quotes and an object without: `"{\"a\":1}"` is not `{"a":1}`.
          ctx.fail(`update-${i + 1} (${s.what}) reached the application as ${JSON.stringify(seen[i]!.data)}`, {
            expected: JSON.stringify(s.app),
            actual: JSON.stringify(seen[i]!.data),
          });
      });
    },
  },
];
