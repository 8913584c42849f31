/**
 * Test helpers for the sync and agent-presence profiles: a real hub in a temp dir, a small JSON HTTP
 * client, and a real Pusher WebSocket client that subscribes through POST /broadcasting/auth.
 * Every wait has a deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectionUrl, decodeFrame, frameData, PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { startHub, type RunningHub } from '../../../reference-server/hub.ts';
import type { HubConfigInput } from '../../../reference-server/config.ts';

export const BACKEND = 'token-backend-0001';
export const FRONTEND = 'token-frontend-0002';
export const SECURITY = 'token-security-0003';

/** Timings fast enough for the heartbeat and idle rules to run in about a second. */
export const FAST_TIMINGS = {
  heartbeatIntervalMs: 300,
  heartbeatTimeoutMs: 800,
  sweepIntervalMs: 100,
  staleGraceMs: 1_000,
  idleAfterMs: 400,
  offlineAfterMs: 900,
};

export function tempDir(prefix = 'hubproof-sync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestHub {
  hub: RunningHub;
  dataDir: string;
  close(): Promise<void>;
  /** Closes and starts again on the same data dir (a graceful restart). */
  restart(): Promise<TestHub>;
}

export async function startTestHub(overrides: Partial<HubConfigInput> = {}, dataDir = tempDir()): Promise<TestHub> {
  const input: HubConfigInput = { port: 0, dataDir, timings: FAST_TIMINGS, ...overrides };
  const hub = await startHub(input);
  const self: TestHub = {
    hub,
    dataDir,
    close: () => hub.close(),
    restart: async () => {
      await hub.close();
      return startTestHub(overrides, dataDir);
    },
  };
  return self;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as is when a string, JSON-encoded otherwise. */
  body?: unknown;
}

/** One HTTP request with a 10 s deadline; the body is parsed as JSON when there is one. */
export async function call<T = any>(hub: RunningHub, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? BACKEND : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${hub.httpUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

/** Waits for `predicate` to hold, polling; throws after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ReceivedEvent {
  channel: string;
  event: string;
  data: Record<string, any>;
  at: number;
}

/** A raw Pusher protocol 7 client (ws) that keeps every channel event it receives. */
export class PusherTestClient {
  readonly events: ReceivedEvent[] = [];
  readonly frames: Frame[] = [];
  socketId = '';

  private constructor(
    private readonly hub: RunningHub,
    readonly ws: WebSocket,
  ) {}

  static async connect(hub: RunningHub): Promise<PusherTestClient> {
    const ws = new WebSocket(connectionUrl(hub.wsUrl, hub.config.app.key));
    const client = new PusherTestClient(hub, ws);
    ws.on('message', (raw) => {
      const frame = decodeFrame(String(raw));
      client.frames.push(frame);
      if (frame.channel && !frame.event.startsWith('pusher')) {
        client.events.push({ channel: frame.channel, event: frame.event, data: frameData(frame), at: performance.now() });
      }
    });
    const established = await client.waitFrame((f) => f.event === PusherEvent.CONNECTION_ESTABLISHED, 5_000);
    client.socketId = frameData<{ socket_id: string }>(established).socket_id;
    return client;
  }

  waitFrame(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const onMessage = () => {
        const f = this.frames.find(match);
        if (f) {
          cleanup();
          resolve(f);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.event).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.ws.off('message', onMessage);
      };
      // Registered after the collector, so `frames` already holds the new frame when this runs.
      this.ws.on('message', onMessage);
    });
  }

  /** Authorizes through /broadcasting/auth with `token` and subscribes; resolves on subscription_succeeded. */
  async subscribe(channel: string, token = BACKEND): Promise<void> {
    const res = await call(this.hub, 'POST', '/broadcasting/auth', {
      token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ socket_id: this.socketId, channel_name: channel }).toString(),
    });
    if (res.status !== 200) throw new Error(`auth for ${channel} answered ${res.status} ${res.text}`);
    this.ws.send(JSON.stringify({ event: PusherEvent.SUBSCRIBE, data: { channel, auth: res.body.auth } }));
    await this.waitFrame((f) => f.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && f.channel === channel);
  }

  async waitEvents(n: number, filter: (e: ReceivedEvent) => boolean = () => true, timeoutMs = 5_000): Promise<ReceivedEvent[]> {
    await waitUntil(() => this.events.filter(filter).length >= n, timeoutMs, `${n} events`);
    return this.events.filter(filter);
  }

  close(): void {
    this.ws.terminate();
  }
}
