/**
 * Is the hub still up? A probe is what a new client would see: a WebSocket handshake to `/app/{key}`
 * that must bring `pusher:connection_established`, and a request to the HTTP API that must get an answer
 * (any status: a 500 is the hub's bug, not its death). Each is judged only if it worked at the start of
 * the run (the baseline), so a target that never spoke one of them (a hub without the pusher profile, a
 * bare HTTP server in a test) is judged on the rest. A hub that answers a new connection with
 * `pusher:error 4200 "Server is closing"` (Soketi after an uncaught exception) is down. A cluster's every
 * node is probed: one that stops answering is down on its own (the run restarts that node), and the hub
 * is down only when none answers.
 */
import WebSocket from 'ws';
import { closeClass, CloseCode } from '../spec/protocol/close-codes.ts';
import { connectionUrl, decodeFrame, PusherEvent, type Frame } from '../spec/protocol/frames.ts';
import { signHttpRequest } from '../spec/protocol/signing.ts';
import type { TargetFile } from '../spec/target.ts';
import { probeTarget } from '../target/probe.ts';

/** How long one probe may take before it counts as no answer. */
export const PROBE_TIMEOUT_MS = 5000;

export interface ProbePart {
  ok: boolean;
  /** What came back: `pusher:connection_established`, `pusher:error 4200 "Server is closing"`, `ECONNREFUSED`, `HTTP 200`. */
  detail: string;
}

export interface HubProbe {
  /** Every node answered. */
  up: boolean;
  /** performance.now() when the probe started. */
  at: number;
  /** performance.now() when it was done. */
  doneAt: number;
  /** Indexes (in the target's `nodes`) of the nodes that did not answer; absent when every one did. */
  downNodes?: number[];
  /** How many nodes were probed (absent: one). */
  nodeCount?: number;
  /** One line: `new connections answered with pusher:error 4200 "Server is closing"`, prefixed `node 2:` on a cluster. */
  summary: string;
}

/** One node's answer to a probe. */
interface NodeProbe {
  up: boolean;
  /** What failed, or (when up) what came back. */
  detail: string;
}

/** Which parts of the probe the hub answered at the start of the run, and so which judge it later. */
export interface LivenessBaseline {
  ws: boolean;
  http: boolean;
}

/** Probes every part of the first node once (no baseline yet): what the run will judge liveness on; then every node on it. */
export async function livenessBaseline(
  target: TargetFile,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<{ baseline: LivenessBaseline; probe: HubProbe }> {
  const [ws, http] = await Promise.all([speaksPusherWs(target) ? wsProbe(target, timeoutMs) : undefined, httpProbe(target, timeoutMs)]);
  const baseline = { ws: ws?.ok ?? false, http: http.ok };
  return { baseline, probe: await probeHub(target, baseline, timeoutMs) };
}

/** One probe of every node, each judged on the parts the baseline names. */
export async function probeHub(target: TargetFile, baseline: LivenessBaseline, timeoutMs = PROBE_TIMEOUT_MS): Promise<HubProbe> {
  const at = performance.now();
  const nodes = await Promise.all(target.nodes.map((_, i) => probeNode(target, i, baseline, timeoutMs)));
  const down = nodes.flatMap((n, i) => (n.up ? [] : [i]));
  const many = nodes.length > 1;
  const summary = down.length
    ? down.map((i) => `${many ? `node ${i + 1}: ` : ''}${nodes[i]!.detail}`).join('; ')
    : `up (${nodes[0]!.detail}${many ? `; all ${nodes.length} nodes` : ''})`;
  return {
    up: down.length === 0,
    at,
    doneAt: performance.now(),
    ...(down.length ? { downNodes: down } : {}),
    ...(many ? { nodeCount: nodes.length } : {}),
    summary,
  };
}

async function probeNode(target: TargetFile, i: number, baseline: LivenessBaseline, timeoutMs: number): Promise<NodeProbe> {
  const [ws, http, tcp] = await Promise.all([
    baseline.ws && speaksPusherWs(target) ? wsProbe(target, timeoutMs, i) : undefined,
    baseline.http ? httpProbe(target, timeoutMs, i) : undefined,
    // Neither spoke at the start: a TCP connection is all there is to judge.
    !baseline.ws && !baseline.http ? tcpPart(target, timeoutMs, i) : undefined,
  ]);
  const failed = [
    ws && !ws.ok ? `new connections answered with ${ws.detail}` : undefined,
    http && !http.ok ? `the HTTP API did not answer (${http.detail})` : undefined,
    tcp && !tcp.ok ? tcp.detail : undefined,
  ].filter((x): x is string => x !== undefined);
  if (failed.length) return { up: false, detail: failed.join('; ') };
  return { up: true, detail: [ws?.detail, http?.detail, tcp?.detail].filter(Boolean).join('; ') || 'nothing to probe' };
}

async function tcpPart(target: TargetFile, timeoutMs: number, node = 0): Promise<ProbePart> {
  try {
    await probeTarget({ ...target, nodes: [target.nodes[node]!] }, timeoutMs);
    return { ok: true, detail: 'TCP connection accepted' };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

/** The sync profile rides on Pusher connections too; agent-presence alone has none. */
function speaksPusherWs(target: TargetFile): boolean {
  return target.profiles.includes('pusher') || target.profiles.includes('sync');
}

/** Opens `/app/{key}` on node `node` and waits for the first frame: connection_established is up, anything else down. */
export function wsProbe(target: TargetFile, timeoutMs = PROBE_TIMEOUT_MS, node = 0): Promise<ProbePart> {
  const url = connectionUrl(target.nodes[node]!.ws, target.app.key);
  return new Promise((resolve) => {
    let settled = false;
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const done = (part: ProbePart) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
      resolve(part);
    };
    const timer = setTimeout(() => done({ ok: false, detail: `no pusher:connection_established within ${timeoutMs} ms` }), timeoutMs);
    ws.on('unexpected-response', (_req, res) => done({ ok: false, detail: `HTTP ${res.statusCode} to the WebSocket upgrade` }));
    ws.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, detail: err.code ?? err.message }));
    ws.on('close', (code, reason) =>
      done({
        ok: false,
        detail: `close ${code}${reason.length ? ` "${reason.toString('utf8')}"` : ''} before pusher:connection_established`,
      }),
    );
    ws.on('message', (data: Buffer) => {
      let frame: Frame;
      try {
        frame = decodeFrame(data.toString('utf8'));
      } catch {
        return done({ ok: false, detail: `a first frame that is not a Pusher frame: ${data.toString('utf8').slice(0, 120)}` });
      }
      if (frame.event === PusherEvent.CONNECTION_ESTABLISHED) return done({ ok: true, detail: 'pusher:connection_established' });
      done({ ok: false, detail: describeErrorFrame(frame) });
    });
  });
}

/** `pusher:error 4200 "Server is closing"` */
function describeErrorFrame(frame: Frame): string {
  if (frame.event !== PusherEvent.ERROR) return `${frame.event} instead of pusher:connection_established`;
  const d = (typeof frame.data === 'string' ? safeJson(frame.data) : frame.data) as { code?: unknown; message?: unknown } | undefined;
  const code = d && typeof d === 'object' && d.code !== undefined && d.code !== null ? ` ${String(d.code)}` : '';
  const message = d && typeof d === 'object' && typeof d.message === 'string' ? ` "${d.message}"` : '';
  return `pusher:error${code}${message}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Any answer from the HTTP API: a signed `GET /apps/{id}/channels` for the pusher profile, else
 * `GET /api/hub` with the first agent's token, on node `node`. Only no answer at all (refused, reset,
 * silence) fails.
 */
export async function httpProbe(target: TargetFile, timeoutMs = PROBE_TIMEOUT_MS, node = 0): Promise<ProbePart> {
  const base = target.nodes[node]!.http.replace(/\/+$/, '');
  let url: string;
  const headers: Record<string, string> = {};
  if (target.profiles.includes('pusher')) {
    const path = `/apps/${encodeURIComponent(target.app.id)}/channels`;
    const prefix = new URL(base).pathname.replace(/\/+$/, '');
    url = `${base}${path}?${new URLSearchParams(signHttpRequest(target.app, { method: 'GET', path: `${prefix}${path}` })).toString()}`;
  } else {
    url = `${base}/api/hub`;
    const token = target.agents[0]?.token;
    if (token) headers.authorization = `Bearer ${token}`;
  }
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { ok: true, detail: `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string }; name?: string }).cause;
    const name = (err as { name?: string }).name;
    return {
      ok: false,
      detail: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message),
    };
  }
}

/**
 * Whether a wire entry is a sign that the hub may have gone down: a connection refused or reset, a close
 * without a close frame, a close or `pusher:error` in 4200-4299 (4201, a pong the client never sent, is
 * about that one connection), an HTTP request without an answer. Used to probe at once, and to date the
 * moment the hub stopped answering.
 */
export function isDistress(entry: { dir: string; text: string }): boolean {
  if (entry.dir === 'close') {
    const code = Number(entry.text.split(' ')[0]);
    return (
      code === 1006 ||
      code === 1001 ||
      code === 1011 ||
      code === 1012 ||
      code === 1013 ||
      (closeClass(code) === 'reconnect-now' && code !== CloseCode.PONG_NOT_RECEIVED)
    );
  }
  if (entry.dir === '<') {
    const code = errorFrameCode(entry.text);
    return code !== undefined && closeClass(code) === 'reconnect-now' && code !== CloseCode.PONG_NOT_RECEIVED;
  }
  if (entry.dir === 'note') return /ECONNREFUSED|ECONNRESET|socket hang up|upgrade refused: HTTP 5\d\d/.test(entry.text);
  if (entry.dir === 'http<')
    return /^\((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|EPIPE|other side closed|no response within)/.test(entry.text);
  return false;
}

/** The code of a logged `pusher:error` frame (data as an object or a JSON string), if it is one. */
function errorFrameCode(text: string): number | undefined {
  let frame: Frame;
  try {
    frame = decodeFrame(text);
  } catch {
    return undefined;
  }
  if (frame.event !== PusherEvent.ERROR) return undefined;
  const d = (typeof frame.data === 'string' ? safeJson(frame.data) : frame.data) as { code?: unknown } | undefined;
  const code = d && typeof d === 'object' ? Number(d.code) : NaN;
  return Number.isInteger(code) ? code : undefined;
}
