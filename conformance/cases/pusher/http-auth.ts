/**
 * pusher/http-auth: request signing. Valid requests (ours and the official Pusher server SDK's) pass;
 * missing parameters, bad signatures, stale timestamps, body tampering, wrong key or version get 401.
 */
import { hmacHex, httpStringToSign, md5Hex } from '../../../spec/protocol/signing.ts';
import { pusherApi, type HttpResponse } from '../../clients/http.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectStatus } from '../../verify.ts';
import { expectNoneBeforeSentinel, publish, subscribed, uniq, waitForData } from './helpers.ts';

const expect401 = (res: HttpResponse, what: string) => expectStatus(res, 401, what);

/** Re-signs a query after changing it, so only the changed field is wrong. */
function resign(
  ctx: CaseContext,
  method: string,
  path: string,
  query: Record<string, string>,
  secret = ctx.target.app.secret,
): Record<string, string> {
  const { auth_signature: _drop, ...rest } = query;
  const prefix = new URL(ctx.node.http).pathname.replace(/\/+$/, '');
  return { ...rest, auth_signature: hmacHex(secret, httpStringToSign(method, `${prefix}${path}`, rest)) };
}

/** Publishes through the official `pusher` server SDK when it is installed; undefined otherwise. */
async function publishWithSdk(ctx: CaseContext, channel: string, data: unknown): Promise<number | undefined> {
  let Pusher: new (opts: Record<string, unknown>) => { trigger(ch: string, ev: string, d: unknown): Promise<{ status: number }> };
  try {
    Pusher = (await import('pusher')).default as unknown as typeof Pusher;
  } catch {
    return undefined;
  }
  const u = new URL(ctx.node.http);
  if (u.pathname.replace(/\/+$/, '') !== '') return undefined;
  const client = new Pusher({
    appId: ctx.target.app.id,
    key: ctx.target.app.key,
    secret: ctx.target.app.secret,
    host: u.hostname,
    port: u.port || (u.protocol === 'https:' ? '443' : '80'),
    useTLS: u.protocol === 'https:',
    timeout: 5000,
  });
  ctx.log('http>', 'sdk', `pusher SDK trigger ${channel} hp-sdk`);
  try {
    const res = await client.trigger(channel, 'hp-sdk', data);
    ctx.log('http<', 'sdk', String(res.status));
    return res.status;
  } catch (err) {
    const status = (err as { status?: number }).status;
    ctx.log('http<', 'sdk', `${status ?? ''} ${(err as Error).message}`);
    return status ?? 0;
  }
}

export const httpAuthCases: Case[] = [
  {
    requirement: 'pusher/http-auth/1',
    desc: 'Publishes with a hand-signed request and with the official Pusher server SDK, and expects both delivered',
    async run(ctx: CaseContext) {
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      const data = JSON.stringify({ signed: 'by hubproof' });
      await publish(ctx, channel, 'hp-signed', data);
      await waitForData(sock, channel, 'hp-signed', data);
      const status = await publishWithSdk(ctx, channel, { signed: 'by sdk' });
      if (status === undefined) return ctx.note('pusher SDK not installed or target has a path prefix: SDK request not tried');
      expectEqual(status, 200, `request signed by the pusher SDK answered ${status}`);
      await sock.waitFor(isEvent('hp-sdk', channel), { desc: 'event published by the pusher SDK' });
    },
  },
  {
    requirement: 'pusher/http-auth/2',
    desc: 'Sends GET channels four times, each without one of auth_key, auth_timestamp, auth_version, auth_signature, and expects 401 each time',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      for (const param of ['auth_key', 'auth_timestamp', 'auth_version', 'auth_signature']) {
        const res = await api.signed({
          method: 'GET',
          path: 'channels',
          tamper: (q) => Object.fromEntries(Object.entries(q).filter(([k]) => k !== param)),
        });
        expect401(res, `GET channels without ${param}`);
      }
    },
  },
  {
    requirement: 'pusher/http-auth/3',
    desc: 'Sends GET channels and POST events with the last hex digit of auth_signature changed and expects 401',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      const flip = (q: Record<string, string>) => ({
        ...q,
        auth_signature: q.auth_signature!.slice(0, -1) + (q.auth_signature!.endsWith('0') ? '1' : '0'),
      });
      expect401(await api.signed({ method: 'GET', path: 'channels', tamper: flip }), 'GET channels with a wrong signature');
      expect401(
        await api.signed({
          method: 'POST',
          path: 'events',
          body: JSON.stringify({ name: 'hp', data: '{}', channel: uniq() }),
          tamper: flip,
        }),
        'POST events with a wrong signature',
      );
    },
  },
  {
    requirement: 'pusher/http-auth/4',
    desc: 'Signs requests with auth_timestamp 700 s in the past and 700 s in the future and expects 401 for both',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      const now = Math.floor(Date.now() / 1000);
      expect401(await api.signed({ method: 'GET', path: 'channels', timestamp: now - 700 }), 'a request signed 700 s ago');
      expect401(await api.signed({ method: 'GET', path: 'channels', timestamp: now + 700 }), 'a request signed 700 s ahead');
    },
  },
  {
    requirement: 'pusher/http-auth/5',
    desc: 'Sends POST events whose body differs from the signed body_md5, and one without body_md5, and expects 401 for both',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      const channel = uniq();
      const body = JSON.stringify({ name: 'hp-md5', data: '{"v":1}', channel });
      const tampered = body.replace('hp-md5', 'hp-md6');
      ctx.expect(tampered !== body && tampered.length === body.length, 'harness could not tamper the body');
      expect401(await api.signed({ method: 'POST', path: 'events', body, sentBody: tampered }), 'POST events with a tampered body');
      const path = `${api.appPath}/events`;
      const res = await api.signed({
        method: 'POST',
        path: 'events',
        body,
        tamper: (q) => resign(ctx, 'POST', path, Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'body_md5'))),
      });
      expect401(res, 'POST events without body_md5');
      ctx.note(`body md5 of the signed body: ${md5Hex(body)}`);
    },
  },
  {
    requirement: 'pusher/http-auth/6',
    desc: 'Signs GET channels correctly but with auth_key set to another key and expects 401',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      const path = `${api.appPath}/channels`;
      const res = await api.signed({
        method: 'GET',
        path: 'channels',
        tamper: (q) => resign(ctx, 'GET', path, { ...q, auth_key: `${ctx.target.app.key}-other` }),
      });
      expect401(res, 'GET channels with another auth_key');
    },
  },
  {
    requirement: 'pusher/http-auth/7',
    desc: 'Signs GET channels correctly but with auth_version=2.0 and expects 401',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      const path = `${api.appPath}/channels`;
      const res = await api.signed({
        method: 'GET',
        path: 'channels',
        tamper: (q) => resign(ctx, 'GET', path, { ...q, auth_version: '2.0' }),
      });
      expect401(res, 'GET channels with auth_version 2.0');
    },
  },
  {
    requirement: 'pusher/http-auth/8',
    desc: "Publishes to a subscribed channel with a wrong signature and checks nothing is delivered, whatever status the refusal carries (the 401 is pusher/http-auth/3's)",
    async run(ctx: CaseContext) {
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      await pusherApi(ctx).signed({
        method: 'POST',
        path: 'events',
        body: JSON.stringify({ name: 'hp-unsigned', data: '{}', channel }),
        tamper: (q) => ({ ...q, auth_signature: '0'.repeat(64) }),
      });
      await expectNoneBeforeSentinel(ctx, sock, isEvent('hp-unsigned'), 'an event from a refused (401) request', channel);
    },
  },
];
