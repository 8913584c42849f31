/**
 * pusher/auth: signed private and presence subscriptions, and refusal of missing, forged, other-socket,
 * other-channel and mismatched-channel_data signatures. Any refusal form passes the MUST rules;
 * pusher/auth/9 (SHOULD) asks for pusher:error 4009 specifically.
 */
import { hmacHex, signChannelAuth } from '../../../spec/protocol/signing.ts';
import { openPusherSocket, type PusherSocket } from '../../clients/pusher-socket.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectThat } from '../../verify.ts';
import {
  expectAlive,
  expectDelivers,
  expectNoneBeforeSentinel,
  expectSubscribeRefused,
  member,
  publish,
  subscribed,
  uniq,
  type Refusal,
} from './helpers.ts';

/** `key:hex(HMAC(other secret, …))`: right shape, wrong secret. */
const forged = (ctx: CaseContext, socketId: string, channel: string, channelData?: string) =>
  `${ctx.target.app.key}:${hmacHex(`${ctx.target.app.secret}-not`, channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`)}`;

/** Refusal that also proves nothing of the channel reaches the connection afterwards. */
async function refusedAndSealed(
  ctx: CaseContext,
  sock: PusherSocket,
  channel: string,
  opts: Parameters<typeof expectSubscribeRefused>[2],
  sentinelChannel: string,
): Promise<Refusal> {
  const refusal = await expectSubscribeRefused(sock, channel, opts);
  await publish(ctx, channel, 'hp-leak', '{"leak":true}');
  await expectNoneBeforeSentinel(
    ctx,
    sock,
    (f) => f.channel === channel && f.event === 'hp-leak',
    `an event of ${channel} after a refused subscription`,
    sentinelChannel,
  );
  return refusal;
}

export const authCases: Case[] = [
  {
    requirement: 'pusher/auth/1',
    desc: 'Subscribes to a private channel with auth = key:HMAC-SHA256(secret, "socket_id:channel")',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const channel = uniq('private-');
      await sock.subscribe(channel, { auth: signChannelAuth(ctx.target.app, sock.socketId, channel) });
    },
  },
  {
    requirement: 'pusher/auth/2',
    desc: 'Subscribes to a presence channel with odd-spaced, non-ASCII channel_data signed exactly as sent',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const channel = uniq('presence-');
      const channelData = '{ "user_id" : "u-zoë",  "user_info": {"name": "Zoë ✓"} }';
      await sock.subscribe(channel, { auth: signChannelAuth(ctx.target.app, sock.socketId, channel, channelData), channelData });
    },
  },
  {
    requirement: 'pusher/auth/3',
    desc: 'Subscribes to a private and to a presence channel without auth and expects both refused',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      await expectSubscribeRefused(sock, uniq('private-'), { auth: null, why: 'without auth' });
      await expectSubscribeRefused(sock, uniq('presence-'), { auth: null, channelData: member('u1'), why: 'without auth' });
    },
  },
  {
    requirement: 'pusher/auth/4',
    desc: 'Sends pusher:subscribe for a private and a presence channel with signatures made with another secret and expects both refused',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const priv = uniq('private-');
      await expectSubscribeRefused(sock, priv, { auth: forged(ctx, sock.socketId, priv), why: 'with a forged signature' });
      const pres = uniq('presence-');
      const cd = member('u1');
      await expectSubscribeRefused(sock, pres, {
        auth: forged(ctx, sock.socketId, pres, cd),
        channelData: cd,
        why: 'with a forged signature',
      });
    },
  },
  {
    requirement: 'pusher/auth/5',
    desc: "Subscribes with a valid signature made for another connection's socket_id and expects it refused",
    async run(ctx: CaseContext) {
      const [mine, other] = [await openPusherSocket(ctx), await openPusherSocket(ctx)];
      const channel = uniq('private-');
      await expectSubscribeRefused(mine, channel, {
        auth: signChannelAuth(ctx.target.app, other.socketId, channel),
        why: "with another socket's signature",
      });
    },
  },
  {
    requirement: 'pusher/auth/6',
    desc: 'Subscribes to a private channel with a valid signature made for another channel and expects it refused',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const channel = uniq('private-');
      await expectSubscribeRefused(sock, channel, {
        auth: signChannelAuth(ctx.target.app, sock.socketId, uniq('private-')),
        why: "with another channel's signature",
      });
    },
  },
  {
    requirement: 'pusher/auth/7',
    desc: 'Subscribes to presence channels with channel_data that differs from the signed one, is not JSON, or lacks user_id, and expects each refused',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const app = ctx.target.app;
      const a = uniq('presence-');
      await expectSubscribeRefused(sock, a, {
        auth: signChannelAuth(app, sock.socketId, a, member('u-signed')),
        channelData: member('u-other'),
        why: 'with channel_data other than the signed one',
      });
      const b = uniq('presence-');
      const notJson = 'user_id=u1';
      await expectSubscribeRefused(sock, b, {
        auth: signChannelAuth(app, sock.socketId, b, notJson),
        channelData: notJson,
        why: 'with channel_data that is not JSON',
      });
      const c = uniq('presence-');
      const noId = JSON.stringify({ user_info: { name: 'nobody' } });
      await expectSubscribeRefused(sock, c, {
        auth: signChannelAuth(app, sock.socketId, c, noId),
        channelData: noId,
        why: 'with channel_data without user_id',
      });
    },
  },
  {
    requirement: 'pusher/auth/8',
    desc: 'Has a forged subscription refused, publishes on that channel, and checks nothing arrives while the connection and its public subscription keep working',
    async run(ctx: CaseContext) {
      const keep = uniq();
      const sock = await subscribed(ctx, keep);
      const channel = uniq('private-');
      await refusedAndSealed(ctx, sock, channel, { auth: forged(ctx, sock.socketId, channel), why: 'with a forged signature' }, keep);
      await expectAlive(sock, 'after a refused subscription', ctx);
      await expectDelivers(ctx, sock, keep, 'after a refused subscription');
      // A correct subscription to the same channel still works afterwards.
      await sock.subscribe(channel);
    },
  },
  {
    requirement: 'pusher/auth/9',
    desc: 'Sends pusher:subscribe with a forged signature and expects pusher:error with code 4009',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const channel = uniq('private-');
      const r = await expectSubscribeRefused(sock, channel, { auth: forged(ctx, sock.socketId, channel), why: 'with a forged signature' });
      expectThat(
        r.frame,
        () => r.kind === 'error' && r.code === 4009,
        'pusher:error {"code":4009,…}',
        'unauthorized subscription was not refused with pusher:error 4009',
      );
    },
  },
];
