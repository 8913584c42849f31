/** pusher/channel-names: the allowed alphabet and length, refusals that keep the connection, prefixes. */
import { randomBytes } from 'node:crypto';
import { CHANNEL_NAME_MAX_LENGTH } from '../../../spec/protocol/channels.ts';
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket } from '../../clients/pusher-socket.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectThat } from '../../verify.ts';
import { expectAlive, expectDelivers, expectSubscribeRefused, uniq } from './helpers.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=@,.;';

/** A random valid name of exactly `length` characters (unique enough for one run). */
function nameOfLength(length: number): string {
  const bytes = randomBytes(length);
  let out = 'hp';
  for (let i = 2; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out.slice(0, length);
}

export const channelNameCases: Case[] = [
  {
    requirement: 'pusher/channel-names/1',
    desc: 'Subscribes to public channels named with every allowed punctuation character, of length 1 and of length 164',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const names = [`${uniq()}_-=@,.;`, nameOfLength(CHANNEL_NAME_MAX_LENGTH), ALPHABET[Math.floor(Math.random() * 52)]!];
      for (const name of names) await sock.subscribe(name);
    },
  },
  {
    requirement: 'pusher/channel-names/2',
    desc: 'Subscribes to a 165-character name and to names with a space, #, /, : and a non-ASCII letter, and expects a pusher:error for each while the connection keeps working',
    async run(ctx: CaseContext) {
      const keep = uniq();
      const sock = await openPusherSocket(ctx);
      await sock.subscribe(keep);
      for (const bad of [nameOfLength(CHANNEL_NAME_MAX_LENGTH + 1), 'hp bad', 'hp#bad', 'hp/bad', 'hp:bad', 'hp-ünïcode']) {
        sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel: bad } });
        const answer = await sock.waitFor(
          (f) => f.event === PusherEvent.ERROR || f.event === PusherEvent.SUBSCRIPTION_ERROR || (f.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && f.channel === bad),
          { desc: `pusher:error refusing channel name ${JSON.stringify(bad.slice(0, 30))}`, fresh: true },
        );
        expectThat(answer, (a) => a.event !== PusherEvent.SUBSCRIPTION_SUCCEEDED, 'pusher:error', `hub accepted the invalid channel name ${JSON.stringify(bad.slice(0, 40))}`);
        expectEqual(answer.event, PusherEvent.ERROR, `hub refused ${JSON.stringify(bad.slice(0, 40))} with ${answer.event}, not pusher:error`);
      }
      await expectAlive(sock, 'after invalid channel names');
      await expectDelivers(ctx, sock, keep, 'after invalid channel names');
    },
  },
  {
    requirement: 'pusher/channel-names/3',
    desc: 'Subscribes without auth to Private-…, Presence-… and privatex… (public by case-sensitive prefix) and expects success, then to private-… and presence-… without auth and expects refusals',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      for (const publicName of [uniq('Private-'), uniq('Presence-'), uniq('privatex'), uniq('presencex')]) await sock.subscribe(publicName, { auth: null });
      await expectSubscribeRefused(sock, uniq('private-'), { auth: null, why: 'without auth' });
      await expectSubscribeRefused(sock, uniq('presence-'), { auth: null, channelData: JSON.stringify({ user_id: 'u1' }), why: 'without auth' });
      await expectAlive(sock, 'after refused subscriptions');
    },
  },
];
