/**
 * A deliberately broken hub for the suite's own tests: the self-test kit's relay in front of a real
 * reference hub, breaking one guarantee on the wire (the hub behind it stays correct). HTTP passes
 * unchanged except where the mutation edits history pages; WebSocket frames pass unchanged except where it
 * drops or reorders events. The harness sees an ordinary target.
 */
import { relayInFront, type BrokenHub } from '../../../selftest/kit/broken-hub.ts';
import type { HttpHooks, ProxyConn, WsHooks } from '../../../selftest/kit/mutating-proxy.ts';
import type { TargetFile } from '../../../spec/target.ts';

export type { BrokenHub } from '../../../selftest/kit/broken-hub.ts';

export type Mutation =
  /** Holds the 3rd sync event of each channel and sends it after the 4th. */
  | 'swap-events'
  /** Never delivers the 3rd sync event of each channel (history keeps it). */
  | 'drop-event'
  /** Removes the event with seq 4 from every history page (the broadcast still carries it). */
  | 'strip-history'
  /** Delivers only every other presence_update to each dashboard. */
  | 'drop-presence';

export async function startBrokenHub(upstream: TargetFile, mutation: Mutation): Promise<BrokenHub> {
  const broken = await relayInFront(
    upstream,
    `broken (${mutation})`,
    mutation === 'strip-history' ? { http: stripSeq4 } : { ws: wsHooks(mutation) },
  );
  return { ...broken, target: { ...broken.target, restart: undefined } };
}

const stripSeq4: HttpHooks = {
  response(req, res) {
    if (!/^\/api\/channels\/[^/]+\/events/.test(req.url) || res.status !== 200) return;
    const page = JSON.parse(res.body.toString('utf8')) as { events: Array<{ seq: number }> };
    page.events = page.events.filter((e) => e.seq !== 4);
    res.body = Buffer.from(JSON.stringify(page));
  },
};

/** Per connection: sync events seen per channel, the held-back event per channel, presence updates seen. */
interface ConnState {
  counts: Map<string, number>;
  held: Map<string, string>;
  presence: number;
}

function wsHooks(mutation: Mutation): WsHooks {
  const states = new WeakMap<ProxyConn, ConnState>();
  const stateOf = (conn: ProxyConn) => {
    let s = states.get(conn);
    if (!s) states.set(conn, (s = { counts: new Map(), held: new Map(), presence: 0 }));
    return s;
  };
  return {
    fromHub(conn, text, json) {
      const frame = json as { event?: string; channel?: string; type?: string } | undefined;
      if (!frame) return undefined;
      const s = stateOf(conn);
      if (frame.type === 'presence_update' && mutation === 'drop-presence') return s.presence++ % 2 === 1 ? null : undefined;
      if (!frame.channel || !frame.event?.startsWith('App\\Events\\')) return undefined;
      const n = (s.counts.get(frame.channel) ?? 0) + 1;
      s.counts.set(frame.channel, n);
      if (mutation === 'drop-event' && n === 3) return null;
      if (mutation !== 'swap-events') return undefined;
      if (n === 3) {
        s.held.set(frame.channel, text);
        return null;
      }
      const h = s.held.get(frame.channel);
      if (h === undefined) return undefined;
      s.held.delete(frame.channel);
      conn.toClient(text);
      conn.toClient(h);
      return null;
    },
  };
}
