/** pusher/channel-names: the allowed alphabet and length, refusals that keep the connection, prefixes. */
import { randomBytes } from 'node:crypto';
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, type PusherSocket } from '../../clients/pusher-socket.ts';
import { largestAccepted, limitsOf, withLimitProbe } from '../../limits.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectThat } from '../../verify.ts';
import { expectAlive, expectDelivers, expectSubscribeRefused, member, uniq } from './helpers.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=@,.;';

/** A random valid name of exactly `length` characters (unique enough for one run). */
function nameOfLength(length: number): string {
  const bytes = randomBytes(length);
  let out = 'hp';
  for (let i = 2; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out.slice(0, length);
}

/** Subscribes to each of `names` and expects a pusher:error refusing it (not subscription_succeeded). */
async function refuses(sock: PusherSocket, names: readonly string[]): Promise<void> {
  for (const bad of names) {
    sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel: bad } });
    const answer = await sock.waitFor(
      (f) =>
        f.event === PusherEvent.ERROR ||
        f.event === PusherEvent.SUBSCRIPTION_ERROR ||
        (f.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && f.channel === bad),
      { desc: `pusher:error refusing channel name ${JSON.stringify(bad.slice(0, 30))}`, fresh: true },
    );
    expectThat(
      answer,
      (a) => a.event !== PusherEvent.SUBSCRIPTION_SUCCEEDED,
      'pusher:error',
      `hub accepted the invalid channel name ${JSON.stringify(bad.slice(0, 40))}`,
    );
    expectEqual(answer.event, PusherEvent.ERROR, `hub refused ${JSON.stringify(bad.slice(0, 40))} with ${answer.event}, not pusher:error`);
  }
}

/** Probe: does the hub accept a public channel name of `length` characters? (a fresh connection each time) */
async function acceptsName(ctx: CaseContext, length: number): Promise<boolean> {
  const sock = await openPusherSocket(ctx, { label: `probe:${length}` });
  try {
    const name = nameOfLength(length);
    sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel: name } });
    const answer = await sock.waitFor(
      (f) =>
        f.event === PusherEvent.ERROR ||
        f.event === PusherEvent.SUBSCRIPTION_ERROR ||
        (f.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && f.channel === name),
      {
        desc: `answer to a ${length}-character channel name`,
        fresh: true,
      },
    );
    return answer.event === PusherEvent.SUBSCRIPTION_SUCCEEDED;
  } finally {
    sock.close();
  }
}

export const channelNameCases: Case[] = [
  {
    requirement: 'pusher/channel-names/1',
    desc: "Subscribes to public channels named with every allowed punctuation character, of length 1 and of the hub's name-length limit (Pusher: 164; the target may declare its own)",
    async run(ctx: CaseContext) {
      const max = limitsOf(ctx).channel_name_length;
      const sock = await openPusherSocket(ctx);
      const names = [`${uniq()}_-=@,.;`, ALPHABET[Math.floor(Math.random() * 52)]!];
      for (const name of names) await sock.subscribe(name);
      await withLimitProbe(
        ctx,
        'channel_name_length',
        async () => void (await sock.subscribe(nameOfLength(max))),
        async () =>
          `up to ${await largestAccepted(2, max - 1, (n) => acceptsName(ctx, n))} characters (a ${max}-character name is refused)`,
      );
    },
  },
  {
    requirement: 'pusher/channel-names/2',
    desc: "Subscribes to a name one character over the hub's limit (Pusher: 165) and to names with a space, #, /, : and a non-ASCII letter, and expects a pusher:error for each while the connection keeps working",
    async run(ctx: CaseContext) {
      const max = limitsOf(ctx).channel_name_length;
      const keep = uniq();
      const sock = await openPusherSocket(ctx);
      await sock.subscribe(keep);
      await withLimitProbe(
        ctx,
        'channel_name_length',
        () => refuses(sock, [nameOfLength(max + 1)]),
        async () => {
          if (!(await acceptsName(ctx, max + 1))) return undefined;
          const upTo = await largestAccepted(max + 1, 4096, (n) => acceptsName(ctx, n));
          return upTo >= 4096
            ? `none up to 4096 characters (a ${max + 1}-character name is accepted)`
            : `up to ${upTo} characters, Pusher ${max}`;
        },
      );
      await refuses(sock, ['hp bad', 'hp#bad', 'hp/bad', 'hp:bad', 'hp-ünïcode']);
      await expectAlive(sock, 'after invalid channel names', ctx);
      await expectDelivers(ctx, sock, keep, 'after invalid channel names');
    },
  },
  {
    requirement: 'pusher/channel-names/3',
    desc: 'Subscribes without auth to Private-…, Presence-… and privatex… (public by case-sensitive prefix) and expects success, then to private-… and presence-… without auth and expects refusals',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      for (const publicName of [uniq('Private-'), uniq('Presence-'), uniq('privatex'), uniq('presencex')])
        await sock.subscribe(publicName, { auth: null });
      await expectSubscribeRefused(sock, uniq('private-'), { auth: null, why: 'without auth' });
      await expectSubscribeRefused(sock, uniq('presence-'), { auth: null, channelData: member('u1'), why: 'without auth' });
      await expectAlive(sock, 'after refused subscriptions', ctx);
    },
  },
];
