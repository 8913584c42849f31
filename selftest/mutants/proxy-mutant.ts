/**
 * Builds a mutant from hooks: starts a real reference hub (../upstream-hub.ts), puts the kit's mutating
 * relay in front of it and hands out a target that points at the relay. Also the small frame helpers the
 * mutants share, so each mutant reads as the one thing it breaks.
 */
import { LARAVEL_EVENT_NAMESPACE } from '../../spec/schemas/sync.ts';
import { relayInFront } from '../kit/broken-hub.ts';
import type { HttpExchange, HttpHooks, HttpReply, WsHooks } from '../kit/mutating-proxy.ts';
import { startUpstreamHub, type UpstreamHub, type UpstreamOptions } from '../upstream-hub.ts';
import type { Mutant, RunningMutant } from './types.ts';

export interface ProxyMutantSpec extends Omit<Mutant, 'start'> {
  upstream?: UpstreamOptions;
  /** Called once per started mutant, so per-run state (counters, registries) starts empty. */
  /** Also `keepAlive: false` for a relay whose descriptors count as the hub's (selftest/kit/mutating-proxy.ts). */
  hooks(hub: UpstreamHub): { ws?: WsHooks; http?: HttpHooks; keepAlive?: boolean };
}

export function proxyMutant(spec: ProxyMutantSpec): Mutant {
  const { upstream, hooks, ...rest } = spec;
  return { ...rest, start: () => startProxied(spec.name, hooks, upstream) };
}

/** The reference hub behind a proxy; with no hooks this is the control (an unmutated hub, same path). */
export async function startProxied(name: string, hooks: ProxyMutantSpec['hooks'], upstream?: UpstreamOptions): Promise<RunningMutant> {
  const hub = await startUpstreamHub(upstream);
  try {
    const relay = await relayInFront(hub.target, `mutant ${name}`, hooks(hub));
    return {
      target: relay.target,
      async close() {
        await relay.close();
        await hub.close();
      },
    };
  } catch (err) {
    await hub.close();
    throw err;
  }
}

/** A sync event frame as relayed: `{event: "App\\Events\\…", channel, data: "<json>"}`. */
export interface SyncFrame {
  event: string;
  channel: string;
  data: Record<string, unknown>;
}

export function syncFrame(json: unknown): SyncFrame | undefined {
  const f = json as { event?: unknown; channel?: unknown; data?: unknown } | undefined;
  if (
    typeof f?.event !== 'string' ||
    !f.event.startsWith(LARAVEL_EVENT_NAMESPACE) ||
    typeof f.channel !== 'string' ||
    typeof f.data !== 'string'
  )
    return undefined;
  try {
    return { event: f.event, channel: f.channel, data: JSON.parse(f.data) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

export function encodeSyncFrame(f: SyncFrame): string {
  return JSON.stringify({ event: f.event, channel: f.channel, data: JSON.stringify(f.data) });
}

export function isEvent(f: SyncFrame, name: string): boolean {
  return f.event === `${LARAVEL_EVENT_NAMESPACE}${name}`;
}

interface HistoryPageBody {
  events: Array<{ seq: number; event: string; event_id: string; data: Record<string, unknown> }>;
  [k: string]: unknown;
}

/** Rewrites every successful `GET /api/channels/{channel}/events` page with `edit`. */
export function editHistory(edit: (page: HistoryPageBody) => void): HttpHooks['response'] {
  return (req: HttpExchange, res: HttpReply) => {
    if (req.method !== 'GET' || res.status !== 200 || !/^\/api\/channels\/[^/?]+\/events(\?|$)/.test(req.url)) return;
    const page = JSON.parse(res.body.toString('utf8')) as HistoryPageBody;
    edit(page);
    res.body = Buffer.from(JSON.stringify(page));
  };
}

/** A Pusher client frame as the relay sees it. */
export interface ClientFrame {
  event?: unknown;
  channel?: unknown;
  data?: unknown;
}

/** Client frames may carry `data` as an object or as a JSON string. */
export function dataObject(f: ClientFrame): Record<string, unknown> | undefined {
  if (typeof f.data === 'string') {
    try {
      return JSON.parse(f.data) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return f.data !== null && typeof f.data === 'object' ? (f.data as Record<string, unknown>) : undefined;
}

/** The query parameters of HTTP API signing. */
export const AUTH_PARAMS = new Set(['auth_key', 'auth_timestamp', 'auth_version', 'auth_signature', 'body_md5']);
