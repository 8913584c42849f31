/**
 * Shards of one run start their schedules at the same instant without a coordinator: each opens one
 * socket on the hub under test and announces `hpshard|key|index|count|proposedStartUs|` through it twice a
 * second (a Pusher event on a private-to-the-run channel, or, for hubs with only the agent-presence
 * profile, a presence update every dashboard sees). Once a shard has seen all N announcements it starts at
 * the latest proposal; every shard proposes three seconds past its own readiness and keeps announcing until
 * the start, so each has seen the others before anyone starts. Clocks: load/measure/clock.ts.
 */
import WebSocket from 'ws';
import { connectionUrl, PusherEvent, signHttpRequest } from '../../spec/protocol/index.ts';
import { DASHBOARD_PATH } from '../../spec/schemas/agent-presence.ts';
import { HubproofError } from '../../spec/errors.ts';
import type { TargetFile } from '../../spec/target.ts';
import { nowUs } from '../measure/clock.ts';
import { HttpClient } from './http-client.ts';
import { announcement, readAnnouncement, shardChannel } from '../shard-meeting.ts';
import type { Shard } from './shard.ts';

export interface BarrierOptions {
  target: TargetFile;
  shard: Shard;
  /** shardKey(): the run's shards meet under it. */
  key: string;
  /** Give up after this long, s. */
  waitS: number;
  /**
   * Seconds between a shard being ready and the start it proposes (default 3: a k6 shard connects its
   * subscribers after the meeting, for up to 2 s, and announces itself at least twice more before).
   */
  leadS?: number;
  onWait?: (seen: number[]) => void;
}

/** Resolves with the agreed start time (wall-clock µs, clock.ts) once every shard announced itself. */
export async function shardBarrier(o: BarrierOptions): Promise<number> {
  const node = o.target.nodes[0]!;
  const http = new HttpClient({ base: node.http, maxSockets: 2 });
  const pusher = o.target.profiles.includes('pusher');
  const channel = shardChannel(o.key);
  const url = pusher
    ? connectionUrl(node.ws, o.target.app.key)
    : `${node.ws.replace(/\/+$/, '')}${DASHBOARD_PATH}?${new URLSearchParams({ token: o.target.agents[0]?.token ?? '', session_id: channel })}`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const proposals = new Map<number, number>();
  let proposeUs = 0;
  let announcer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let progress: NodeJS.Timeout | undefined;
  const announce = (): void => {
    const text = announcement(o.key, o.shard, proposeUs);
    if (pusher) {
      const body = JSON.stringify({ name: 'hp-shard', channel, data: text });
      const path = `/apps/${o.target.app.id}/events`;
      void http.request('POST', path, {
        query: signHttpRequest(o.target.app, { method: 'POST', path: `${http.prefix}${path}`, body }),
        body,
      });
    } else {
      const body = JSON.stringify({ event_type: 'tool_execute', tool_name: text, feature_id: null, cost_tokens: 0, session_id: channel });
      void http.request('POST', `/api/presence/${channel}-${o.shard.index}/events`, {
        body,
        headers: { authorization: `Bearer ${o.target.agents[0]?.token ?? ''}` },
      });
    }
  };
  const ready = (): void => {
    if (announcer) return;
    proposeUs = nowUs() + (o.leadS ?? 3) * 1e6;
    announce();
    announcer = setInterval(announce, 500);
  };
  try {
    return await new Promise<number>((resolve, reject) => {
      deadline = setTimeout(() => {
        const seen = [...proposals.keys()].sort((a, b) => a - b);
        reject(
          new HubproofError(
            'HUBPROOF_ERR_SHARD',
            `shard ${o.shard.index}/${o.shard.count}: within ${o.waitS} s only shards [${seen.join(', ')}] of ${o.shard.count} announced themselves on the hub; start every shard of the run (same scenario, overrides and target) within --shard-wait`,
          ),
        );
      }, o.waitS * 1000);
      progress = setInterval(() => o.onWait?.([...proposals.keys()]), 2000);
      let startUs = 0;
      ws.on('open', () => {
        if (!pusher) ready();
      });
      ws.on('message', (raw) => {
        const text = raw.toString();
        if (pusher && text.includes(PusherEvent.CONNECTION_ESTABLISHED))
          ws.send(JSON.stringify({ event: PusherEvent.SUBSCRIBE, data: { channel } }));
        else if (pusher && text.includes(PusherEvent.SUBSCRIPTION_SUCCEEDED)) ready();
        else if (pusher && text.includes(`"${PusherEvent.PING}"`)) ws.send(JSON.stringify({ event: PusherEvent.PONG, data: {} }));
        const a = readAnnouncement(text, o.key, o.shard.count);
        if (!a || startUs) return;
        proposals.set(a.index, a.proposedStartUs);
        if (proposals.size < o.shard.count) return;
        startUs = Math.max(...proposals.values());
        clearTimeout(deadline);
        // Keep announcing until the start, for shards that have not heard everyone yet.
        setTimeout(() => resolve(startUs), Math.max(0, (startUs - nowUs()) / 1000 - 100));
      });
      ws.on('error', (err) => reject(new HubproofError('HUBPROOF_ERR_TARGET_UNREACHABLE', `shard barrier: ${err.message}`)));
    });
  } finally {
    clearTimeout(deadline);
    clearInterval(progress);
    clearInterval(announcer);
    ws.terminate();
    http.close();
  }
}
