/** pusher/encrypted (capability encrypted_channels): auth required, ciphertext relayed untouched, no client events. */
import { randomBytes } from 'node:crypto';
import { openPusherSocket } from '../../clients/pusher-socket.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { type Case, type CaseContext } from '../../types.ts';
import {
  expectNoneBeforeSentinel,
  expectSubscribeRefused,
  probeClientEvents,
  publish,
  requireCapability,
  subscribed,
  uniq,
  waitForData,
} from './helpers.ts';
import { SubscriptionRejected } from '../../clients/pusher-socket.ts';

/** A signed private-encrypted- subscription succeeds on hubs that have the channel kind. */
export async function probeEncrypted(ctx: CaseContext): Promise<boolean> {
  const sock = await openPusherSocket(ctx);
  try {
    await sock.subscribe(uniq('private-encrypted-'));
    return true;
  } catch (err) {
    if (err instanceof SubscriptionRejected) return false;
    throw err;
  } finally {
    await sock.close();
  }
}

const needEncrypted = (ctx: CaseContext) => requireCapability(ctx, 'encrypted_channels', () => probeEncrypted(ctx));

/** What pusher-js publishes on an encrypted channel: base64 nonce and ciphertext. */
const sealed = () => JSON.stringify({ nonce: randomBytes(24).toString('base64'), ciphertext: randomBytes(61).toString('base64') });

export const encryptedCases: Case[] = [
  {
    requirement: 'pusher/encrypted/1',
    desc: 'Subscribes to a private-encrypted- channel without auth (refused) and with auth (accepted)',
    async run(ctx: CaseContext) {
      await needEncrypted(ctx);
      const sock = await openPusherSocket(ctx);
      const channel = uniq('private-encrypted-');
      await expectSubscribeRefused(sock, channel, { auth: null, why: 'without auth' });
      await sock.subscribe(channel);
    },
  },
  {
    requirement: 'pusher/encrypted/2',
    desc: 'Publishes a {nonce, ciphertext} payload on an encrypted channel and checks the subscriber gets the same string byte for byte',
    async run(ctx: CaseContext) {
      await needEncrypted(ctx);
      const channel = uniq('private-encrypted-');
      const sock = await subscribed(ctx, channel);
      const data = sealed();
      await publish(ctx, channel, 'hp-secret', data);
      await waitForData(sock, channel, 'hp-secret', data);
    },
  },
  {
    requirement: 'pusher/encrypted/3',
    desc: 'Sends a client event on an encrypted channel and checks it is refused and not relayed',
    async run(ctx: CaseContext) {
      await needEncrypted(ctx);
      const channel = uniq('private-encrypted-');
      const [a, b] = [await subscribed(ctx, channel), await subscribed(ctx, channel)];
      a.trigger(channel, 'client-secret', sealed());
      await expectNoneBeforeSentinel(ctx, b, isEvent('client-secret', channel), 'a client event relayed on an encrypted channel', channel);
      if (await probeClientEvents(ctx)) ctx.note('client events work on private channels; refused on the encrypted one as required');
    },
  },
  {
    requirement: 'pusher/encrypted/4',
    desc: 'Probes encrypted channels: a signed private-encrypted- subscription succeeds',
    async run(ctx: CaseContext) {
      await needEncrypted(ctx);
      ctx.expect(await probeEncrypted(ctx), 'target declares encrypted_channels but refused a signed private-encrypted- subscription');
    },
  },
];
