/**
 * pusher-client/backoff: jitter. Eight clients of one driver, closed with 4100 at one instant, must not
 * come back in lock-step (docs/protocol.md, "Back-off and jitter").
 */
import { DependencyUnmet } from '../../types.ts';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { connect, type Client } from './helpers.ts';
import type { HubConnection } from '../scripted-hub/hub-connection.ts';

const FLEET = 8;
const MIN_SPREAD_MS = 250;
const BACK_WITHIN_MS = 10_000;
/** As in reconnect.ts: the back-off 4100 asks for, less a timer's granularity. */
const BACKOFF_MIN_MS = 1000;
const TIMER_TOLERANCE_MS = 20;

export const backoffCases: ClientCase[] = [
  {
    requirement: 'pusher-client/backoff/1',
    desc: `Connects ${FLEET} clients and closes all of them with 4100 at one instant; expects their delays to the next connection to spread by at least 250 ms and a quarter of the median`,
    timeoutMs: BACK_WITHIN_MS + 15_000,
    alone: 'judges a spread of reconnect times that other cases’ load would widen',
    async run(ctx: ClientCaseContext) {
      const hub = await ctx.startHub();
      const app = await ctx.startDriver();
      const conns: HubConnection[] = [];
      for (let i = 1; i <= FLEET; i++) {
        const client: Client = { hub, app, name: `c${i}`, userId: `u${i}` };
        conns.push(await connect(client));
      }
      const before = hub.connections.length;
      for (const conn of conns) conn.closeWith(4100, 'Over capacity');
      const closedAt = ctx.now();
      await hub.until(() => hub.connections.length - before >= FLEET, BACK_WITHIN_MS);
      const back = hub.connections.slice(before);
      if (back.length < FLEET)
        throw new DependencyUnmet(
          'pusher-client/reconnect/2',
          `only ${back.length} of ${FLEET} clients reconnected within ${BACK_WITHIN_MS} ms of a close with 4100`,
        );
      const delays = back.map((c) => Math.round(c.openedAt - closedAt)).sort((a, b) => a - b);
      if (delays[0]! < BACKOFF_MIN_MS - TIMER_TOLERANCE_MS)
        throw new DependencyUnmet(
          'pusher-client/reconnect/2',
          `a client reconnected ${delays[0]} ms after a close with 4100, without backing off`,
        );
      const median = (delays[FLEET / 2 - 1]! + delays[FLEET / 2]!) / 2;
      const spread = delays[FLEET - 1]! - delays[0]!;
      const need = Math.max(MIN_SPREAD_MS, median / 4);
      ctx.note(`reconnect delays after 4100: ${delays.join(', ')} ms (spread ${spread} ms, median ${median} ms)`);
      if (spread < need)
        ctx.fail(`${FLEET} clients closed at one instant came back within ${spread} ms of each other`, {
          expected: `delays spread by at least ${Math.round(need)} ms`,
          actual: `delays ${delays.join(', ')} ms`,
        });
    },
  },
];
