/**
 * A cluster that sends a webhook twice now and then: the race pusher/cluster/7 repeats (Soketi sent
 * channel_vacated and member_removed twice in 3 of 19 runs when both nodes emptied at once). A webhook
 * relay (kit/webhook-relay.ts) stands where the hub posts and adds a second, validly signed copy of the
 * channel_vacated of every second public channel it sees vacated; the target's webhook URL is the relay's
 * forward address.
 */
import { signWebhook } from '../../spec/protocol/signing.ts';
import type { TargetFile } from '../../spec/target.ts';
import { freeLoopbackPort, startWebhookRelay, type WebhookPost } from '../kit/webhook-relay.ts';
import { relayCluster, startWrapped, type ClusterMutant } from './cluster-mutant.ts';
import type { RunningMutant } from './types.ts';

type HookEvent = { name?: unknown; channel?: unknown };

async function wrapVacatedTwice(upstream: TargetFile): Promise<RunningMutant> {
  const listen = upstream.webhooks?.listen;
  if (!listen) throw new TypeError('vacated-twice-now-and-then wraps a cluster that posts webhooks (target.webhooks.listen)');
  const forwardTo = `http://127.0.0.1:${await freeLoopbackPort()}/webhooks`;
  let vacated = 0;
  const posts = (post: WebhookPost): WebhookPost[] => {
    const events = ((JSON.parse(post.body) as { events?: HookEvent[] }).events ?? []).filter(
      (e) => e.name === 'channel_vacated' && typeof e.channel === 'string' && !e.channel.startsWith('presence-'),
    );
    const again = events.filter(() => ++vacated % 2 === 0);
    if (again.length === 0) return [post];
    const body = JSON.stringify({ time_ms: Date.now(), events: again });
    const headers = { ...post.headers, 'x-pusher-signature': signWebhook(upstream.app, body) };
    return [post, { headers, body }];
  };
  const hooks = await startWebhookRelay({ listen, forwardTo, posts });
  try {
    const relayed = await relayCluster(upstream, 'mutant vacated-twice-now-and-then', () => ({}));
    return {
      target: { ...relayed.target, webhooks: { listen: forwardTo } },
      close: async () => {
        await relayed.close();
        await hooks.close();
      },
    };
  } catch (err) {
    await hooks.close();
    throw err;
  }
}

export const vacatedTwiceNowAndThen: ClusterMutant = {
  name: 'vacated-twice-now-and-then',
  breaks: 'pusher/cluster/7',
  selectors: ['pusher/cluster/7'],
  describe:
    'Sends channel_vacated twice for every second public channel vacated, as a cluster whose nodes both see a channel empty now and then',
  // One try in two goes wrong: the failure counts them ("1 of 3 tries … channel_vacated twice").
  judge: (report) => {
    const row = report.results.find((r) => r.requirement === 'pusher/cluster/7' && r.outcome === 'fail');
    return row?.reason && /: \d+ of \d+ tries went wrong — channel_vacated twice in \d+ \(tr(y|ies) [\d, ]+\)/.test(row.reason)
      ? []
      : [`the pusher/cluster/7 failure does not count the tries that went wrong: ${row?.reason ?? 'no failure'}`];
  },
  wrap: wrapVacatedTwice,
  start: () => startWrapped(wrapVacatedTwice),
};
