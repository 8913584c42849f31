/**
 * The rig behind fanout, presence, connections and capacity: subscriber workers holding Pusher sockets or
 * /ws/broadcasts dashboards, and an open-model publisher (signed Pusher HTTP API or the presence API).
 * One rig can run several measured phases over the same connections (capacity steps).
 */
import { connectionUrl, signHttpRequest } from '../../spec/protocol/index.ts';
import { DASHBOARD_PATH } from '../../spec/schemas/agent-presence.ts';
import type { TargetFile } from '../../spec/target.ts';
import { nowUs } from '../measure/clock.ts';
import { createHistogram, mergeEncoded, type Histogram } from '../measure/histogram.ts';
import { encodeMarker } from '../measure/payload.ts';
import { accounting, type DeliveryAccounting } from '../measure/sequence-tracker.ts';
import { DriverMonitor, type DriverSecond } from './driver-monitor.ts';
import { HttpClient } from './http-client.ts';
import { RawHttpClient } from './raw-http-client.ts';
import { readCpuMs } from './rss.ts';
import { OpenSchedule, runSchedule } from './schedule.ts';
import { owns, type Shard } from './shard.ts';
import { SubscriberPool, type PoolReady } from './subscriber-pool.ts';
import type { ConnSpec, TickMsg } from './worker-protocol.ts';
import type { TimelineRow } from '../report-types.ts';
export type { TimelineRow };

export interface RigOptions {
  target: TargetFile;
  /** 'pusher': signed POST /apps/{id}/events into public channels. 'presence': POST /api/presence/{agent}/events to dashboards. */
  publish: 'pusher' | 'presence';
  /** Channels (pusher) or dashboard session_ids (presence). */
  channels: number;
  subscribersPerChannel: number;
  /** Publishing streams: channels for pusher (one stream per channel), agent ids for presence. */
  publishers: number;
  payloadBytes: number;
  workers: number;
  /** Connections opened per second (0 = as fast as possible). */
  openPerS?: number;
  monitor: DriverMonitor;
  /** The hub's pid, to sample its CPU each second (absent or in-process = not sampled). */
  hubPid?: number;
  /** Called once a second during a phase with the latest timeline row. */
  onSecond?: (row: TimelineRow) => void;
  onProgress?: (open: number, failed: number) => void;
  /** Deadline for the subscribers to receive what was sent after the last send, ms (default 3000). */
  drainMs?: number;
  /** Run only this shard's connections and sends of the test (load/driver/shard.ts). */
  shard?: Shard;
}


export interface PhaseResult {
  rate: number;
  windowS: number;
  /** Mean hub CPU over the window's seconds, % of one core (null when not sampled). */
  hubCpuPct: number | null;
  /** Sends scheduled in the measured window (each one counts, failed or not). */
  sentInWindow: number;
  publishErrors: number;
  publishErrorSamples: string[];
  maxInFlight: number;
  delivery: DeliveryAccounting & { unexpected: number; disconnects: number; closeReasons: string[] };
  hist: Histogram;
  sendLag: Histogram;
  timeline: TimelineRow[];
  driverSeconds: DriverSecond[];
}

export class BroadcastRig {
  private readonly pool: SubscriberPool;
  private readonly http: HttpClient | RawHttpClient;
  private readonly seq: number[];
  /** Per stream, the highest seq whose publish was acknowledged (2xx): what later publishes must follow. */
  private readonly acked: number[];
  private ticks: TickMsg[] = [];
  private readonly streamCount: number;
  /** Per stream, this shard's connections that expect it. */
  private readonly ownSubscribers: number[];
  private readonly ownConnections: number;
  private open = 0;
  private readonly openByWorker = new Map<number, number>();

  constructor(private readonly o: RigOptions) {
    const node = o.target.nodes[0]!;
    const agent = o.target.agents[0];
    const conns: ConnSpec[] = [];
    if (o.publish === 'pusher') {
      this.streamCount = o.channels;
      for (let c = 0; c < o.channels; c++) {
        for (let k = 0; k < o.subscribersPerChannel; k++) {
          conns.push({ kind: 'pusher', url: connectionUrl(node.ws, o.target.app.key), channels: [channelName(c)], streams: [c] });
        }
      }
    } else {
      if (!agent) throw new TypeError('the presence publisher needs an agent token in the target file');
      this.streamCount = o.publishers;
      for (let c = 0; c < o.channels; c++) {
        for (let k = 0; k < o.subscribersPerChannel; k++) {
          const q = new URLSearchParams({ token: agent.token, session_id: `hp-dash-${c}` });
          conns.push({ kind: 'dashboard', url: `${node.ws.replace(/\/+$/, '')}${DASHBOARD_PATH}?${q}`, streams: 'all' });
        }
      }
    }
    const own = conns.filter((_, k) => owns(o.shard, k));
    this.ownConnections = own.length;
    this.ownSubscribers = Array.from({ length: this.streamCount }, (_, stream) => own.filter((c) => c.streams === 'all' || c.streams.includes(stream)).length);
    this.seq = new Array<number>(this.streamCount).fill(0);
    this.acked = new Array<number>(this.streamCount).fill(0);
    const sockets = Math.max(4, o.publishers);
    this.http = node.http.startsWith('http:') ? new RawHttpClient({ base: node.http, maxSockets: sockets }) : new HttpClient({ base: node.http, maxSockets: sockets });
    this.pool = new SubscriberPool({
      app: o.target.app,
      conns: own,
      mode: 'marker',
      workers: o.workers,
      openPerS: o.openPerS ?? 0,
      onTick: (t) => {
        this.ticks.push(t);
        o.monitor.noteWorkerLag(t.loopP99Us / 1000);
      },
      onProgress: o.onProgress,
    });
  }

  /** This shard's connections (all of the test's when unsharded). */
  get connections(): number {
    return this.ownConnections;
  }

  async start(): Promise<PoolReady> {
    const r = await this.pool.start();
    this.open = r.open;
    return r;
  }

  /**
   * One measured phase at `rate`: warm-up, window, drain, accounting. Sharded, every shard walks the whole
   * schedule from the same `startAtUs` (the shard barrier's) and numbering, and sends only its own share.
   */
  async phase(rate: number, warmupS: number, durationS: number, startAtUs?: number): Promise<PhaseResult> {
    const o = this.o;
    const startUs = startAtUs ?? nowUs() + 100_000;
    // Open model: requests queued in the driver for a free socket would show as hub latency. Enough
    // sockets for 50 ms per request at this rate; a slower hub makes the in-flight count grow, visibly.
    this.http.ensureSockets(Math.ceil(rate / 20));
    const measureFromUs = startUs + warmupS * 1e6;
    const endUs = measureFromUs + durationS * 1e6;
    this.pool.send({ type: 'measure-from', us: measureFromUs });
    const first = new Array<number>(this.streamCount).fill(0);
    const last = new Array<number>(this.streamCount).fill(-1);
    let sentInWindow = 0;
    let publishErrors = 0;
    const errorSamples: string[] = [];
    let sentThisSecond = 0;
    const timeline: TimelineRow[] = [];
    const driverSeconds: DriverSecond[] = [];
    let windowDelivered = 0;
    this.ticks = [];
    this.o.monitor.sample();
    const sampleHub = o.hubPid !== undefined && o.hubPid !== process.pid;
    let hubCpuMs = sampleHub ? readCpuMs(o.hubPid) : undefined;
    let hubAt = Date.now();
    const hubWindow: number[] = [];
    const phaseStart = Date.now();
    const timer = setInterval(() => {
      const d = o.monitor.sample();
      const ticks = this.ticks;
      this.ticks = [];
      const h = createHistogram();
      let delivered = 0;
      for (const t of ticks) {
        delivered += t.delivered;
        mergeEncoded(h, t.hist);
        this.openByWorker.set(t.workerId, t.open);
      }
      this.open = [...this.openByWorker.values()].reduce((a, b) => a + b, 0);
      windowDelivered += delivered;
      const t = Math.round((Date.now() - phaseStart) / 1000);
      const warmup = nowUs() < measureFromUs;
      let hubCpuPct: number | null = null;
      const cpuNow = sampleHub ? readCpuMs(o.hubPid) : undefined;
      if (cpuNow !== undefined && hubCpuMs !== undefined) hubCpuPct = Math.round(((cpuNow - hubCpuMs) / Math.max(1, Date.now() - hubAt)) * 1000) / 10;
      hubCpuMs = cpuNow;
      hubAt = Date.now();
      if (!warmup && nowUs() < endUs) {
        driverSeconds.push(d);
        if (hubCpuPct !== null) hubWindow.push(hubCpuPct);
      }
      const row: TimelineRow = {
        t,
        warmup,
        sent: sentThisSecond,
        delivered,
        p99Ms: h.totalCount ? h.getValueAtPercentile(99) / 1000 : 0,
        cpuPct: d.cpuPct,
        mainLoopP99Ms: d.mainLoopP99Ms,
        workerLoopP99Ms: d.workerLoopP99Ms,
        hubCpuPct,
        open: this.open,
      };
      h.destroy();
      sentThisSecond = 0;
      timeline.push(row);
      o.onSecond?.(row);
    }, 1000);

    const schedule = new OpenSchedule(startUs, rate, endUs);
    const run = await runSchedule(schedule, (i, at) => {
      const stream = i % this.streamCount;
      const seq = ++this.seq[stream]!;
      const inWindow = at >= measureFromUs;
      if (inWindow) {
        if (first[stream] === 0) first[stream] = seq;
        last[stream] = seq;
      }
      if (!owns(o.shard, i)) return;
      if (inWindow) sentInWindow++;
      sentThisSecond++;
      void this.send(stream, encodeMarker(stream, seq, at, this.acked[stream]!, o.payloadBytes)).then((err) => {
        if (!err && seq > this.acked[stream]!) this.acked[stream] = seq;
        if (err && inWindow) {
          publishErrors++;
          if (errorSamples.length < 5) errorSamples.push(err);
        }
      });
    }, measureFromUs);

    // Drain: until every expected delivery was counted, the publisher has no request in flight, or the deadline.
    let expected = 0;
    for (let st = 0; st < this.streamCount; st++) if (first[st]! > 0) expected += (last[st]! - first[st]! + 1) * this.ownSubscribers[st]!;
    const drainUntil = Date.now() + (o.drainMs ?? 3000);
    while (Date.now() < drainUntil && (windowDelivered < expected || this.http.inFlight > 0)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    clearInterval(timer);

    const ranges: Record<number, [number, number]> = {};
    for (let s = 0; s < this.streamCount; s++) if (first[s]! > 0) ranges[s] = [first[s]!, last[s]!];
    const f = await this.pool.finish(ranges);
    let exp = 0;
    let received = 0;
    for (const [s, [from, to]] of Object.entries(ranges)) {
      const st = f.streams.get(Number(s));
      exp += (to - from + 1) * (st?.subscribers ?? this.ownSubscribers[Number(s)]!);
      received += st?.unique ?? 0;
    }
    return {
      rate,
      windowS: durationS,
      hubCpuPct: hubWindow.length ? Math.round((hubWindow.reduce((a, b) => a + b, 0) / hubWindow.length) * 10) / 10 : null,
      sentInWindow,
      publishErrors,
      publishErrorSamples: errorSamples,
      maxInFlight: this.http.maxInFlight,
      delivery: { ...accounting(exp, received, f.duplicated, f.outOfOrder), unexpected: f.unexpected, disconnects: f.disconnects, closeReasons: f.closeReasons },
      hist: f.hist,
      sendLag: run.sendLag,
      timeline,
      driverSeconds,
    };
  }

  /** Sends one event; resolves with an error description, or undefined on success. */
  private async send(stream: number, marker: string): Promise<string | undefined> {
    const { target } = this.o;
    if (this.o.publish === 'pusher') {
      const body = JSON.stringify({ name: 'hp-load', channel: channelName(stream), data: marker });
      const path = `/apps/${target.app.id}/events`;
      const query = signHttpRequest(target.app, { method: 'POST', path: `${this.http.prefix}${path}`, body });
      const r = await this.http.request('POST', path, { query, body });
      return r.status >= 200 && r.status < 300 ? undefined : `POST ${path} → ${r.status || 'no answer'} ${r.body.slice(0, 120)}`;
    }
    const agentId = `hp-agent-${stream}`;
    const body = JSON.stringify({ event_type: 'tool_execute', tool_name: marker, feature_id: null, cost_tokens: 1, session_id: `hp-pub-${stream}` });
    const path = `/api/presence/${agentId}/events`;
    const r = await this.http.request('POST', path, { body, headers: { authorization: `Bearer ${target.agents[0]!.token}` } });
    return r.status >= 200 && r.status < 300 ? undefined : `POST ${path} → ${r.status || 'no answer'} ${r.body.slice(0, 120)}`;
  }

  async close(): Promise<void> {
    this.http.close();
    await this.pool.close();
  }
}

export const channelName = (c: number): string => `hubproof-load-${c}`;
