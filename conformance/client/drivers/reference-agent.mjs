// @ts-check
/**
 * hubproof's reference agent: a small, plain agent of the sync API (docs/protocol.md, "Profile sync")
 * that does what profile sync-client asks, for a team to compare its own agent against. It is not a
 * third-party library. `fetch` for the HTTP API and `ws` for the Pusher event stream on the same host.
 * Each rule is a method of its own, so a mutant (selftest/client-mutants/agent-mutants.mjs) overrides one.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/** Back-off: 150 ms × 2^attempt, ±10 % jitter, at most 2 s (or the lower ceiling `join` asks for); a request gives up after this many attempts. */
const BACKOFF_BASE_MS = 150;
const BACKOFF_CAP_MS = 2000;
const MAX_ATTEMPTS = 8;
const HISTORY_PAGE = 100;
/** How long a pause on a conflict waits for its resolution before the agent resumes anyway (the rule allows 2 s or more). */
const CONFLICT_WAIT_MS = 5000;
const CONFLICT_DETECTED = 'App\\Events\\AgentConflictDetected';
const CONFLICT_RESOLVED = 'App\\Events\\AgentConflictResolved';

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

export class ReferenceAgent {
  /**
   * @param {string} name
   * @param {{ api: string, key: string, token: string, sessionId: number, agentType: string, backoffCapMs?: number }} join
   * @param {(o: Record<string, unknown>) => void} emit
   */
  constructor(name, join, emit) {
    this.name = name;
    this.join = join;
    this.emit = emit;
    this.channel = `private-session.${join.sessionId}`;
    /** Highest seq handed to the application. */
    this.lastSeq = 0;
    /** Live events that arrived ahead of a gap, by seq, until history fills it. */
    /** @type {Map<number, { event: string, data: any }>} */
    this.pending = new Map();
    this.catchingUp = false;
    this.stopped = false;
    this.streamAttempt = 0;
    /** @type {WebSocket | undefined} */
    this.ws = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.heartbeatTimer = undefined;
    /** @type {number | undefined} */
    this.participantId = undefined;
    /** Conflicts the agent paused for, by conflict_id, with the timer that stops waiting for their resolution. */
    /** @type {Map<number, NodeJS.Timeout>} */
    this.conflicts = new Map();
    /** Creates held while paused: each resolves when no conflict is left. */
    /** @type {Array<() => void>} */
    this.held = [];
    /** The back-off ceiling: its own, or the lower one `join` asked for. */
    this.backoffCapMs = Math.min(BACKOFF_CAP_MS, join.backoffCapMs ?? BACKOFF_CAP_MS);
  }

  // ---- the rules of profile sync-client, one method each -------------------------------------------

  /** sync-client/backoff/1: the wait before retry number `attempt` (0 = the first retry). */
  retryDelay(/** @type {number} */ attempt) {
    return this.capDelay(BACKOFF_BASE_MS * 2 ** attempt * (0.9 + Math.random() * 0.2));
  }

  /** sync-client/backoff/2: the back-off stops growing at its ceiling. */
  capDelay(/** @type {number} */ ms) {
    return Math.min(this.backoffCapMs, ms);
  }

  /** sync-client/idempotency/1: the key attempt `attempt` of a create sends (the create's own key). */
  keyForAttempt(/** @type {string} */ key, /** @type {number} */ _attempt) {
    return key;
  }

  /** sync-client/heartbeat/1: a heartbeat every 0.8 intervals, so a timer that fires late still lands inside one. */
  startHeartbeat(/** @type {number} */ intervalMs) {
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), intervalMs * 0.8);
  }

  /** sync-client/catch-up/1: a live event is handed on in seq order; one beyond a gap waits for history. */
  onLive(/** @type {string} */ event, /** @type {any} */ data) {
    if (this.catchingUp || data.seq > this.lastSeq + 1) {
      this.pending.set(data.seq, { event, data });
      if (!this.catchingUp) void this.catchUp();
      return;
    }
    this.deliver(event, data);
  }

  /** sync-client/catch-up/1: reads history after the last seq seen, then what arrived meanwhile. */
  async catchUp() {
    this.catchingUp = true;
    try {
      for (;;) {
        const path = `/api/channels/${encodeURIComponent(this.channel)}/events?after_seq=${this.lastSeq}&limit=${HISTORY_PAGE}`;
        const r = await this.request('GET', path);
        const events = /** @type {Array<{ event: string, data: any }>} */ (r.json?.events ?? []);
        for (const e of events) this.deliver(e.event, e.data);
        if (events.length < HISTORY_PAGE) break;
      }
    } catch (err) {
      this.emit({ type: 'log', agent: this.name, text: `catch-up failed: ${/** @type {Error} */ (err).message}` });
    } finally {
      this.catchingUp = false;
      for (const seq of [...this.pending.keys()].sort((a, b) => a - b)) {
        const p = this.pending.get(seq);
        this.pending.delete(seq);
        if (p) this.deliver(p.event, p.data);
      }
    }
  }

  /**
   * sync-client/conflicts/1: on a detected conflict in its session the agent pauses its creates until the
   * conflict's resolution (or CONFLICT_WAIT_MS without one), and tells its application both.
   */
  onConflict(/** @type {string} */ event, /** @type {any} */ data) {
    const id = Number(data?.conflict_id);
    if (!Number.isFinite(id) || Number(data?.session_id) !== this.join.sessionId) return;
    if (event === CONFLICT_DETECTED && !this.conflicts.has(id)) {
      const todoIds = [data.details?.todo1_id, data.details?.todo2_id].filter((t) => typeof t === 'number');
      this.conflicts.set(
        id,
        setTimeout(() => this.resume(id, false), CONFLICT_WAIT_MS),
      );
      this.emit({ type: 'paused', agent: this.name, conflictId: id, ...(todoIds.length ? { todoIds } : {}) });
    } else if (event === CONFLICT_RESOLVED && this.conflicts.has(id)) this.resume(id, true);
  }

  /** @param {number} id @param {boolean} resolved */
  resume(id, resolved) {
    clearTimeout(this.conflicts.get(id));
    if (!this.conflicts.delete(id)) return;
    this.emit({ type: 'resumed', agent: this.name, conflictId: id, resolved });
    if (this.conflicts.size === 0) for (const go of this.held.splice(0)) go();
  }

  /** Waits while the agent is paused on a conflict. */
  unpaused() {
    return this.conflicts.size === 0 ? Promise.resolve() : new Promise((resolve) => this.held.push(() => resolve(undefined)));
  }

  /** sync-client/leave/1: no more heartbeats, `DELETE` the participant, close the stream. */
  async leave() {
    this.stopHeartbeat();
    await this.request('DELETE', `/api/sessions/${this.join.sessionId}/participants/${this.participantId}`);
    this.stop();
    this.emit({ type: 'left', agent: this.name });
  }

  // ---- the rest of an agent --------------------------------------------------------------------------

  async start() {
    const info = await this.request('GET', '/api/hub');
    const interval = Number(info.json?.timings?.heartbeat_interval_ms) || 60_000;
    const joined = await this.request('POST', `/api/sessions/${this.join.sessionId}/participants`, {
      body: JSON.stringify({ agent_type: this.join.agentType }),
    });
    if (joined.status !== 201) throw new Error(`join answered ${joined.status}`);
    this.participantId = Number(joined.json.participant_id);
    // The ceiling is reported only when it is not the one join asked for (docs/client-driver-protocol.md).
    const cap = this.backoffCapMs === this.join.backoffCapMs ? {} : { backoffCapMs: this.backoffCapMs };
    this.emit({ type: 'joined', agent: this.name, participantId: this.participantId, ...cap });
    this.connect();
    this.startHeartbeat(interval);
  }

  /** @param {string} title @param {string} description */
  async create(title, description) {
    await this.unpaused();
    const key = randomUUID();
    const r = await this.request('POST', `/api/sessions/${this.join.sessionId}/todos`, {
      body: JSON.stringify({ title, description }),
      headers: (attempt) => ({ 'idempotency-key': this.keyForAttempt(key, attempt) }),
    });
    if (r.status !== 201) throw new Error(`create answered ${r.status}`);
    this.emit({ type: 'created', agent: this.name, title, todoId: Number(r.json.todo_id) });
  }

  async heartbeat() {
    try {
      await fetch(`${this.join.api}/api/sessions/${this.join.sessionId}/participants/${this.participantId}/heartbeat`, {
        method: 'POST',
        headers: this.headers(),
      });
    } catch {
      // The next interval tries again; a heartbeat is not worth a retry loop of its own.
    }
  }

  stopHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  stop() {
    this.stopped = true;
    this.stopHeartbeat();
    for (const t of this.conflicts.values()) clearTimeout(t);
    this.ws?.terminate();
  }

  /** @param {string} event @param {any} data */
  deliver(event, data) {
    if (typeof data?.seq === 'number') {
      if (data.seq <= this.lastSeq) return;
      this.lastSeq = data.seq;
    }
    this.emit({ type: 'event', agent: this.name, channel: this.channel, event, data });
    if (event === CONFLICT_DETECTED || event === CONFLICT_RESOLVED) this.onConflict(event, data);
  }

  connect() {
    const url = new URL(this.join.api);
    const ws = new WebSocket(`ws://${url.host}/app/${this.join.key}?protocol=7&client=hubproof-reference-agent&version=1`);
    this.ws = ws;
    ws.on('message', (raw) => {
      let frame;
      try {
        frame = JSON.parse(raw.toString());
      } catch {
        return this.emit({ type: 'log', agent: this.name, text: `ignored a frame that is not JSON: ${raw.toString().slice(0, 200)}` });
      }
      this.onFrame(frame).catch((err) =>
        this.emit({ type: 'log', agent: this.name, text: `frame handling failed: ${err?.message ?? err}` }),
      );
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.stopped || this.ws !== ws) return;
      this.emit({ type: 'state', agent: this.name, state: 'disconnected' });
      setTimeout(() => !this.stopped && this.connect(), this.retryDelay(this.streamAttempt++));
    });
  }

  /** @param {{ event: string, channel?: string, data?: any }} frame */
  async onFrame(frame) {
    const data = typeof frame.data === 'string' ? JSON.parse(frame.data) : frame.data;
    if (frame.event === 'pusher:connection_established') {
      this.streamAttempt = 0;
      this.emit({ type: 'state', agent: this.name, state: 'connected' });
      const auth = await this.request('POST', '/broadcasting/auth', {
        body: new URLSearchParams({ socket_id: data.socket_id, channel_name: this.channel }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      this.ws?.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: this.channel, auth: auth.json?.auth } }));
    } else if (frame.event === 'pusher:ping') this.ws?.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
    else if (frame.event === 'pusher_internal:subscription_succeeded') await this.catchUp();
    else if (frame.channel === this.channel && frame.event.startsWith('App\\Events\\')) this.onLive(frame.event, data);
  }

  headers() {
    return { authorization: `Bearer ${this.join.token}`, accept: 'application/json' };
  }

  /**
   * One API call, retried with back-off while the hub refuses the connection or answers 5xx.
   * @param {string} method
   * @param {string} path
   * @param {{ body?: string, contentType?: string, headers?: (attempt: number) => Record<string, string> }} [opts]
   * @returns {Promise<{ status: number, json: any }>}
   */
  async request(method, path, opts = {}) {
    for (let attempt = 0; ; attempt++) {
      let failure;
      try {
        const r = await fetch(`${this.join.api}${path}`, {
          method,
          headers: {
            ...this.headers(),
            ...(opts.body !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
            ...(opts.headers?.(attempt) ?? {}),
          },
          body: opts.body,
        });
        const text = await r.text();
        if (r.status < 500) return { status: r.status, json: text ? JSON.parse(text) : undefined };
        failure = `${method} ${path} answered ${r.status}`;
      } catch (err) {
        failure = `${method} ${path} failed: ${/** @type {Error} */ (err).message}`;
      }
      if (this.stopped || attempt + 1 >= MAX_ATTEMPTS) throw new Error(`${failure}, after ${attempt + 1} attempts`);
      await sleep(this.retryDelay(attempt));
    }
  }
}

/**
 * The driver handlers over agent instances of `Agent` (the reference or a mutant of it).
 * @param {typeof ReferenceAgent} Agent
 * @param {(o: Record<string, unknown>) => void} emit
 */
export function agentHandlers(Agent, emit) {
  /** @type {Map<string, ReferenceAgent>} */
  const agents = new Map();
  const of = (/** @type {string} */ name) => {
    const a = agents.get(name);
    if (!a) throw new Error(`no agent ${name}: send join first`);
    return a;
  };
  /** Runs a long command after its ack: failures reach the application as `error`. */
  const later = (/** @type {string} */ name, /** @type {() => Promise<void>} */ fn) =>
    void fn().catch((err) => emit({ type: 'error', agent: name, message: String(err?.message ?? err) }));
  return {
    join: (/** @type {any} */ cmd) => {
      const a = new Agent(cmd.agent, cmd, emit);
      agents.set(cmd.agent, a);
      later(cmd.agent, () => a.start());
    },
    create: (/** @type {any} */ cmd) => later(cmd.agent, () => of(cmd.agent).create(cmd.title, cmd.description)),
    leave: (/** @type {any} */ cmd) => later(cmd.agent, () => of(cmd.agent).leave()),
    shutdown: () => {
      for (const a of agents.values()) a.stop();
    },
  };
}
