/**
 * pusher-client/presence: the member list the application sees is the hub's: on subscription, after
 * each member event, once per user id, and replaced on re-subscription. Members other than the client
 * are injected by the scripted hub (other users of the app, on no connection of the case).
 */
import { isDeepStrictEqual } from 'node:util';
import { PusherEvent } from '../../../spec/protocol/index.ts';
import { DependencyUnmet } from '../../types.ts';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import type { DriverSession } from '../driver/driver-session.ts';
import { memberInfo } from '../scripted-hub/auth-endpoint.ts';
import { connectedClient, nextConnection, STEP_MS, subscribe, type Client } from './helpers.ts';

const ROOM = 'presence-room';
const LISTED = 'pusher-client/presence/1';
const RESUBSCRIBES = 'pusher-client/resubscribe/1';
const FRESH_AUTH = 'pusher-client/resubscribe/2';
const BACK_WITHIN_MS = 10_000;
/** docs/protocol.md, "Re-subscribing". */
const RESUBSCRIBE_WITHIN_MS = 2000;

type Seen = { count: number; ids: string[]; me: string | null };

/** The last `members` observation of the room from observation index `from`. */
function lastMembers(app: DriverSession, from = 0): Seen | undefined {
  const all = app.all('members', (o) => o.channel === ROOM).filter((o) => app.observations.indexOf(o) >= from);
  const last = all.at(-1)?.obs;
  return last && { count: last.count, ids: [...last.ids].sort(), me: last.me };
}

const show = (s: Seen | undefined) => (s ? `count ${s.count}, ids [${s.ids.join(', ')}], me ${s.me}` : 'no members reported');
const same = (s: Seen | undefined, ids: string[]) => s !== undefined && s.count === ids.length && isDeepStrictEqual(s.ids, [...ids].sort());

/** The client in the room with `others` already there; throws DependencyUnmet(presence/1) when its first list is wrong. */
async function inRoom(
  ctx: ClientCaseContext,
  others: string[],
): Promise<Client & { conn: Awaited<ReturnType<typeof connectedClient>>['conn'] }> {
  const c = await connectedClient(ctx);
  for (const id of others) c.hub.injectMember(ROOM, id);
  await subscribe(c, c.conn, ROOM);
  const want = [...others, c.userId];
  const listed = await c.app.until(() => same(lastMembers(c.app), want), STEP_MS);
  if (!listed)
    throw new DependencyUnmet(LISTED, `the application's first member list was ${show(lastMembers(c.app))}, not [${want.join(', ')}]`);
  return c;
}

export const presenceCases: ClientCase[] = [
  {
    requirement: LISTED,
    desc: 'Holds two other members in a presence channel, then confirms the client’s subscription; expects the application’s list to be the three members, count 3, and me its own user id',
    async run(ctx: ClientCaseContext) {
      const c = await connectedClient(ctx);
      c.hub.injectMember(ROOM, 'u-a');
      c.hub.injectMember(ROOM, 'u-b');
      await subscribe(c, c.conn, ROOM);
      const want = ['u-a', 'u-b', c.userId];
      await c.app.until(() => same(lastMembers(c.app), want) && lastMembers(c.app)!.me === c.userId, STEP_MS);
      const seen = lastMembers(c.app);
      if (!same(seen, want))
        ctx.fail('the application’s member list is not the hub’s', {
          expected: `count 3, ids [${[...want].sort().join(', ')}]`,
          actual: show(seen),
        });
      if (seen!.me !== c.userId)
        ctx.fail(`the application’s own member is ${seen!.me}, not ${c.userId}`, { expected: `me ${c.userId}`, actual: `me ${seen!.me}` });
    },
  },
  {
    requirement: 'pusher-client/presence/2',
    desc: 'Adds a member, then removes another, after the client subscribed; expects the application’s list to follow each change',
    async run(ctx: ClientCaseContext) {
      const c = await inRoom(ctx, ['u-a']);
      c.hub.injectMember(ROOM, 'u-c');
      const added = await c.app.until(() => same(lastMembers(c.app), ['u-a', 'u-c', c.userId]), STEP_MS);
      if (!added)
        ctx.fail('the application’s list did not gain the member the hub added', {
          expected: `ids [u-a, u-c, ${c.userId}]`,
          actual: show(lastMembers(c.app)),
        });
      c.hub.ejectMember(ROOM, 'u-a');
      const removed = await c.app.until(() => same(lastMembers(c.app), ['u-c', c.userId]), STEP_MS);
      if (!removed)
        ctx.fail('the application’s list kept the member the hub removed', {
          expected: `ids [u-c, ${c.userId}]`,
          actual: show(lastMembers(c.app)),
        });
    },
  },
  {
    requirement: 'pusher-client/presence/3',
    desc: 'Sends member_added again for a user already in the list, then adds a new member; expects the application to count each user id once',
    async run(ctx: ClientCaseContext) {
      const c = await inRoom(ctx, ['u-a']);
      const from = c.app.observations.length;
      c.conn.send(PusherEvent.MEMBER_ADDED, { user_id: 'u-a', user_info: memberInfo('u-a') }, ROOM);
      c.hub.injectMember(ROOM, 'u-z');
      const want = ['u-a', 'u-z', c.userId];
      await c.app.until(() => lastMembers(c.app, from)?.ids.includes('u-z'), STEP_MS);
      const seen = lastMembers(c.app, from);
      if (!same(seen, want))
        ctx.fail('a member announced twice was counted twice', {
          expected: `count 3, ids [${[...want].sort().join(', ')}]`,
          actual: show(seen),
        });
    },
  },
  {
    requirement: 'pusher-client/presence/4',
    desc: 'Closes the connection with 4200 while the client holds a presence channel with two other members, and removes one of them while it is away; expects the application’s list after re-subscribing to be the new one',
    timeoutMs: BACK_WITHIN_MS + 10_000,
    async run(ctx: ClientCaseContext) {
      const c = await inRoom(ctx, ['u-a', 'u-b']);
      c.conn.closeWith(4200, 'Generic reconnect immediately');
      c.hub.ejectMember(ROOM, 'u-b');
      const from = c.app.observations.length;
      const next = await nextConnection(c.hub, c.conn, BACK_WITHIN_MS);
      if (!next) throw new DependencyUnmet(RESUBSCRIBES, `the client did not reconnect within ${BACK_WITHIN_MS} ms of a close with 4200`);
      // The re-subscription rule's own bound (resubscribe/1): 2 s after the new connection_established.
      const again = await c.hub.until(
        () => next.subscriptions.get(ROOM)?.confirmedAt !== undefined || next.subscriptions.get(ROOM)?.refused,
        next.establishedAt! + RESUBSCRIBE_WITHIN_MS - ctx.now(),
      );
      if (!again) throw new DependencyUnmet(RESUBSCRIBES, 'the client did not subscribe again to the presence channel after the reconnect');
      const refused = next.subscriptions.get(ROOM)?.refused;
      if (refused) throw new DependencyUnmet(FRESH_AUTH, `the hub refused the re-subscription: ${refused}`);
      const want = ['u-a', c.userId];
      await c.app.until(() => c.app.find('subscribed', (o) => o.channel === ROOM, from) && same(lastMembers(c.app, from), want), STEP_MS);
      const seen = lastMembers(c.app, from);
      if (!same(seen, want))
        ctx.fail('after re-subscribing, the application’s list is not the hub’s new one', {
          expected: `count 2, ids [${[...want].sort().join(', ')}]`,
          actual: show(seen),
        });
    },
  },
];
