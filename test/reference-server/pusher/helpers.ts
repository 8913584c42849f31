/**
 * Test helpers for the pusher profile: a real hub on loopback, a raw `ws` client that queues frames
 * and waits for them with deadlines, and a signed HTTP API caller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectionUrl } from '../../../spec/protocol/frames.ts';
import { signChannelAuth, signHttpRequest, type AppCredentials } from '../../../spec/protocol/signing.ts';
import type { HubConfigInput } from '../../../reference-server/config.ts';
import { startHub, type RunningHub } from '../../../reference-server/hub.ts';

export interface TestHub extends RunningHub {
  app: AppCredentials & { id: string };
  dispose(): Promise<void>;
}

export async function startTestHub(overrides: HubConfigInput = {}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-pusher-'));
  const hub = await startHub({ port: 0, dataDir, ...overrides });
  return Object.assign(hub, {
    app: hub.config.app,
    dispose: async () => {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface ReceivedFrame {
  event: string;
  channel?: string;
  /** As on the wire (a string for hub-sent data, except pusher:error). */
  data?: unknown;
  /** `data` parsed once when it is a JSON string. */
  value: any;
  user_id?: string;
  raw: string;
}

type Predicate = (f: ReceivedFrame) => boolean;

/** Anything with a WebSocket base URL and an app key: a RunningHub, or a hub described by a target file. */
export interface HubLike {
  wsUrl: string;
  config: { app: { key: string } };
}

export class TestClient {
  readonly frames: ReceivedFrame[] = [];
  private waiters: Array<() => void> = [];
  socketId = '';
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const text = raw.toString();
      const parsed = JSON.parse(text) as Omit<ReceivedFrame, 'value' | 'raw'>;
      let value: unknown = parsed.data;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          /* keep the string */
        }
      }
      this.frames.push({ ...parsed, value, raw: text });
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      }),
    );
    ws.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** Opens a connection and waits for pusher:connection_established. */
  static async connect(hub: HubLike, query: Record<string, string> = {}, key = hub.config.app.key): Promise<TestClient> {
    const client = TestClient.open(hub, query, key);
    const established = await client.next((f) => f.event === 'pusher:connection_established');
    client.socketId = established.value.socket_id;
    return client;
  }

  /** Opens a connection without waiting for anything (handshake tests). */
  static open(hub: HubLike, query: Record<string, string> = {}, key = hub.config.app.key, rawUrl?: string): TestClient {
    return new TestClient(new WebSocket(rawUrl ?? connectionUrl(hub.wsUrl, key, query)));
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Removes and returns the first queued frame matching `pred`, waiting up to `timeoutMs`. */
  async next(pred: Predicate = () => true, timeoutMs = 3000): Promise<ReceivedFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i !== -1) return this.frames.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(
          `no matching frame within ${timeoutMs} ms; queued: ${this.frames.map((f) => f.raw.slice(0, 120)).join(' | ') || '(none)'}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Next frame with this event (and channel, when given). */
  event(event: string, channel?: string, timeoutMs?: number): Promise<ReceivedFrame> {
    return this.next((f) => f.event === event && (channel === undefined || f.channel === channel), timeoutMs);
  }

  /** Waits `ms` and returns the queued frames matching `pred` (for "nothing arrives" checks). */
  async collect(pred: Predicate, ms: number): Promise<ReceivedFrame[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.filter(pred);
  }

  /** Sends pusher:subscribe signed with `app` (omitted for public/cache channels unless forced). */
  subscribe(channel: string, opts: { app?: AppCredentials; channelData?: unknown; auth?: string } = {}): void {
    const channelData = opts.channelData === undefined ? undefined : JSON.stringify(opts.channelData);
    const auth = opts.auth ?? (opts.app ? signChannelAuth(opts.app, this.socketId, channel, channelData) : undefined);
    this.send({
      event: 'pusher:subscribe',
      data: { channel, ...(auth ? { auth } : {}), ...(channelData ? { channel_data: channelData } : {}) },
    });
  }

  async subscribed(channel: string, opts: Parameters<TestClient['subscribe']>[1] = {}): Promise<ReceivedFrame> {
    this.subscribe(channel, opts);
    return this.event('pusher_internal:subscription_succeeded', channel);
  }

  /** Sends pusher:ping and waits for the pong: proof the connection still works. */
  async ping(): Promise<void> {
    this.send({ event: 'pusher:ping', data: {} });
    await this.event('pusher:pong');
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

export interface ApiResponse {
  status: number;
  body: any;
}

/** Calls the Pusher HTTP API, signed with `app` (default: the hub's own credentials). */
export async function api(
  hub: TestHub,
  method: 'GET' | 'POST',
  path: string,
  opts: {
    params?: Record<string, string>;
    body?: unknown;
    app?: AppCredentials & { id?: string };
    rawBody?: string;
    tamper?: (q: Record<string, string>) => void;
  } = {},
): Promise<ApiResponse> {
  const app = opts.app ?? hub.app;
  const fullPath = `/apps/${app.id ?? hub.app.id}${path}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const query = signHttpRequest(app, { method, path: fullPath, params: opts.params, body });
  opts.tamper?.(query);
  const res = await fetch(`${hub.httpUrl}${fullPath}?${new URLSearchParams(query).toString()}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

export const trigger = (hub: TestHub, channel: string | string[], name: string, data: unknown, extra: Record<string, unknown> = {}) =>
  api(hub, 'POST', '/events', {
    body: {
      name,
      data: typeof data === 'string' ? data : JSON.stringify(data),
      ...(Array.isArray(channel) ? { channels: channel } : { channel }),
      ...extra,
    },
  });

/** Fast timings for tests (the heartbeat and idle rules in well under a second). */
export const FAST_TIMINGS = { activityTimeoutS: 120, pongTimeoutMs: 30_000 } as const;
