/** pusher/http-api and pusher/limits: publishing, batches, limits, and the channel query endpoints. */
import { pusherApi, type HttpResponse } from '../../clients/http.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { acceptedAnswer, bytes, largestAccepted, limitsOf, withLimitProbe } from '../../limits.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectEvery, expectFields, expectIncludes, expectSameSet, expectStatus, expectThat } from '../../verify.ts';
import { expectNoneBeforeSentinel, member, publish, subscribed, uniq, waitForData } from './helpers.ts';

const jsonObject = (res: HttpResponse): Record<string, unknown> | undefined =>
  res.json !== null && typeof res.json === 'object' && !Array.isArray(res.json) ? (res.json as Record<string, unknown>) : undefined;

/** `n` channel names sharing one unique stem. */
const channelsOf = (n: number) => {
  const stem = uniq();
  return Array.from({ length: n }, (_, i) => `${stem}-${i}`);
};

export const httpApiCases: Case[] = [
  {
    requirement: 'pusher/http-api/1',
    desc: 'Publishes with `channels` (two channels) and with `channel`, and expects 200 with a JSON object and delivery to each channel',
    async run(ctx: CaseContext) {
      const [c1, c2] = [uniq(), uniq()];
      const sock = await subscribed(ctx, [c1, c2]);
      const api = pusherApi(ctx);
      const data = JSON.stringify({ many: true });
      const res = await api.trigger({ name: 'hp-multi', data, channels: [c1, c2] });
      expectStatus(res, 200, 'POST events with channels');
      expectThat(res.text, () => jsonObject(res) !== undefined, '{} or {channels:{…}}', 'events answer is not a JSON object');
      await waitForData(sock, c1, 'hp-multi', data);
      await waitForData(sock, c2, 'hp-multi', data);
      const single = await api.trigger({ name: 'hp-single', data, channel: c1 });
      expectStatus(single, 200, 'POST events with channel');
      await waitForData(sock, c1, 'hp-single', data);
    },
  },
  {
    requirement: 'pusher/http-api/2',
    desc: "Publishes one event to one channel more than the hub's limit (Pusher: 101) and expects 400 and no delivery",
    async run(ctx: CaseContext) {
      const over = limitsOf(ctx).channels_per_trigger + 1;
      const names = channelsOf(over);
      const sock = await subscribed(ctx, names[0]!);
      expectStatus(
        await pusherApi(ctx).trigger({ name: 'hp-too-many', data: '{}', channels: names }),
        400,
        `POST events to ${over} channels`,
      );
      await expectNoneBeforeSentinel(ctx, sock, isEvent('hp-too-many'), `an event from a refused ${over}-channel publish`, names[0]!);
    },
  },
  {
    requirement: 'pusher/http-api/3',
    desc: "Publishes an event whose data is one byte over the hub's event-size limit (Pusher: 10 KB + 1) and expects 413 and no delivery",
    async run(ctx: CaseContext) {
      const max = limitsOf(ctx).event_data_bytes;
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      await withLimitProbe(
        ctx,
        'event_data_bytes',
        async () => {
          const data = 'x'.repeat(max + 1);
          expectStatus(
            await pusherApi(ctx).trigger({ name: 'hp-too-big', data, channel }),
            413,
            `POST events with ${bytes(max)} + 1 of data`,
          );
        },
        async () => {
          const accepts = async (n: number) =>
            acceptedAnswer(await pusherApi(ctx).trigger({ name: 'hp-probe', data: 'x'.repeat(n), channel: uniq() }));
          if (!(await accepts(max + 1))) return undefined;
          const upTo = await largestAccepted(max + 1, 4 * 1024 * 1024, accepts);
          return upTo >= 4 * 1024 * 1024
            ? `none up to 4 MB of data (${bytes(max)} + 1 accepted)`
            : `up to ${bytes(upTo)}, Pusher ${bytes(max)}`;
        },
      );
      await expectNoneBeforeSentinel(ctx, sock, isEvent('hp-too-big'), 'an event from a refused oversize publish', channel);
    },
  },
  {
    requirement: 'pusher/http-api/4',
    desc: 'Publishes with socket_id of one of two subscribers and checks only the other receives it',
    async run(ctx: CaseContext) {
      const channel = uniq();
      const [excluded, other] = [await subscribed(ctx, channel), await subscribed(ctx, channel)];
      const data = JSON.stringify({ excl: uniq() });
      await publish(ctx, channel, 'hp-excl', data, { socket_id: excluded.socketId });
      await waitForData(other, channel, 'hp-excl', data);
      await expectNoneBeforeSentinel(ctx, excluded, isEvent('hp-excl', channel), 'an event published with its own socket_id', channel);
    },
  },
  {
    requirement: 'pusher/http-api/5',
    desc: 'Publishes a batch of three events on two channels and expects 200 and every event delivered',
    async run(ctx: CaseContext) {
      const [c1, c2] = [uniq(), uniq()];
      const sock = await subscribed(ctx, [c1, c2]);
      const batch = [
        { name: 'hp-b1', channel: c1, data: '{"b":1}' },
        { name: 'hp-b2', channel: c2, data: '{"b":2}' },
        { name: 'hp-b3', channel: c1, data: '{"b":3}' },
      ];
      expectStatus(await pusherApi(ctx).batch(batch), 200, 'POST batch_events');
      for (const e of batch) await waitForData(sock, e.channel, e.name, e.data);
    },
  },
  {
    requirement: 'pusher/http-api/6',
    desc: "Publishes a batch of one event more than the hub's batch limit (Pusher: eleven) and expects 400 and no delivery",
    async run(ctx: CaseContext) {
      const over = limitsOf(ctx).batch_size + 1;
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      const batch = Array.from({ length: over }, (_, i) => ({ name: 'hp-batch-over', channel, data: JSON.stringify({ i }) }));
      expectStatus(await pusherApi(ctx).batch(batch), 400, `POST batch_events with ${over} events`);
      await expectNoneBeforeSentinel(ctx, sock, isEvent('hp-batch-over'), `an event from a refused ${over}-event batch`, channel);
    },
  },
  {
    requirement: 'pusher/http-api/7',
    desc: 'Publishes an event without name and one without data, and expects 400 for each',
    async run(ctx: CaseContext) {
      const channel = uniq();
      const api = pusherApi(ctx);
      expectStatus(await api.trigger({ data: '{}', channel }), 400, 'POST events without name');
      expectStatus(await api.trigger({ name: 'hp-nodata', channel }), 400, 'POST events without data');
    },
  },
  {
    requirement: 'pusher/http-api/8',
    desc: 'Occupies a public and a private channel, and checks GET channels lists both and filter_by_prefix=private- only the private one',
    async run(ctx: CaseContext) {
      const [pub, priv] = [uniq(), uniq('private-')];
      await subscribed(ctx, [pub, priv]);
      const api = pusherApi(ctx);
      const all = await api.channels();
      expectStatus(all, 200, 'GET channels');
      const listed = Object.keys((jsonObject(all)?.channels as object | undefined) ?? {});
      expectIncludes(listed, [pub, priv], 'GET channels misses an occupied channel');
      const filtered = await api.channels({ filter_by_prefix: 'private-' });
      expectStatus(filtered, 200, 'GET channels?filter_by_prefix=private-');
      const names = Object.keys((jsonObject(filtered)?.channels as object | undefined) ?? {});
      expectIncludes(names, [priv], 'filter_by_prefix was not honoured');
      expectEvery(names, (n) => n.startsWith('private-'), 'starts with private-', 'filter_by_prefix was not honoured');
    },
  },
  {
    requirement: 'pusher/http-api/9',
    desc: 'Joins two users (one twice) on a presence channel, checks info=user_count with filter_by_prefix=presence- reports 2, and expects 400 for info=user_count without the filter',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const cd = (u: string) => ({ sub: { channelData: member(u) } });
      await subscribed(ctx, channel, cd('u1'));
      await subscribed(ctx, channel, cd('u1'));
      await subscribed(ctx, channel, cd('u2'));
      const api = pusherApi(ctx);
      const res = await api.channels({ filter_by_prefix: 'presence-', info: 'user_count' });
      expectStatus(res, 200, 'GET channels?filter_by_prefix=presence-&info=user_count');
      const entry = (jsonObject(res)?.channels as Record<string, { user_count?: unknown }> | undefined)?.[channel];
      expectFields(entry, { user_count: 2 }, `user_count of ${channel} is not the number of distinct users`);
      expectStatus(await api.channels({ info: 'user_count' }), 400, 'GET channels?info=user_count without filter_by_prefix=presence-');
    },
  },
  {
    requirement: 'pusher/http-api/10',
    desc: 'Queries one occupied public channel, one presence channel and one empty channel, checking occupied, subscription_count and user_count',
    async run(ctx: CaseContext) {
      const [pub, pres, empty] = [uniq(), uniq('presence-'), uniq()];
      await subscribed(ctx, pub);
      await subscribed(ctx, pub);
      await subscribed(ctx, pres, { sub: { channelData: member('u1') } });
      await subscribed(ctx, pres, { sub: { channelData: member('u1') } });
      const api = pusherApi(ctx);
      const a = await api.channel(pub, { info: 'subscription_count' });
      expectStatus(a, 200, `GET channels/${pub}`);
      expectFields(jsonObject(a), { occupied: true, subscription_count: 2 }, 'public channel info is wrong');
      const p = await api.channel(pres, { info: 'user_count,subscription_count' });
      expectStatus(p, 200, `GET channels/${pres}`);
      expectFields(jsonObject(p), { occupied: true, user_count: 1, subscription_count: 2 }, 'presence channel info is wrong');
      const e = await api.channel(empty);
      expectStatus(e, 200, `GET channels/${empty}`);
      expectFields(jsonObject(e), { occupied: false }, 'empty channel is reported occupied');
    },
  },
  {
    requirement: 'pusher/http-api/11',
    desc: 'Joins u1 on two connections and u2 on one, and expects GET users to list u1 and u2 once each',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      for (const u of ['u1', 'u1', 'u2']) await subscribed(ctx, channel, { sub: { channelData: member(u) } });
      const res = await pusherApi(ctx).users(channel);
      expectStatus(res, 200, `GET channels/${channel}/users`);
      const ids = ((jsonObject(res)?.users as Array<{ id?: unknown }> | undefined) ?? []).map((u) => u.id);
      expectSameSet(ids, ['u1', 'u2'], 'users does not list each user once');
    },
  },
  {
    requirement: 'pusher/http-api/12',
    desc: 'Asks for the users of a public and of a private channel and expects 400 for both',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      for (const channel of [uniq(), uniq('private-')]) expectStatus(await api.users(channel), 400, `GET channels/${channel}/users`);
    },
  },
  {
    requirement: 'pusher/http-api/13',
    desc: 'Provokes 400 (too many channels), 413 (oversize data) and 401 (bad signature) and checks each body is JSON {error:{code, message}}',
    async run(ctx: CaseContext) {
      const api = pusherApi(ctx);
      const limits = limitsOf(ctx);
      const channel = uniq();
      const answers = [
        await api.trigger({ name: 'hp', data: '{}', channels: channelsOf(limits.channels_per_trigger + 1) }),
        await api.trigger({ name: 'hp', data: 'x'.repeat(limits.event_data_bytes + 1), channel }),
        await api.signed({ method: 'GET', path: 'channels', tamper: (q) => ({ ...q, auth_signature: '0'.repeat(64) }) }),
      ];
      for (const res of answers) {
        const err = jsonObject(res)?.error as { code?: unknown; message?: unknown } | undefined;
        if (typeof err?.code !== 'string' || typeof err.message !== 'string') {
          throw new CheckFailure(
            `HTTP ${res.status} error body is not {error:{code, message}}`,
            '{"error":{"code":"…","message":"…"}}',
            res.text.slice(0, 200),
          );
        }
      }
    },
  },
  {
    requirement: 'pusher/limits/1',
    desc: "Publishes exactly the hub's event-size limit of data to its channel limit of channels (Pusher: 10 KB to 100) and expects 200 and delivery on the last channel",
    async run(ctx: CaseContext) {
      const { event_data_bytes: size, channels_per_trigger: count } = limitsOf(ctx);
      const names = channelsOf(count);
      const last = names[count - 1]!;
      const sock = await subscribed(ctx, last);
      const data = JSON.stringify({ pad: 'y'.repeat(size - 10) });
      ctx.expect(Buffer.byteLength(data) === size, `test data is not exactly ${bytes(size)}`);
      await withLimitProbe(
        ctx,
        'event_data_bytes',
        async () =>
          expectStatus(
            await pusherApi(ctx).trigger({ name: 'hp-max', data, channels: names }),
            200,
            `POST events with ${bytes(size)} of data to ${count} channels`,
          ),
        async () => {
          const accepts = (channels: string[]) => async (n: number) =>
            acceptedAnswer(await pusherApi(ctx).trigger({ name: 'hp-probe', data: 'y'.repeat(n), channels }));
          const one = await largestAccepted(1, size, accepts([uniq()]));
          const all = await largestAccepted(1, size, accepts(channelsOf(count)));
          // A cap on the whole request body (Reverb: 10,000 bytes) shows as less data accepted to many channels than to one.
          return `up to ${bytes(one)} of data to one channel, ${bytes(all)} to ${count} channels${all < one ? ' (the cap looks like one on the whole request body)' : ''}`;
        },
      );
      await waitForData(sock, last, 'hp-max', data);
    },
  },
];
