/**
 * The rig behind fanout, presence, connections and capacity: subscriber workers holding Pusher sockets or
 * /ws/broadcasts dashboards, and an open-model publisher (signed Pusher HTTP API or the presence API).
 * One rig can run several measured phases over the same connections (capacity steps).
 */
import { availableParallelism } from 'node:os';
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
import { SubscriberPool, type PoolFinal, type PoolReady } from './subscriber-pool.ts';
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
  /** The schedule's first send, the measured window's start and its end, on the driver clock (µs). */
  startUs: number;
  measureFromUs: number;
  endUs: number;
  /** Per stream, the first and last seq sent in the measured window. */
  ranges: Record<number, [number, number]>;
  /** Mean hub CPU over the window's seconds, % of one core (null when not sampled). */
  hubCpuPct: number | null;
  /** Sends scheduled in the measured window (each one counts, failed or not). */
  sentInWindow: number;
  /**
   * In-window publishes the hub refused (status ≥ 300) or never answered (by the end of the drain): left out
   * of expected and received, so they never count as deliveries the hub lost.
   */
  publishErrors: number;
  publishErrorSamples: string[];
  /** Publishes written a second time on a new connection (RawHttpClient's rule), and why. */
  publishRetries: number;
  publishRetrySamples: string[];
  /** Answers per HTTP connection the hub allowed without announcing its close (null: no limit seen). */
  httpReuseLimit: number | null;
  maxInFlight: number;
  delivery: DeliveryAccounting & { unexpected: number; disconnects: number; closeReasons: string[] };
  hist: Histogram;
  /** Per node of a cluster target (subscribers spread over the nodes), in `nodes` order; absent with one node. */
  nodes?: NodePhase[];
  sendLag: Histogram;
  timeline: TimelineRow[];
  driverSeconds: DriverSecond[];
}

/** What the subscribers on one node of a cluster measured. */
export interface NodePhase {
  /** Index in the target's `nodes`. */
  node: number;
  ws: string;
  subscribers: number;
  hist: Histogram;
  delivery: DeliveryAccounting;
}

export class BroadcastRig {
  /** One pool per node the subscribers are spread over (one for a single-node target). */
  private readonly pools: SubscriberPool[];
  /** Per pool, its node's index in the target's `nodes`. */
  private readonly poolNodes: number[];
  /** Per pool, this shard's connections in it. */
  private readonly poolConns: number[];
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
    // A cluster's subscribers are spread over its nodes in turn; every event is published through the first.
    const nodes = o.target.nodes;
    const node = nodes[0]!;
    const agent = o.target.agents[0];
    const conns: Array<ConnSpec & { node: number }> = [];
    const nodeOf = () => conns.length % nodes.length;
    if (o.publish === 'pusher') {
      this.streamCount = o.channels;
      for (let c = 0; c < o.channels; c++) {
        for (let k = 0; k < o.subscribersPerChannel; k++) {
          const n = nodeOf();
          conns.push({
            kind: 'pusher',
            url: connectionUrl(nodes[n]!.ws, o.target.app.key),
            channels: [channelName(c)],
            streams: [c],
            node: n,
          });
        }
      }
    } else {
      if (!agent) throw new TypeError('the presence publisher needs an agent token in the target file');
      this.streamCount = o.publishers;
      for (let c = 0; c < o.channels; c++) {
        for (let k = 0; k < o.subscribersPerChannel; k++) {
          const n = nodeOf();
          const q = new URLSearchParams({ token: agent.token, session_id: `hp-dash-${c}` });
          conns.push({ kind: 'dashboard', url: `${nodes[n]!.ws.replace(/\/+$/, '')}${DASHBOARD_PATH}?${q}`, streams: 'all', node: n });
        }
      }
    }
    const own = conns.filter((_, k) => owns(o.shard, k));
    this.ownConnections = own.length;
    this.ownSubscribers = Array.from(
      { length: this.streamCount },
      (_, stream) => own.filter((c) => c.streams === 'all' || c.streams.includes(stream)).length,
    );
    this.seq = new Array<number>(this.streamCount).fill(0);
    this.acked = new Array<number>(this.streamCount).fill(0);
    const sockets = Math.max(4, o.publishers);
    this.http = node.http.startsWith('http:')
      ? new RawHttpClient({ base: node.http, maxSockets: sockets })
      : new HttpClient({ base: node.http, maxSockets: sockets });
    this.poolNodes = nodes.map((_, n) => n).filter((n) => nodes.length === 1 || own.some((c) => c.node === n));
    // The workers (default: one per core, at most 4) are shared out between the nodes' pools.
    const workers = Math.max(1, Math.ceil((o.workers > 0 ? o.workers : Math.min(4, availableParallelism())) / this.poolNodes.length));
    const slices = this.poolNodes.map((n) =>
      own.filter((c) => nodes.length === 1 || c.node === n).map(({ node: _n, ...c }): ConnSpec => c),
    );
    this.poolConns = slices.map((x) => x.length);
    this.pools = slices.map(
      (slice) =>
        new SubscriberPool({
          app: o.target.app,
          conns: slice,
          mode: 'marker',
          workers: this.poolNodes.length === 1 ? o.workers : workers,
          openPerS: (o.openPerS ?? 0) / this.poolNodes.length,
          onTick: (t) => {
            this.ticks.push(t);
            o.monitor.noteWorkerLag(t.loopP99Us / 1000);
          },
          onProgress: this.poolNodes.length === 1 ? o.onProgress : undefined,
        }),
    );
  }

  /** This shard's connections (all of the test's when unsharded). */
  get connections(): number {
    return this.ownConnections;
  }

  async start(): Promise<PoolReady> {
    const all = await Promise.all(this.pools.map((p) => p.start()));
    const r = {
      open: all.reduce((a, x) => a + x.open, 0),
      failed: all.reduce((a, x) => a + x.failed, 0),
      errors: all.flatMap((x) => x.errors).slice(0, 5),
    };
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
    for (const pool of this.pools) pool.send({ type: 'measure-from', us: measureFromUs });
    const first = new Array<number>(this.streamCount).fill(0);
    const last = new Array<number>(this.streamCount).fill(-1);
    let sentInWindow = 0;
    let publishErrors = 0;
    const errorSamples: string[] = [];
    // In-window publishes the hub refused or never answered, per stream: neither expected nor counted.
    const failed = new Map<number, number[]>();
    // In-window publishes not answered yet (key stream * 2^32 + seq): still unanswered after the drain, they fail too.
    const pending = new Set<number>();
    const retriesBefore = this.http.retries;
    let accounted = false;
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
      if (cpuNow !== undefined && hubCpuMs !== undefined)
        hubCpuPct = Math.round(((cpuNow - hubCpuMs) / Math.max(1, Date.now() - hubAt)) * 1000) / 10;
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

    const fail = (stream: number, seq: number, why: string): void => {
      publishErrors++;
      if (errorSamples.length < 5) errorSamples.push(why);
      let list = failed.get(stream);
      if (!list) failed.set(stream, (list = []));
      list.push(seq);
    };
    const schedule = new OpenSchedule(startUs, rate, endUs);
    const run = await runSchedule(
      schedule,
      (i, at) => {
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
        const key = stream * 2 ** 32 + seq;
        if (inWindow) pending.add(key);
        void this.send(stream, encodeMarker(stream, seq, at, this.acked[stream]!, o.payloadBytes)).then((err) => {
          if (!err && seq > this.acked[stream]!) this.acked[stream] = seq;
          if (!inWindow || accounted) return;
          pending.delete(key);
          if (err) fail(stream, seq, err);
        });
      },
      measureFromUs,
    );

    // Drain: until every expected delivery was counted, the publisher has no request in flight, or the deadline.
    const drainMs = o.drainMs ?? 3000;
    const drainUntil = Date.now() + drainMs;
    const expectedNow = (): number => {
      let n = 0;
      for (let st = 0; st < this.streamCount; st++)
        if (first[st]! > 0) n += (last[st]! - first[st]! + 1 - (failed.get(st)?.length ?? 0)) * this.ownSubscribers[st]!;
      return n;
    };
    while (Date.now() < drainUntil && (windowDelivered < expectedNow() || this.http.inFlight > 0)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    clearInterval(timer);
    // What the hub has not answered by now it did not accept in time: a publish error, not a loss.
    for (const key of pending) fail(Math.floor(key / 2 ** 32), key % 2 ** 32, `POST → no answer ${drainMs} ms after the last send`);
    accounted = true;

    const ranges: Record<number, [number, number]> = {};
    for (let s = 0; s < this.streamCount; s++) if (first[s]! > 0) ranges[s] = [first[s]!, last[s]!];
    const excluded = Object.fromEntries(failed);
    const finals = await Promise.all(this.pools.map((p) => p.finish(ranges, excluded)));
    const f = mergeFinals(finals);
    const counted = (pf: PoolFinal) => {
      let expected = 0;
      let received = 0;
      for (const [s, [from, to]] of Object.entries(ranges)) {
        const st = pf.streams.get(Number(s));
        const accepted = to - from + 1 - (failed.get(Number(s))?.length ?? 0);
        expected += accepted * (st?.subscribers ?? (finals.length === 1 ? this.ownSubscribers[Number(s)]! : 0));
        received += st?.unique ?? 0;
      }
      return { expected, received };
    };
    const { expected: exp, received } = counted(f);
    const perNode =
      o.target.nodes.length > 1
        ? finals.map((pf, i): NodePhase => {
            const c = counted(pf);
            const n = this.poolNodes[i]!;
            return {
              node: n,
              ws: o.target.nodes[n]!.ws,
              subscribers: this.poolConns[i]!,
              hist: pf.hist,
              delivery: accounting(c.expected, c.received, pf.duplicated, pf.outOfOrder),
            };
          })
        : undefined;
    return {
      rate,
      windowS: durationS,
      startUs,
      measureFromUs,
      endUs,
      ranges,
      hubCpuPct: hubWindow.length ? Math.round((hubWindow.reduce((a, b) => a + b, 0) / hubWindow.length) * 10) / 10 : null,
      sentInWindow,
      publishErrors,
      publishErrorSamples: errorSamples,
      publishRetries: this.http.retries - retriesBefore,
      publishRetrySamples: this.http.retrySamples.slice(0, 5),
      httpReuseLimit: this.http instanceof RawHttpClient && Number.isFinite(this.http.reuseLimit) ? this.http.reuseLimit : null,
      maxInFlight: this.http.maxInFlight,
      delivery: {
        ...accounting(exp, received, f.duplicated, f.outOfOrder),
        unexpected: f.unexpected,
        disconnects: f.disconnects,
        closeReasons: f.closeReasons,
      },
      hist: f.hist,
      ...(perNode ? { nodes: perNode } : {}),
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
    const body = JSON.stringify({
      event_type: 'tool_execute',
      tool_name: marker,
      feature_id: null,
      cost_tokens: 1,
      session_id: `hp-pub-${stream}`,
    });
    const path = `/api/presence/${agentId}/events`;
    const r = await this.http.request('POST', path, { body, headers: { authorization: `Bearer ${target.agents[0]!.token}` } });
    return r.status >= 200 && r.status < 300 ? undefined : `POST ${path} → ${r.status || 'no answer'} ${r.body.slice(0, 120)}`;
  }

  async close(): Promise<void> {
    this.http.close();
    await Promise.all(this.pools.map((p) => p.close()));
  }
}

export const channelName = (c: number): string => `hubproof-load-${c}`;

/** The nodes' pools' accounting as one (their histograms are added into a new one; the parts stay usable). */
function mergeFinals(finals: PoolFinal[]): PoolFinal {
  if (finals.length === 1) return finals[0]!;
  const hist = createHistogram();
  const streams = new Map<number, { unique: number; subscribers: number }>();
  const out: PoolFinal = { hist, streams, duplicated: 0, outOfOrder: 0, unexpected: 0, disconnects: 0, closeReasons: [] };
  for (const f of finals) {
    hist.add(f.hist);
    for (const [k, v] of f.streams) {
      const st = streams.get(k) ?? { unique: 0, subscribers: 0 };
      streams.set(k, { unique: st.unique + v.unique, subscribers: st.subscribers + v.subscribers });
    }
    out.duplicated += f.duplicated;
    out.outOfOrder += f.outOfOrder;
    out.unexpected += f.unexpected;
    out.disconnects += f.disconnects;
    out.closeReasons.push(...f.closeReasons);
  }
  out.closeReasons.splice(5);
  return out;
}
