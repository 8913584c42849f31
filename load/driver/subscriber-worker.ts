/**
 * A subscriber worker thread: holds many WebSocket clients (RawWsClient: reads into a shared buffer, frames
 * parsed in place), and on the hot path finds the load marker where the connection's previous frame had it
 * (no JSON.parse, no copy), counts the latency from the marker's scheduled send time into an HDR-layout
 * array (LatencyCounts, folded into the HDR histogram once a tick) and the sequence number into a
 * per-(connection, stream) tracker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { signChannelAuth, requiresAuth, PusherEvent } from '../../spec/protocol/index.ts';
import { nowUs } from '../measure/clock.ts';
import { createHistogram, encodeHistogram } from '../measure/histogram.ts';
import { LatencyCounts } from '../measure/latency-counts.ts';
import { findMarker, readMarkerAt, type Marker } from '../measure/payload.ts';
import { SequenceTracker } from '../measure/sequence-tracker.ts';
import { RawWsClient } from './raw-ws-client.ts';
import type { ConnSpec, FinalMsg, FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

let measureFromUs = init.measureFromUs;
const windowHist = createHistogram();
const tickHist = createHistogram();
/** This tick's latencies, counted on the hot path and folded into tickHist when the tick is posted. */
const tickCounts = new LatencyCounts();
let tickDelivered = 0;
let duplicated = 0;
let outOfOrder = 0;
let unexpected = 0;
let disconnects = 0;
const closeReasons: string[] = [];
let finishing = false;
const marker: Marker = { stream: 0, seq: 0, scheduledUs: 0, after: 0 };
let pendingFrames: Array<[number, number, string]> = [];

interface Conn {
  spec: ConnSpec;
  ws: RawWsClient;
  ready: boolean;
  trackers: Map<number, SequenceTracker>;
  /** Offset of the marker in this connection's last marker frame (a hub frames a channel's events alike). */
  markerOffset: number;
  /** The tracker of the stream this connection got last (most connections get one stream). */
  lastStream: number;
  lastTracker: SequenceTracker | undefined;
}
const conns: Conn[] = [];
let open = 0;
let failed = 0;
const errors: string[] = [];

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

/** Markers stamped before this worker started come from an earlier run against the same hub: not ours. */
const startedUs = nowUs();
const TOOL_EXECUTE = Buffer.from('tool_execute');

function onMarker(c: Conn, buf: Buffer, start: number, end: number, recvUs: number): boolean {
  // A dashboard also gets status changes (idle/offline) that repeat the last tool name: only a
  // tool_execute update is the event the driver sent.
  if (c.spec.kind === 'dashboard') {
    const at = buf.indexOf(TOOL_EXECUTE, start);
    if (at < 0 || at >= end) return false;
  }
  const at = findMarker(buf, start, end, start + c.markerOffset);
  if (at < 0 || !readMarkerAt(buf, at, end, marker)) return false;
  c.markerOffset = at - start;
  if (marker.scheduledUs < startedUs) return true;
  let t = marker.stream === c.lastStream ? c.lastTracker : undefined;
  if (!t) {
    const expects = c.spec.streams === 'all' || c.spec.streams.includes(marker.stream);
    if (!expects) {
      unexpected++;
      return true;
    }
    t = c.trackers.get(marker.stream);
    if (!t) c.trackers.set(marker.stream, (t = new SequenceTracker()));
    c.lastStream = marker.stream;
    c.lastTracker = t;
  }
  const arrival = t.record(marker.seq, marker.after);
  if (marker.scheduledUs < measureFromUs) return true;
  if (arrival === 'duplicate') {
    duplicated++;
    return true;
  }
  if (arrival === 'out-of-order') outOfOrder++;
  // Counted on the hot path; into the tick histogram, then the window histogram, once a second.
  tickCounts.record(Math.max(1, recvUs - marker.scheduledUs));
  tickDelivered++;
  return true;
}

function handleControl(c: Conn, text: string, resolveReady: () => void, rejectReady: (why: string) => void): void {
  let frame: { event?: string; data?: unknown; channel?: string };
  try {
    frame = JSON.parse(text) as typeof frame;
  } catch {
    return;
  }
  if (c.spec.kind !== 'pusher') return;
  if (frame.event === PusherEvent.PING) {
    c.ws.sendText(JSON.stringify({ event: PusherEvent.PONG, data: {} }));
  } else if (frame.event === PusherEvent.CONNECTION_ESTABLISHED && !c.ready) {
    const data = typeof frame.data === 'string' ? (JSON.parse(frame.data) as { socket_id: string }) : (frame.data as { socket_id: string });
    for (const channel of c.spec.channels) {
      const sub: Record<string, string> = { channel };
      if (requiresAuth(channel)) sub.auth = signChannelAuth(init.app, data.socket_id, channel);
      c.ws.sendText(JSON.stringify({ event: PusherEvent.SUBSCRIBE, data: sub }));
    }
    if (c.spec.channels.length === 0) resolveReady();
  } else if (frame.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && !c.ready) {
    pendingSubs.set(c, (pendingSubs.get(c) ?? c.spec.channels.length) - 1);
    if (pendingSubs.get(c) === 0) resolveReady();
  } else if (frame.event === PusherEvent.ERROR || frame.event === PusherEvent.SUBSCRIPTION_ERROR) {
    if (!c.ready) rejectReady(`${frame.event} ${typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data)}`);
  }
}
const pendingSubs = new Map<Conn, number>();

function openConn(index: number, spec: ConnSpec): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    let c: Conn;
    const markReady = (): void => {
      if (settled) return;
      settled = true;
      c.ready = true;
      open++;
      resolve();
    };
    const markFailed = (why: string): void => {
      if (settled) return;
      settled = true;
      failed++;
      if (errors.length < 5) errors.push(why);
      c.ws.terminate();
      resolve();
    };
    const ws = new RawWsClient(
      spec.url,
      {
        open: () => {
          if (spec.kind === 'dashboard') markReady();
        },
        text: (buf, start, end, recvUs) => {
          if (init.mode === 'marker') {
            if (c.ready && onMarker(c, buf, start, end, recvUs)) return;
            handleControl(c, buf.toString('utf8', start, end), markReady, markFailed);
          } else if (c.ready) {
            const text = buf.toString('utf8', start, end);
            if (text.includes('"pusher:ping"')) handleControl(c, text, markReady, markFailed);
            else pendingFrames.push([index, recvUs, text]);
          } else {
            handleControl(c, buf.toString('utf8', start, end), markReady, markFailed);
          }
        },
        error: (err) => markFailed(`${spec.url.replace(/token=[^&]*/, 'token=…')}: ${err.message}`),
        close: (code, reason) => {
          if (!settled) markFailed(`closed ${code} ${reason} before ready`);
          else if (!finishing) {
            disconnects++;
            open--;
            if (closeReasons.length < 5) closeReasons.push(`${code} ${reason}`.trim());
          }
        },
      },
      init.connectTimeoutMs,
      nowUs,
    );
    c = { spec, ws, ready: false, trackers: new Map(), markerOffset: -1, lastStream: -1, lastTracker: undefined };
    conns[index] = c;
    setTimeout(() => markFailed(`not ready within ${init.connectTimeoutMs} ms`), init.connectTimeoutMs).unref();
  });
}

async function openAll(): Promise<void> {
  const perTick = init.openPerS > 0 ? Math.max(1, Math.round(init.openPerS / 20)) : 200;
  const pauseMs = init.openPerS > 0 ? 50 : 0;
  let lastProgress = 0;
  for (let i = 0; i < init.conns.length; i += perTick) {
    const batch = init.conns.slice(i, i + perTick).map((spec, j) => openConn(i + j, spec));
    await Promise.all(batch);
    if (Date.now() - lastProgress > 200) {
      post({ type: 'progress', workerId: init.workerId, open, failed });
      lastProgress = Date.now();
    }
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
}

const ticker = setInterval(() => {
  if (init.mode === 'frames' && pendingFrames.length > 0) {
    post({ type: 'frames', workerId: init.workerId, frames: pendingFrames });
    pendingFrames = [];
  }
  tickCounts.drainInto(tickHist);
  post({
    type: 'tick',
    workerId: init.workerId,
    delivered: tickDelivered,
    hist: encodeHistogram(tickHist),
    // The monitor's samples include its 10 ms resolution; the lag is what exceeds it.
    loopP99Us: Math.max(0, loop.percentile(99) / 1000 - 10_000),
    loopMaxUs: Math.max(0, loop.max / 1000 - 10_000),
    open,
  });
  windowHist.add(tickHist);
  tickHist.reset();
  tickDelivered = 0;
  loop.reset();
}, 1000);

/** The window so far, including samples of the tick not yet posted. */
function withCurrentTick(): ReturnType<typeof createHistogram> {
  tickCounts.drainInto(tickHist);
  const h = createHistogram();
  h.add(windowHist);
  h.add(tickHist);
  return h;
}

function final(ranges: Record<number, [number, number]>, excluded: Record<number, number[]> = {}): FinalMsg {
  const streams: FinalMsg['streams'] = {};
  for (const [key, [from, to]] of Object.entries(ranges)) {
    const stream = Number(key);
    let unique = 0;
    let subscribers = 0;
    for (const c of conns) {
      if (!c || !(c.spec.streams === 'all' || c.spec.streams.includes(stream))) continue;
      // A connection that never opened still counts: every event it should have had is lost.
      subscribers++;
      const t = c.trackers.get(stream);
      if (t) unique += t.countUnique(from, to) - t.countSeen(excluded[stream] ?? []);
    }
    streams[stream] = { unique, subscribers };
  }
  return {
    type: 'final',
    workerId: init.workerId,
    hist: encodeHistogram(withCurrentTick()),
    streams,
    duplicated,
    outOfOrder,
    unexpected,
    disconnects,
    closeReasons,
  };
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'measure-from') {
    // A new measured window (capacity runs several): figures restart, sequence trackers carry on.
    measureFromUs = m.us;
    windowHist.reset();
    tickCounts.drainInto(tickHist);
    tickHist.reset();
    duplicated = 0;
    outOfOrder = 0;
    unexpected = 0;
  } else if (m.type === 'finish') {
    if (init.mode === 'frames' && pendingFrames.length > 0) {
      post({ type: 'frames', workerId: init.workerId, frames: pendingFrames });
      pendingFrames = [];
    }
    post(final(m.ranges, m.excluded));
  } else if (m.type === 'close') {
    finishing = true;
    clearInterval(ticker);
    loop.disable();
    for (const c of conns) c?.ws.terminate();
    port.close();
  }
});

openAll().then(
  () => post({ type: 'ready', workerId: init.workerId, open, failed, errors }),
  (err: Error) => post({ type: 'error', workerId: init.workerId, message: err.message }),
);
