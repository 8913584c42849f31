/**
 * pusher/shutdown: a graceful restart closes every connection with 4200-4299 and flushes what was
 * accepted first. Runs only when the runner can restart the hub (embedded hub or restart.command).
 */
import { closeClass } from '../../../spec/protocol/close-codes.ts';
import { openPusherSocket } from '../../clients/pusher-socket.ts';
import { type Case, type CaseContext } from '../../types.ts';
import { expectEqual, expectThat } from '../../verify.ts';
import { publish, subscribed, uniq } from './helpers.ts';

function restartOrSkip(ctx: CaseContext): () => Promise<void> {
  if (!ctx.restart) ctx.skip('the target gives no way to restart the hub (add restart.command to the target file)');
  return ctx.restart;
}

export const shutdownCases: Case[] = [
  {
    requirement: 'pusher/shutdown/1',
    exclusive: 'restarts the hub',
    desc: 'Restarts the hub with two connections open and checks both are closed with a code in 4200-4299, then that the hub accepts connections again',
    timeoutMs: 30_000,
    async run(ctx: CaseContext) {
      const restart = restartOrSkip(ctx);
      const socks = [await openPusherSocket(ctx), await subscribed(ctx, uniq())];
      await restart();
      for (const s of socks) {
        const c = await s.waitForClose(5000, 'close at shutdown');
        expectThat(
          c,
          (x) => closeClass(x.code) === 'reconnect-now',
          'a close code in 4200-4299',
          `shutdown closed ${s.label} with ${c.code}`,
        );
      }
      await openPusherSocket(ctx);
    },
  },
  {
    requirement: 'pusher/shutdown/2',
    exclusive: 'restarts the hub',
    desc: 'Publishes 20 events (each answered 200), restarts the hub at once, and checks the subscriber received all 20 before its close',
    timeoutMs: 30_000,
    async run(ctx: CaseContext) {
      const restart = restartOrSkip(ctx);
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      for (let i = 0; i < 20; i++) await publish(ctx, channel, 'hp-flush', JSON.stringify({ i }));
      await restart();
      await sock.waitForClose(5000, 'close at shutdown');
      const got = sock.frames.filter((f) => f.event === 'hp-flush' && f.channel === channel).length;
      expectEqual(got, 20, `only ${got} of 20 accepted events arrived before the shutdown close`);
    },
  },
];
