/** pusher/signin (capability signin): user authentication with pusher:signin. */
import { hmacHex, signUserAuth } from '../../../spec/protocol/signing.ts';
import { frameData, PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, type PusherSocket } from '../../clients/pusher-socket.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectEqual, expectThat } from '../../verify.ts';
import { requireCapability } from './helpers.ts';

const userData = (id: string) => JSON.stringify({ id, user_info: { name: 'Ada' } });

/** Sends pusher:signin; resolves with the hub's answer (signin_success or pusher:error). */
async function signin(sock: PusherSocket, auth: string, data: string, timeoutMs = 3000) {
  sock.send({ event: PusherEvent.SIGNIN, data: { auth, user_data: data } });
  return sock.waitFor((f) => f.event === PusherEvent.SIGNIN_SUCCESS || f.event === PusherEvent.ERROR, {
    desc: 'pusher:signin_success or pusher:error',
    timeoutMs,
    fresh: true,
  });
}

export async function probeSignin(ctx: CaseContext): Promise<boolean> {
  const sock = await openPusherSocket(ctx);
  try {
    const data = userData('u-probe');
    const answer = await signin(sock, signUserAuth(ctx.target.app, sock.socketId, data), data, 1500);
    return answer.event === PusherEvent.SIGNIN_SUCCESS;
  } catch (err) {
    if (err instanceof CheckFailure) return false;
    throw err;
  } finally {
    await sock.close();
  }
}

const needSignin = (ctx: CaseContext) => requireCapability(ctx, 'signin', () => probeSignin(ctx));

/** Any pusher:error refuses a sign-in: no document names its code. */
async function expectRefused(sock: PusherSocket, auth: string, data: string, why: string): Promise<void> {
  const answer = await signin(sock, auth, data);
  expectThat(
    answer,
    (f) => f.event !== PusherEvent.SIGNIN_SUCCESS,
    'pusher:error refusing the sign-in',
    `hub accepted pusher:signin ${why}`,
  );
}

export const signinCases: Case[] = [
  {
    requirement: 'pusher/signin/1',
    desc: 'Sends pusher:signin with auth = key:HMAC(secret, "socket_id::user::user_data") and expects signin_success carrying the user_data',
    async run(ctx: CaseContext) {
      await needSignin(ctx);
      const sock = await openPusherSocket(ctx);
      const data = userData('u-signin');
      const answer = await signin(sock, signUserAuth(ctx.target.app, sock.socketId, data), data);
      expectThat(answer, (f) => f.event === PusherEvent.SIGNIN_SUCCESS, 'pusher:signin_success', 'valid pusher:signin was refused');
      expectEqual(frameData<{ user_data?: unknown }>(answer)?.user_data, data, 'signin_success does not carry the user_data');
    },
  },
  {
    requirement: 'pusher/signin/2',
    desc: "Sends pusher:signin with a forged signature and with another connection's signature, and expects a pusher:error refusing each (any code)",
    async run(ctx: CaseContext) {
      await needSignin(ctx);
      const [sock, other] = [await openPusherSocket(ctx), await openPusherSocket(ctx)];
      const data = userData('u-forger');
      const forged = `${ctx.target.app.key}:${hmacHex(`${ctx.target.app.secret}-not`, `${sock.socketId}::user::${data}`)}`;
      await expectRefused(sock, forged, data, 'with a forged signature');
      await expectRefused(sock, signUserAuth(ctx.target.app, other.socketId, data), data, "with another socket's signature");
    },
  },
  {
    requirement: 'pusher/signin/3',
    desc: 'Sends correctly signed pusher:signin whose user_data is not JSON, has no id, or an empty id, and expects each refused',
    async run(ctx: CaseContext) {
      await needSignin(ctx);
      const sock = await openPusherSocket(ctx);
      for (const [data, why] of [
        ['not json', 'with user_data that is not JSON'],
        [JSON.stringify({ user_info: {} }), 'with user_data without id'],
        [JSON.stringify({ id: '' }), 'with an empty id'],
      ] as const) {
        await expectRefused(sock, signUserAuth(ctx.target.app, sock.socketId, data), data, why);
      }
    },
  },
  {
    requirement: 'pusher/signin/4',
    desc: 'Probes user authentication: a valid pusher:signin gets signin_success',
    async run(ctx: CaseContext) {
      await needSignin(ctx);
      ctx.expect(await probeSignin(ctx), 'target declares signin but a valid pusher:signin failed');
    },
  },
];
