/**
 * Broken hubs for the soak (docs/soak.md), each the fast reference hub in this process behind a mutating
 * relay, and each breaking one thing the soak judges. A soak mutant is meant to run as a process of its
 * own (selftest/serve-soak-mutant.ts) whose pid its target names: RSS and descriptors are then that
 * process's, relay and hub together, which is what a hub is from outside. `breaks` lists the soak
 * thresholds that must fail, and no other may.
 */
import { openSync } from 'node:fs';
import { HubproofError } from '../../spec/errors.ts';
import type { ProxyConn } from '../kit/mutating-proxy.ts';
import { dataObject, startProxied, type ClientFrame, type ProxyMutantSpec } from './proxy-mutant.ts';
import type { RunningMutant } from './types.ts';

export interface SoakMutant {
  name: string;
  /** Soak threshold names that must be breached, and only they. */
  breaks: readonly string[];
  describe: string;
  /** `leakKb`: what the buffer mutant keeps per closed connection (default 512). */
  start(options?: { leakKb?: number }): Promise<RunningMutant>;
}

/** The relay's target names this process: relay and hub, one process, one hub from outside. */
function ownProcess(m: RunningMutant): RunningMutant {
  return { ...m, target: { ...m.target, process: { pid: process.pid } } };
}

export const keepsBuffers: SoakMutant = {
  name: 'soak-keeps-buffers',
  breaks: ['rssMbPerHour', 'rssReturnMb'],
  describe: 'keeps a buffer (512 KB by default) for every connection that closed, and never frees it',
  start: async (o = {}) => {
    const kept: Buffer[] = [];
    const bytes = (o.leakKb ?? 512) * 1024;
    // Filled, so every page is touched and counts in RSS.
    return ownProcess(
      await startProxied('soak-keeps-buffers', () => ({ keepAlive: false, ws: { onClose: () => void kept.push(Buffer.alloc(bytes, 7)) } })),
    );
  },
};

export const leaksDescriptors: SoakMutant = {
  name: 'soak-leaks-descriptors',
  breaks: ['fdsPerHour', 'fdsReturn'],
  describe: 'opens /dev/null for every connection and never closes it',
  start: async () => {
    const leaked: number[] = [];
    return ownProcess(
      await startProxied('soak-leaks-descriptors', () => ({
        keepAlive: false,
        ws: { onOpen: () => void leaked.push(openSync('/dev/null', 'r')) },
      })),
    );
  },
};

export const presenceGhosts: SoakMutant = {
  name: 'soak-presence-ghosts',
  breaks: ['leftovers'],
  describe:
    'presence forgets to remove members of connections that died (destroyed, or closed by the hub for want of a pong): the HTTP API keeps listing them',
  start: async () => ownProcess(await startProxied('soak-presence-ghosts', ghostHooks)),
};

export const neverReapsSilent: SoakMutant = {
  name: 'soak-never-reaps-silent',
  breaks: ['reapSilent'],
  describe: "answers the hub's pusher:ping itself for connections that never subscribed, so the hub never closes them",
  start: async () =>
    ownProcess(
      await startProxied('soak-never-reaps-silent', () => {
        const subscribed = new WeakSet<ProxyConn>();
        return {
          keepAlive: false,
          ws: {
            fromClient(conn, _text, json) {
              if ((json as ClientFrame | undefined)?.event === 'pusher:subscribe') subscribed.add(conn);
              return undefined;
            },
            fromHub(conn, _text, json) {
              if ((json as ClientFrame | undefined)?.event !== 'pusher:ping' || subscribed.has(conn)) return undefined;
              conn.toHub(JSON.stringify({ event: 'pusher:pong', data: {} }));
              return null;
            },
          },
        };
      }),
    ),
};

/** Presence members of dead connections stay: added to every users list, count and channel listing. */
function ghostHooks(): ReturnType<ProxyMutantSpec['hooks']> {
  const joined = new Map<ProxyConn, Map<string, string>>(); // conn → presence channel → user id
  const ghosts = new Map<string, Set<string>>(); // channel → user ids
  const bury = (conn: ProxyConn) => {
    for (const [channel, user] of joined.get(conn) ?? []) {
      const set = ghosts.get(channel) ?? new Set<string>();
      set.add(user);
      ghosts.set(channel, set);
    }
    joined.delete(conn);
  };
  return {
    keepAlive: false,
    ws: {
      fromClient(conn, _text, json) {
        const f = json as ClientFrame | undefined;
        const d = f && dataObject(f);
        if (f?.event === 'pusher:subscribe' && typeof d?.channel === 'string' && d.channel.startsWith('presence-')) {
          const user = (JSON.parse(String(d.channel_data ?? '{}')) as { user_id?: unknown }).user_id;
          const mine = joined.get(conn) ?? new Map<string, string>();
          mine.set(d.channel, String(user));
          joined.set(conn, mine);
        }
        if (f?.event === 'pusher:unsubscribe' && typeof d?.channel === 'string') joined.get(conn)?.delete(d.channel);
        return undefined;
      },
      onHubClose: (conn, code) => (code === 4201 ? bury(conn) : undefined),
      onClose: (conn, abrupt) => (abrupt ? bury(conn) : void joined.delete(conn)),
    },
    http: {
      response(req, res) {
        if (req.method !== 'GET' || res.status !== 200) return;
        const path = req.url.split('?')[0]!;
        const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
        const users = /\/channels\/([^/]+)\/users$/.exec(path);
        const one = /\/channels\/([^/]+)$/.exec(path);
        if (users) {
          const list = body.users as Array<{ id: string }>;
          for (const u of ghosts.get(decodeURIComponent(users[1]!)) ?? []) if (!list.some((x) => x.id === u)) list.push({ id: u });
        } else if (one) {
          const n = ghosts.get(decodeURIComponent(one[1]!))?.size ?? 0;
          if (n > 0) {
            body.occupied = true;
            if (typeof body.user_count === 'number') body.user_count = Math.max(body.user_count, n);
          }
        } else if (/\/channels$/.test(path)) {
          const prefix = new URLSearchParams(req.url.split('?')[1] ?? '').get('filter_by_prefix') ?? '';
          const channels = body.channels as Record<string, Record<string, number>>;
          for (const [name, set] of ghosts) {
            if (!name.startsWith(prefix) || set.size === 0) continue;
            const c = (channels[name] ??= {});
            if (req.url.includes('user_count')) c.user_count = Math.max(c.user_count ?? 0, set.size);
            if (req.url.includes('subscription_count')) c.subscription_count = Math.max(c.subscription_count ?? 0, set.size);
          }
        } else return;
        res.body = Buffer.from(JSON.stringify(body));
      },
    },
  };
}

export const SOAK_MUTANTS: readonly SoakMutant[] = [keepsBuffers, leaksDescriptors, presenceGhosts, neverReapsSilent];

export function findSoakMutant(name: string): SoakMutant {
  const m = SOAK_MUTANTS.find((x) => x.name === name);
  if (!m)
    throw new HubproofError('HUBPROOF_ERR_USAGE', `unknown soak mutant "${name}"; known: ${SOAK_MUTANTS.map((x) => x.name).join(', ')}`);
  return m;
}
