/**
 * Signing against the worked examples of the public Pusher docs (fixed vectors) and against the official
 * `pusher` server SDK (property), so a mistake in either the string-to-sign or the encoding shows up.
 * Sources: https://pusher.com/docs/channels/library_auth_reference/auth-signatures/
 *          https://pusher.com/docs/channels/library_auth_reference/rest-api/#worked-authentication-example
 */
import fc from 'fast-check';
import Pusher from 'pusher';
import { describe, expect, it } from 'vitest';
import {
  HTTP_TIMESTAMP_TOLERANCE_S,
  httpStringToSign,
  md5Hex,
  signChannelAuth,
  signHttpRequest,
  signUserAuth,
  signWebhook,
  verifyChannelAuth,
  verifyHttpRequest,
  verifyUserAuth,
} from '../../../spec/protocol/signing.ts';

const APP = { key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };
const SOCKET = '1234.1234';
const PUSHER_DATA = '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}';
const CHANNELS_DATA = '{"user_id":10,"user_info":{"name":"Mr. Channels"}}';

describe('channel authorization (public worked examples)', () => {
  it('signs private-foobar', () => {
    expect(signChannelAuth(APP, SOCKET, 'private-foobar')).toBe(
      '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
    );
  });

  it('signs presence-foobar over the channel_data string', () => {
    expect(signChannelAuth(APP, SOCKET, 'presence-foobar', PUSHER_DATA)).toBe(
      '278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
    );
    expect(signChannelAuth(APP, SOCKET, 'presence-foobar', CHANNELS_DATA)).toBe(
      '278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80',
    );
  });

  it('verifies the right signature and rejects other sockets, channels, channel_data and keys', () => {
    const auth = signChannelAuth(APP, SOCKET, 'presence-foobar', PUSHER_DATA);
    expect(verifyChannelAuth(APP, auth, SOCKET, 'presence-foobar', PUSHER_DATA)).toBe(true);
    expect(verifyChannelAuth(APP, auth, '1234.1235', 'presence-foobar', PUSHER_DATA)).toBe(false);
    expect(verifyChannelAuth(APP, auth, SOCKET, 'presence-foobaz', PUSHER_DATA)).toBe(false);
    expect(verifyChannelAuth(APP, auth, SOCKET, 'presence-foobar', CHANNELS_DATA)).toBe(false);
    expect(verifyChannelAuth(APP, auth, SOCKET, 'presence-foobar')).toBe(false);
    expect(verifyChannelAuth({ ...APP, key: 'otherkey' }, auth, SOCKET, 'presence-foobar', PUSHER_DATA)).toBe(false);
    expect(verifyChannelAuth({ ...APP, secret: 'other-secret' }, auth, SOCKET, 'presence-foobar', PUSHER_DATA)).toBe(false);
    expect(verifyChannelAuth(APP, undefined, SOCKET, 'private-foobar')).toBe(false);
    expect(verifyChannelAuth(APP, 42, SOCKET, 'private-foobar')).toBe(false);
  });

  it('agrees with the official pusher server SDK for any socket id and channel', () => {
    const sdk = new Pusher({ appId: '3', key: APP.key, secret: APP.secret, cluster: 'mt1' });
    const socketId = fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`);
    const name = fc.stringMatching(/^[A-Za-z0-9_\-=@,.;]{1,40}$/);
    fc.assert(
      fc.property(socketId, name, (sid, n) => {
        expect(signChannelAuth(APP, sid, `private-${n}`)).toBe(sdk.authorizeChannel(sid, `private-${n}`).auth);
      }),
    );
  });
});

describe('user authentication (pusher:signin)', () => {
  it('signs 1234.1234::user::{"id":"12345"} as in the public example', () => {
    expect(signUserAuth(APP, SOCKET, '{"id":"12345"}')).toBe(
      '278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba',
    );
  });

  it('rejects another socket id or other user_data', () => {
    const auth = signUserAuth(APP, SOCKET, '{"id":"12345"}');
    expect(verifyUserAuth(APP, auth, SOCKET, '{"id":"12345"}')).toBe(true);
    expect(verifyUserAuth(APP, auth, '1.2', '{"id":"12345"}')).toBe(false);
    expect(verifyUserAuth(APP, auth, SOCKET, '{"id":"12346"}')).toBe(false);
  });
});

describe('HTTP API request signing (public worked example)', () => {
  const BODY = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
  const TS = 1353088179;

  it('computes body_md5 and auth_signature of the example', () => {
    expect(md5Hex(BODY)).toBe('ec365a775a4cd0599faeb73354201b6f');
    const params = signHttpRequest(APP, { method: 'POST', path: '/apps/3/events', body: BODY, timestamp: TS });
    expect(params).toEqual({
      auth_key: APP.key,
      auth_timestamp: String(TS),
      auth_version: '1.0',
      body_md5: 'ec365a775a4cd0599faeb73354201b6f',
      auth_signature: 'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
    });
  });

  it('builds the string to sign from sorted, lower-cased keys', () => {
    expect(httpStringToSign('get', '/apps/3/channels', { Zeta: '1', alpha: '2', auth_key: 'k' })).toBe(
      'GET\n/apps/3/channels\nalpha=2&auth_key=k&zeta=1',
    );
  });

  const query = signHttpRequest(APP, { method: 'POST', path: '/apps/3/events', body: BODY, timestamp: TS });
  const verify = (over: Partial<Parameters<typeof verifyHttpRequest>[1]>, app = APP) =>
    verifyHttpRequest(app, { method: 'POST', path: '/apps/3/events', query, body: BODY, now: TS, ...over });

  it('accepts the example at its own time and within the tolerance', () => {
    expect(verify({})).toEqual({ ok: true });
    expect(verify({ now: TS + HTTP_TIMESTAMP_TOLERANCE_S })).toEqual({ ok: true });
    expect(verify({ now: TS - HTTP_TIMESTAMP_TOLERANCE_S })).toEqual({ ok: true });
  });

  it('rejects a stale timestamp', () => {
    expect(verify({ now: TS + HTTP_TIMESTAMP_TOLERANCE_S + 1 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify({ now: TS - HTTP_TIMESTAMP_TOLERANCE_S - 1 })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects a tampered body', () => {
    expect(verify({ body: BODY.replace('foo', 'bar') })).toEqual({ ok: false, reason: 'body_md5_mismatch' });
  });

  it('rejects a wrong key, a wrong secret, a wrong path and a missing parameter', () => {
    expect(verify({}, { ...APP, key: 'otherkey' })).toEqual({ ok: false, reason: 'unknown_auth_key' });
    expect(verify({}, { ...APP, secret: 'othersecret' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verify({ path: '/apps/4/events' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verify({ method: 'GET' })).toEqual({ ok: false, reason: 'invalid_signature' });
    const { auth_signature: _s, ...unsigned } = query;
    expect(verify({ query: unsigned })).toEqual({ ok: false, reason: 'missing_auth_params' });
    expect(verify({ query: { ...query, auth_version: '2.0' } })).toEqual({ ok: false, reason: 'unsupported_auth_version' });
  });

  it('rejects an added query parameter the signature did not cover', () => {
    expect(verify({ query: { ...query, info: 'user_count' } })).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('accepts GET requests with extra parameters signed by signHttpRequest', () => {
    const q = signHttpRequest(APP, {
      method: 'GET',
      path: '/apps/3/channels',
      params: { filter_by_prefix: 'presence-', info: 'user_count' },
      timestamp: TS,
    });
    expect(q.body_md5).toBeUndefined();
    expect(verifyHttpRequest(APP, { method: 'GET', path: '/apps/3/channels', query: q, body: '', now: TS })).toEqual({ ok: true });
  });
});

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the body with the app secret', () => {
    const sdk = new Pusher({ appId: '3', key: APP.key, secret: APP.secret, cluster: 'mt1' });
    const body = '{"time_ms":1,"events":[{"name":"channel_occupied","channel":"a"}]}';
    const sig = signWebhook(APP, body);
    expect(
      sdk
        .webhook({ headers: { 'content-type': 'application/json', 'x-pusher-key': APP.key, 'x-pusher-signature': sig }, rawBody: body })
        .isValid(),
    ).toBe(true);
    expect(
      sdk
        .webhook({
          headers: { 'content-type': 'application/json', 'x-pusher-key': APP.key, 'x-pusher-signature': sig },
          rawBody: `${body} `,
        })
        .isValid(),
    ).toBe(false);
  });
});
