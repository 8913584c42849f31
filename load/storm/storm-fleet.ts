/**
 * The storm's clients: real pusher-js instances (its Node build, `pusher-js/node`, as an app on Node runs
 * it), one connection each, holding one public, one private and one presence channel of their group.
 * Channel authorization is signed with the app secret in pusher-js's own `customHandler` hook, as an app's
 * auth endpoint would sign it. Every record is a timestamp on the performance clock (ms).
 */
import { createRequire } from 'node:module';
import { signChannelAuth } from '../../spec/protocol/signing.ts';
import type { TargetFile } from '../../spec/target.ts';

const require = createRequire(import.meta.url);

/** What one client saw, as pusher-js told the application. */
export interface ClientRecord {
  id: number;
  group: number;
  user: string;
  channels: string[];
  /** Each time its connection state became `connected`, and each time it left `connected`. */
  connected: number[];
  left: number[];
  /** Per channel: each `pusher:subscription_succeeded`. */
  subscribed: Map<string, number[]>;
  /** Per channel: event number → arrival times. */
  arrivals: Map<string, Map<number, number[]>>;
}

/** A test's way to break the fleet (selftest): patches each pusher-js instance once it has subscribed. */
export type FleetPatch = (pusher: PusherLike, client: number) => void;

// pusher-js's own types are for its browser build; the storm touches only this much of an instance.
export interface PusherLike {
  connection: { state: string; bind(event: string, fn: (x: { current: string; previous: string }) => void): void };
  subscribe(name: string): ChannelLike;
  disconnect(): void;
  subscribeAll(): void;
}
interface ChannelLike {
  bind(event: string, fn: (data: unknown) => void): void;
  members?: { count: number; me: { id: string } | null; each(fn: (m: { id: string }) => void): void };
}

export interface FleetOptions {
  target: TargetFile;
  clients: number;
  groups: number;
  /** Channel name stem unique to this run: `public-storm-<run>-<group>`, `private-…`, `presence-…`. */
  run: string;
  patch?: FleetPatch;
}

export function pusherJsVersion(): string {
  return (require('pusher-js/package.json') as { version: string }).version;
}

export const channelsOf = (run: string, group: number): string[] =>
  ['storm', 'private-storm', 'presence-storm'].map((p) => `${p}-${run}-${group}`);

export class StormFleet {
  readonly records: ClientRecord[] = [];
  private readonly instances: Array<{ pusher: PusherLike; presence: ChannelLike }> = [];

  constructor(private readonly o: FleetOptions) {}

  /** Creates every client; resolves once each has all three subscriptions confirmed, or after `timeoutMs`. */
  async open(timeoutMs: number, onProgress?: (subscribed: number) => void): Promise<number> {
    const mod = require('pusher-js/node') as unknown;
    const Pusher = (typeof mod === 'function' ? mod : (mod as { default: unknown }).default) as new (key: string, o: object) => PusherLike;
    const { target } = this.o;
    for (let i = 0; i < this.o.clients; i++) {
      const node = target.nodes[i % target.nodes.length]!;
      const ws = new URL(node.ws);
      const group = i % this.o.groups;
      const user = `storm-user-${i}`;
      const r: ClientRecord = {
        id: i,
        group,
        user,
        channels: channelsOf(this.o.run, group),
        connected: [],
        left: [],
        subscribed: new Map(),
        arrivals: new Map(),
      };
      this.records.push(r);
      const pusher = new Pusher(target.app.key, {
        wsHost: ws.hostname,
        wsPort: Number(ws.port || 80),
        wssPort: Number(ws.port || 443),
        forceTLS: ws.protocol === 'wss:',
        enabledTransports: ['ws'],
        disableStats: true,
        cluster: 'mt1',
        channelAuthorization: {
          customHandler: (p: { socketId: string; channelName: string }, done: (e: Error | null, a: object) => void) => {
            const channelData = p.channelName.startsWith('presence-') ? JSON.stringify({ user_id: user, user_info: {} }) : undefined;
            done(null, {
              auth: signChannelAuth(target.app, p.socketId, p.channelName, channelData),
              ...(channelData ? { channel_data: channelData } : {}),
            });
          },
        },
      });
      pusher.connection.bind('state_change', (s) => {
        const at = performance.now();
        if (s.current === 'connected') r.connected.push(at);
        else if (s.previous === 'connected') r.left.push(at);
      });
      let presence: ChannelLike | undefined;
      for (const name of r.channels) {
        r.subscribed.set(name, []);
        const arrivals = new Map<number, number[]>();
        r.arrivals.set(name, arrivals);
        const channel = pusher.subscribe(name);
        channel.bind('pusher:subscription_succeeded', () => r.subscribed.get(name)!.push(performance.now()));
        channel.bind('storm', (data) => {
          const n = (data as { n?: unknown } | null)?.n;
          if (typeof n !== 'number') return;
          const list = arrivals.get(n);
          if (list) list.push(performance.now());
          else arrivals.set(n, [performance.now()]);
        });
        if (name.startsWith('presence-')) presence = channel;
      }
      this.instances.push({ pusher, presence: presence! });
    }
    const deadline = performance.now() + timeoutMs;
    let last = -1;
    for (;;) {
      const done = this.subscribedSince(0);
      if (done !== last) onProgress?.(done);
      last = done;
      if (done === this.records.length * 3 || performance.now() > deadline) break;
      await sleep(100);
    }
    if (this.o.patch) this.instances.forEach((x, i) => this.o.patch!(x.pusher, i));
    return last;
  }

  /** Subscriptions whose latest confirmation came at or after `since`. */
  subscribedSince(since: number): number {
    let n = 0;
    for (const r of this.records) for (const times of r.subscribed.values()) if (times.length && times.at(-1)! >= since) n++;
    return n;
  }

  /** Each client's presence view: member count and `me`, beside what the fleet says it should be. */
  presenceViews(): Array<{ client: number; channel: string; count: number; me: string | null; ids: string[] }> {
    return this.instances.map((x, i) => {
      const ids: string[] = [];
      x.presence.members?.each((m) => ids.push(String(m.id)));
      return {
        client: i,
        channel: this.records[i]!.channels[2]!,
        count: x.presence.members?.count ?? 0,
        me: x.presence.members?.me ? String(x.presence.members.me.id) : null,
        ids,
      };
    });
  }

  close(): void {
    for (const x of this.instances) x.pusher.disconnect();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
