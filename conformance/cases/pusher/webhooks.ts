/**
 * pusher/webhooks (capability webhooks): the harness listens at `target.webhooks.listen` during each
 * case and checks signatures, occupied/vacated, per-user member events and the vacated delay.
 */
import { hmacHex, safeEqual } from '../../../spec/protocol/signing.ts';
import { sleep } from '../../clients/wait.ts';
import { startWebhookSink, type WebhookSink } from '../../clients/webhook-sink.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectEqual, expectThat } from '../../verify.ts';
import { member, requireCapability, subscribed, uniq } from './helpers.ts';

/** Upper bound on a hub's vacated/member_removed delay ("a few seconds"). */
export const LEAVE_WINDOW_MS = 10_000;

export const is = (name: string, channel: string, userId?: string) => (e: Record<string, unknown>) =>
  e.name === name && e.channel === channel && (userId === undefined || e.user_id === userId);

/** Starts the sink and makes sure the hub posts to it; unimplemented when there is no URL or no webhook. */
export async function sinkOrUnimplemented(ctx: CaseContext): Promise<WebhookSink> {
  const sink = await startWebhookSink(ctx);
  if (!sink) ctx.unimplemented('target file names no webhooks.listen URL');
  await requireCapability(ctx, 'webhooks', async () => {
    const channel = uniq();
    await subscribed(ctx, channel);
    try {
      await sink.waitForEvent(is('channel_occupied', channel), `channel_occupied for ${channel}`, 3000);
      return true;
    } catch (err) {
      if (err instanceof CheckFailure) return false;
      throw err;
    }
  });
  return sink;
}

export const webhookCases: Case[] = [
  {
    requirement: 'pusher/webhooks/1',
    exclusive: 'listens on the one webhook URL the hub posts to',
    desc: 'Occupies a channel and checks the webhook is JSON {time_ms, events} with X-Pusher-Key and a valid X-Pusher-Signature',
    async run(ctx: CaseContext) {
      const sink = await sinkOrUnimplemented(ctx);
      const channel = uniq();
      await subscribed(ctx, channel);
      const { hook } = await sink.waitForEvent(is('channel_occupied', channel), `channel_occupied for ${channel}`);
      expectThat(
        hook.body,
        () => typeof hook.json?.time_ms === 'number' && Array.isArray(hook.json.events),
        '{"time_ms":n,"events":[…]}',
        'webhook body is not {time_ms, events}',
      );
      expectEqual(hook.headers['x-pusher-key'], ctx.target.app.key, 'X-Pusher-Key is not the app key');
      const sig = String(hook.headers['x-pusher-signature'] ?? '');
      expectThat(
        sig,
        (x) => safeEqual(x, hmacHex(ctx.target.app.secret, hook.body)),
        'hex(HMAC-SHA256(secret, body))',
        'X-Pusher-Signature does not sign the body',
      );
    },
  },
  {
    requirement: 'pusher/webhooks/2',
    exclusive: 'listens on the one webhook URL the hub posts to',
    desc: 'Subscribes the first connection to a channel and closes the last, and expects channel_occupied then channel_vacated',
    timeoutMs: LEAVE_WINDOW_MS + 10_000,
    async run(ctx: CaseContext) {
      const sink = await sinkOrUnimplemented(ctx);
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      await sink.waitForEvent(is('channel_occupied', channel), `channel_occupied for ${channel}`);
      await sock.close();
      await sink.waitForEvent(is('channel_vacated', channel), `channel_vacated for ${channel}`, LEAVE_WINDOW_MS);
    },
  },
  {
    requirement: 'pusher/webhooks/3',
    exclusive: 'listens on the one webhook URL the hub posts to',
    desc: 'Joins user u1 on two presence connections, closes both, and expects exactly one member_added and one member_removed webhook with user_id u1',
    timeoutMs: LEAVE_WINDOW_MS + 10_000,
    async run(ctx: CaseContext) {
      const sink = await sinkOrUnimplemented(ctx);
      const channel = uniq('presence-');
      const a = await subscribed(ctx, channel, { sub: { channelData: member('u1') } });
      const b = await subscribed(ctx, channel, { sub: { channelData: member('u1') } });
      await sink.waitForEvent(is('member_added', channel, 'u1'), 'member_added u1');
      await a.close();
      await b.close();
      await sink.waitForEvent(is('member_removed', channel, 'u1'), 'member_removed u1', LEAVE_WINDOW_MS);
      await sleep(ctx, 300);
      const count = (name: string) => sink.events().filter((e) => is(name, channel, 'u1')(e.event)).length;
      expectEqual(
        { member_added: count('member_added'), member_removed: count('member_removed') },
        { member_added: 1, member_removed: 1 },
        'member webhooks are not per user',
      );
    },
  },
  {
    requirement: 'pusher/webhooks/4',
    exclusive: 'listens on the one webhook URL the hub posts to',
    desc: 'Leaves a channel and rejoins it at once, and checks no channel_vacated (nor a second channel_occupied) is sent for the blip, while a final leave is reported later',
    timeoutMs: LEAVE_WINDOW_MS * 2 + 10_000,
    async run(ctx: CaseContext) {
      const sink = await sinkOrUnimplemented(ctx);
      const channel = uniq();
      const first = await subscribed(ctx, channel);
      await sink.waitForEvent(is('channel_occupied', channel), `channel_occupied for ${channel}`);
      await first.close();
      const again = await subscribed(ctx, channel);
      await sleep(ctx, 2000);
      const blips = sink.events().filter((e) => is('channel_vacated', channel)(e.event) || is('channel_occupied', channel)(e.event));
      expectEqual(
        blips.map((b) => b.event.name),
        ['channel_occupied'],
        'a leave-and-rejoin blip produced webhooks',
      );
      const left = Date.now();
      await again.close();
      await sink.waitForEvent(is('channel_vacated', channel), `channel_vacated for ${channel}`, LEAVE_WINDOW_MS);
      ctx.note(`channel_vacated arrived ${Date.now() - left} ms after the last connection left`);
    },
  },
  {
    requirement: 'pusher/webhooks/5',
    exclusive: 'listens on the one webhook URL the hub posts to',
    desc: 'Probes webhooks: occupying a channel makes the hub POST channel_occupied to the target’s webhook URL',
    async run(ctx: CaseContext) {
      await sinkOrUnimplemented(ctx);
    },
  },
];
