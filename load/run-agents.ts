/**
 * The agents scenario: sessions of up to 10 participants that heartbeat, create todos and bursts of
 * near-duplicate todos. Propagation is timed from each create request's scheduled time to its
 * AgentTodoChanged at every session subscriber; conflict resolution from the second create of a burst to
 * AgentConflictResolved at every session subscriber. Sync events are low-rate, so subscriber workers
 * forward whole frames and the main thread parses them.
 */
import { randomBytes } from 'node:crypto';
import { connectionUrl } from '../spec/protocol/index.ts';
import { syncEventFromWire } from '../spec/schemas/sync.ts';
import { HubproofError } from '../spec/errors.ts';
import type { TimelineRow } from './driver/broadcast-rig.ts';
import { judgeDriver, type DriverSecond } from './driver/driver-monitor.ts';
import { HttpClient } from './driver/http-client.ts';
import { OpenSchedule, runSchedule } from './driver/schedule.ts';
import { SubscriberPool } from './driver/subscriber-pool.ts';
import { SyncClient } from './driver/sync-client.ts';
import type { ConnSpec } from './driver/worker-protocol.ts';
import { nowUs } from './measure/clock.ts';
import { createHistogram } from './measure/histogram.ts';
import { accounting, SequenceTracker } from './measure/sequence-tracker.ts';
import { latencyFigures } from './measure/mergeable.ts';
import { keepParticipantsAlive, type ParticipantKeepAlive } from './participant-keepalive.ts';
import { finishShard, shardStart } from './shard-run.ts';
import { owns } from './driver/shard.ts';
import type { ScenarioResult } from './report-types.ts';
import type { RunContext } from './run-context.ts';
import type { Scenario } from './scenarios/types.ts';

interface SessionRig {
  sessionId: number;
  participants: Array<{ id: number; token: string }>;
}

interface Burst {
  session: number;
  secondUs: number;
  inWindow: boolean;
  todoIds: number[];
  /** Creates of the pair the hub accepted (2xx): a conflict is expected only when both were. */
  accepted: number;
}

export async function runAgents(ctx: RunContext, s: Scenario): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const node = ctx.target.nodes[0]!;
  const http = new HttpClient({ base: node.http, maxSockets: 16 });
  const api = new SyncClient(http);
  const agents = ctx.target.agents;
  if (agents.length === 0)
    throw new HubproofError('HUBPROOF_ERR_TARGET_INVALID', 'the agents scenario needs agent tokens in the target file');
  const project = agents[0]!.projects[0] ?? 1;
  const members = agents.filter((a) => a.projects.length === 0 || a.projects.includes(project));
  const notes: string[] = [];
  let pool: SubscriberPool | undefined;
  let keepAlive: ParticipantKeepAlive | undefined;
  const upkeepHttp = new HttpClient({ base: node.http, maxSockets: 4 });
  try {
    const info = await api.hubInfo(members[0]!.token);
    // Upkeep on a client of its own, so it never queues behind (or counts as) the measured requests.
    const upkeep = new SyncClient(upkeepHttp);
    keepAlive = keepParticipantsAlive(info.heartbeatTimeoutMs ?? ctx.target.timings?.heartbeat_timeout_ms, (p) =>
      upkeep.heartbeat(p.token, p.sessionId, p.id),
    );
    const perSession = Math.min(s.subscribersPerChannel, info.maxParticipants ?? 10);
    if (perSession < s.subscribersPerChannel) notes.push(`participants per session capped at the hub's max_participants (${perSession})`);

    // Sharded, session k belongs to shard k mod N, with its participants, subscribers and requests.
    const mine = Array.from({ length: s.channels }, (_, k) => k).filter((k) => owns(ctx.shard, k));
    ctx.progress.note(`${s.name}: creating ${mine.length} sessions × ${perSession} participants…`);
    const sessions: Array<SessionRig | undefined> = new Array(s.channels);
    const runId = Date.now() % 1_000_000;
    for (const k of mine) {
      const sessionId = await api.createSession(members[0]!.token, project, runId * 100 + k + 1);
      const participants: SessionRig['participants'] = [];
      for (let p = 0; p < perSession; p++) {
        const token = members[p % members.length]!.token;
        participants.push({ id: await api.join(token, sessionId, `load-agent-${p}`), token });
        keepAlive.track({ ...participants.at(-1)!, sessionId });
      }
      sessions[k] = { sessionId, participants };
    }

    // One subscriber per participant on the session channel, like each agent's own Echo client.
    const conns: ConnSpec[] = [];
    const connSession: number[] = [];
    sessions.forEach((rig, k) => {
      if (!rig) return;
      for (let p = 0; p < rig.participants.length; p++) {
        conns.push({
          kind: 'pusher',
          url: connectionUrl(node.ws, ctx.target.app.key),
          channels: [`private-session.${rig.sessionId}`],
          streams: 'all',
        });
        connSession.push(k);
      }
    });

    // A create the hub refused or never answered is a request error, not a todo it failed to deliver.
    const titles = new Map<string, { us: number; inWindow: boolean; session: number; accepted: boolean; arrivals: number }>();
    const bursts: Burst[] = [];
    const todoToBurst = new Map<number, Burst>();
    const resolvedSeen = new Set<string>();
    const resolvedArrivals: Array<{ conn: number; recvUs: number; kept: number; cancelled: number | null }> = [];
    const trackers = conns.map(() => new SequenceTracker());
    const todoHist = createHistogram();
    let tickHist = createHistogram();
    let tickDelivered = 0;
    let todoReceived = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    let measureFromUs = Number.MAX_SAFE_INTEGER;

    pool = new SubscriberPool({
      app: ctx.target.app,
      conns,
      mode: 'frames',
      workers: Math.min(2, s.workers || 2),
      onTick: (t) => ctx.monitor.noteWorkerLag(t.loopP99Us / 1000),
      onFrames: (m) => {
        for (const [conn, recvUs, text] of m.frames) {
          let frame: { event?: string; data?: string };
          let data: Record<string, unknown>;
          try {
            frame = JSON.parse(text) as typeof frame;
            data = (typeof frame.data === 'string' ? JSON.parse(frame.data) : frame.data) as Record<string, unknown>;
          } catch {
            continue;
          }
          const name = syncEventFromWire(frame.event ?? '');
          if (!name || !data) continue;
          if (typeof data.seq === 'number') {
            const arrival = trackers[conn]!.record(data.seq);
            if (arrival === 'duplicate') duplicated++;
            else if (arrival === 'out-of-order') outOfOrder++;
            if (arrival === 'duplicate') continue;
          }
          if (name === 'AgentTodoChanged' && data.change === 'created') {
            const title = (data.todo as { title?: string } | undefined)?.title;
            const sent = title === undefined ? undefined : titles.get(title);
            if (sent?.inWindow) {
              sent.arrivals++;
              const lat = Math.max(1, recvUs - sent.us);
              todoHist.recordValue(lat);
              tickHist.recordValue(lat);
              todoReceived++;
              tickDelivered++;
            }
          } else if (name === 'AgentConflictResolved') {
            const key = `${conn}:${String(data.conflict_id)}`;
            if (resolvedSeen.has(key)) continue;
            resolvedSeen.add(key);
            resolvedArrivals.push({
              conn,
              recvUs,
              kept: Number(data.kept_todo_id),
              cancelled: data.cancelled_todo_id == null ? null : Number(data.cancelled_todo_id),
            });
          }
        }
      },
    });
    ctx.progress.note(`${s.name}: opening ${conns.length} session subscribers…`);
    const ready = await pool.start();
    if (ready.failed > 0) ctx.progress.note(`${s.name}: ${ready.failed} subscribers failed: ${ready.errors[0] ?? ''}`);

    const startUs = (await shardStart(ctx, s)) ?? nowUs() + 100_000;
    measureFromUs = startUs + s.warmupS * 1e6;
    const endUs = measureFromUs + s.durationS * 1e6;
    let requestErrors = 0;
    const errorSamples: string[] = [];
    let unanswered = 0;
    let accounted = false;
    let sentThisSecond = 0;
    let createsInWindow = 0;
    const check = (
      inWindow: boolean,
      p: Promise<{ status: number; body: string }>,
      what: string,
    ): Promise<{ status: number; body: string }> => {
      if (inWindow) unanswered++;
      return p.then((r) => {
        if (!inWindow || accounted) return r;
        unanswered--;
        if (r.status < 200 || r.status >= 300) {
          requestErrors++;
          if (errorSamples.length < 5) errorSamples.push(`${what} → ${r.status || 'no answer'} ${r.body.slice(0, 120)}`);
        }
        return r;
      });
    };
    const heartbeat = (i: number, at: number): void => {
      const g = i % (s.channels * perSession);
      const rig = sessions[Math.floor(g / perSession)];
      if (!rig) return;
      const p = rig.participants[g % perSession]!;
      sentThisSecond++;
      keepAlive?.beaten(p.id);
      void check(at >= measureFromUs, api.heartbeat(p.token, rig.sessionId, p.id), 'heartbeat');
    };
    const create = (k: number, title: string, description: string, at: number): Promise<number | undefined> => {
      const rig = sessions[k]!;
      const inWindow = at >= measureFromUs;
      const sent = { us: at, inWindow, session: k, accepted: false, arrivals: 0 };
      titles.set(title, sent);
      if (inWindow) createsInWindow++;
      sentThisSecond++;
      const token = rig.participants[0]!.token;
      return check(inWindow, api.createTodo(token, rig.sessionId, title, description), 'create todo').then((r) => {
        sent.accepted = !accounted && r.status >= 200 && r.status < 300;
        try {
          const b = JSON.parse(r.body) as { todo_id?: number; todo?: { todo_id?: number } };
          return b.todo_id ?? b.todo?.todo_id;
        } catch {
          return undefined;
        }
      });
    };
    const todo = (i: number, at: number): void => {
      if (!sessions[i % sessions.length]) return;
      void create(i % sessions.length, `load task ${randomBytes(8).toString('hex')}`, 'plain todo', at);
    };
    const burst = (i: number, at: number): void => {
      const k = i % sessions.length;
      if (!sessions[k]) return;
      const stem = `burst ${randomBytes(6).toString('hex')} fix the login flow`;
      const b: Burst = { session: k, secondUs: at + 5000, inWindow: at + 5000 >= measureFromUs, todoIds: [], accepted: 0 };
      bursts.push(b);
      const note = (id: number | undefined): void => {
        if (id === undefined) return;
        b.accepted++;
        b.todoIds.push(id);
        todoToBurst.set(id, b);
      };
      void create(k, stem, 'short', at).then(note);
      setTimeout(() => void create(k, `${stem}s`, 'a longer description that wins the conflict', b.secondUs).then(note), 5);
    };

    const timeline: TimelineRow[] = [];
    const driverSeconds: DriverSecond[] = [];
    ctx.monitor.sample();
    const phaseStart = Date.now();
    const timer = setInterval(() => {
      const d = ctx.monitor.sample();
      const warmup = nowUs() < measureFromUs;
      if (!warmup && nowUs() < endUs) driverSeconds.push(d);
      const row: TimelineRow = {
        t: Math.round((Date.now() - phaseStart) / 1000),
        warmup,
        sent: sentThisSecond,
        delivered: tickDelivered,
        p99Ms: tickHist.totalCount ? tickHist.getValueAtPercentile(99) / 1000 : 0,
        cpuPct: d.cpuPct,
        mainLoopP99Ms: d.mainLoopP99Ms,
        workerLoopP99Ms: d.workerLoopP99Ms,
        hubCpuPct: null,
        open: ready.open,
      };
      tickHist.destroy();
      tickHist = createHistogram();
      tickDelivered = 0;
      sentThisSecond = 0;
      timeline.push(row);
      ctx.progress.line(s.name, row);
    }, 1000);

    const runs = await Promise.all([
      runSchedule(new OpenSchedule(startUs, s.rate, endUs), heartbeat, measureFromUs),
      s.todosPerS > 0 ? runSchedule(new OpenSchedule(startUs, s.todosPerS * sessions.length, endUs), todo, measureFromUs) : undefined,
      s.burstsPerS > 0 ? runSchedule(new OpenSchedule(startUs, s.burstsPerS * sessions.length, endUs), burst, measureFromUs) : undefined,
    ]);
    const subsOf = (k: number): number => connSession.filter((x) => x === k).length;
    const expectedTodos = (): number =>
      [...titles.values()].filter((t) => t.inWindow && t.accepted).reduce((a, t) => a + subsOf(t.session), 0);
    const windowBursts = (): Burst[] => bursts.filter((b) => b.inWindow && b.accepted === 2);
    const expectedResolved = (): number => windowBursts().reduce((a, b) => a + subsOf(b.session), 0);
    const drainUntil = Date.now() + 3000;
    while (
      Date.now() < drainUntil &&
      (todoReceived < expectedTodos() || resolvedArrivals.length < expectedResolved() || http.inFlight > 0)
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Requests still unanswered: the hub did not accept them in time (an error, and nothing expected of them).
    accounted = true;
    if (unanswered > 0) {
      requestErrors += unanswered;
      if (errorSamples.length < 5) errorSamples.push(`${unanswered} requests → no answer 3000 ms after the last send`);
    }
    await new Promise((r) => setTimeout(r, 1100)); // one more worker tick flushes forwarded frames
    clearInterval(timer);
    ctx.progress.done();

    const conflictHist = createHistogram();
    let resolvedReceived = 0;
    for (const a of resolvedArrivals) {
      const b = todoToBurst.get(a.kept) ?? (a.cancelled === null ? undefined : todoToBurst.get(a.cancelled));
      if (!b || !b.inWindow || b.accepted !== 2 || connSession[a.conn] !== b.session) continue;
      conflictHist.recordValue(Math.max(1, a.recvUs - b.secondUs));
      resolvedReceived++;
    }
    const sendLag = createHistogram();
    for (const r of runs) if (r) sendLag.add(r.sendLag);
    const acceptedReceived = [...titles.values()].filter((t) => t.inWindow && t.accepted).reduce((a, t) => a + t.arrivals, 0);
    const resolvedExpected = expectedResolved();
    const delivery = accounting(expectedTodos() + resolvedExpected, acceptedReceived + resolvedReceived, duplicated, outOfOrder);
    const base = {
      name: s.name,
      kind: s.kind,
      description: s.description,
      scenario: s,
      startedAt,
      windowS: s.durationS,
      subscribers: conns.length,
      latency: latencyFigures(todoHist),
      delivery: {
        ...delivery,
        publishErrors: requestErrors,
        publishErrorSamples: errorSamples,
        connectFailures: ready.failed,
        connectErrorSamples: ready.errors,
        unexpected: 0,
        disconnects: 0,
        closeReasons: [],
      },
      throughput: {
        targetRate: s.rate + (s.todosPerS + 2 * s.burstsPerS) * sessions.length,
        sent: createsInWindow,
        sentPerS: Math.round((createsInWindow / s.durationS) * 10) / 10,
        deliveredPerS: Math.round(((todoReceived + resolvedReceived) / s.durationS) * 10) / 10,
        maxInFlight: http.maxInFlight,
      },
      timeline,
      driver: judgeDriver(
        driverSeconds,
        sendLag.totalCount ? sendLag.getValueAtPercentile(99) / 1000 : 0,
        ctx.monitor.cores,
        ctx.hubMode === 'in-process',
        ctx.driverLimits,
        ctx.hubMode !== 'external' || ctx.hubPid !== undefined,
      ),
      conflicts: {
        bursts: windowBursts().length,
        expected: resolvedExpected,
        received: resolvedReceived,
        reach: resolvedExpected === 0 ? 1 : resolvedReceived / resolvedExpected,
        latency: latencyFigures(conflictHist),
        requestErrors,
        requestErrorSamples: errorSamples,
      },
    };
    notes.push(
      `propagation = create request (scheduled) → AgentTodoChanged at every session subscriber; reach counts those and AgentConflictResolved (${resolvedReceived}/${resolvedExpected})`,
      "sent/s counts todo creates; the timeline's sent counts every request (creates and heartbeats)",
    );
    return finishShard(ctx, base, notes);
  } finally {
    keepAlive?.stop();
    upkeepHttp.close();
    http.close();
    await pool?.close();
  }
}
