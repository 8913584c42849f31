// @ts-check
/**
 * The dashboard's link to the hub: `WS /ws/broadcasts` for updates and `GET /api/presence` to catch up
 * after every (re)connect and to refresh the dashboards count. A dropped connection is retried after 3 s,
 * doubling up to 30 s, each delay jittered by ±20 % so a wall of dashboards does not reconnect in step.
 * A refusal is not retried: close 1008 (bad token) and 1013 naming the hub's per-session dashboard limit
 * end in a state the page explains, until the viewer asks again.
 */

/** @typedef {import('./board.js').PresenceUpdate} PresenceUpdate */
/** @typedef {import('./board.js').PresenceList} PresenceList */
/**
 * @typedef {{ state: 'connecting' } | { state: 'syncing' } | { state: 'live' }
 *   | { state: 'reconnecting', at: number, attempt: number, why: string }
 *   | { state: 'unauthorized', why: string } | { state: 'refused', why: string }} ConnectionState
 */

export const RETRY = { firstMs: 3000, maxMs: 30_000, jitter: 0.2, refreshMs: 5000, stableMs: 10_000 };
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_TRY_AGAIN_LATER = 1013;

/** @param {number} attempt 1, 2, 3… */
export function retryDelay(attempt, random = Math.random) {
  const base = Math.min(RETRY.maxMs, RETRY.firstMs * 2 ** (attempt - 1));
  return Math.round(base * (1 - RETRY.jitter + 2 * RETRY.jitter * random()));
}

class Unauthorized extends Error {}

export class PresenceConnection {
  /**
   * @param {{ base: URL, token: string, sessionId: string | null,
   *   onUpdate: (u: PresenceUpdate) => void, onSnapshot: (l: PresenceList) => void,
   *   onState: (s: ConnectionState) => void }} o
   */
  constructor(o) {
    this.o = o;
    /** @type {WebSocket | null} */
    this.ws = null;
    this.attempt = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.refreshTimer = undefined;
    this.openedAt = 0;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.refreshTimer);
    this.ws?.close(1000, 'dashboard closed');
    this.ws = null;
  }

  /** Connects now, skipping the remaining wait. */
  retryNow() {
    clearTimeout(this.retryTimer);
    if (!this.ws) this.connect();
  }

  connect() {
    const url = new URL('ws/broadcasts', this.o.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.o.token);
    if (this.o.sessionId) url.searchParams.set('session_id', this.o.sessionId);
    this.o.onState({ state: 'connecting' });
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.openedAt = Date.now();
      this.o.onState({ state: 'syncing' });
      this.catchUp(ws);
    };
    ws.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      this.o.onUpdate(msg);
    };
    ws.onclose = (e) => this.closed(ws, e.code, e.reason);
  }

  /** @param {WebSocket} ws */
  async catchUp(ws) {
    try {
      const list = await this.snapshot();
      if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
      this.o.onSnapshot(list);
      this.o.onState({ state: 'live' });
      clearInterval(this.refreshTimer);
      this.refreshTimer = setInterval(() => this.refresh(ws), RETRY.refreshMs);
    } catch (err) {
      if (ws !== this.ws) return;
      if (err instanceof Unauthorized) this.refuse('unauthorized', err.message);
      // Anything else: the stream is up, so show it live and let the next refresh catch up.
      else this.o.onState({ state: 'live' });
    }
  }

  /** @param {WebSocket} ws */
  async refresh(ws) {
    if (ws !== this.ws) return;
    try {
      this.o.onSnapshot(await this.snapshot());
    } catch {
      // The stream carries on; the next refresh tries again.
    }
  }

  /** @returns {Promise<PresenceList>} */
  async snapshot() {
    const res = await fetch(new URL('api/presence', this.o.base), {
      headers: { authorization: `Bearer ${this.o.token}` },
      cache: 'no-store',
    });
    if (res.status === 401) throw new Unauthorized('The hub did not accept this token (401 unauthenticated).');
    if (!res.ok) throw new Error(`GET /api/presence answered ${res.status}`);
    return /** @type {PresenceList} */ (await res.json());
  }

  /**
   * @param {WebSocket} ws
   * @param {number} code
   * @param {string} reason
   */
  closed(ws, code, reason) {
    if (ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.refreshTimer);
    if (this.stopped) return;
    if (code === CLOSE_POLICY_VIOLATION)
      return this.refuse('unauthorized', `The hub refused the token (close ${code}${reason ? `: ${reason}` : ''}).`);
    if (code === CLOSE_TRY_AGAIN_LATER && /limit/i.test(reason)) return this.refuse('refused', reason);
    // A connection that stayed up a while starts the backoff over; one that keeps dropping at once backs off.
    if (this.openedAt && Date.now() - this.openedAt >= RETRY.stableMs) this.attempt = 0;
    this.openedAt = 0;
    this.attempt++;
    const delay = retryDelay(this.attempt);
    const why = code === 1006 ? 'connection lost' : `closed ${code}${reason ? `: ${reason}` : ''}`;
    this.o.onState({ state: 'reconnecting', at: Date.now() + delay, attempt: this.attempt, why });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /**
   * @param {'unauthorized' | 'refused'} state
   * @param {string} why
   */
  refuse(state, why) {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'dashboard stopped');
    this.o.onState({ state, why });
  }
}
