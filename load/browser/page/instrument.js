// @ts-check
/**
 * hubproof's in-page instrument, installed before any page script (Playwright addInitScript). It works
 * on any dashboard page that follows one contract: after writing a frame's updates to the DOM, the page
 * dispatches `presence:rendered` on window with `detail.updates`, the presence_update messages that frame
 * applied. The instrument records, on the page's clock (performance.now, ms):
 *   - receipt of every tool_execute update carrying a load marker (a listener added to each WebSocket
 *     before the page's own, so it runs first);
 *   - the moment each such update was applied to the DOM (the `presence:rendered` dispatch);
 *   - long tasks (PerformanceObserver 'longtask': main-thread work over 50 ms) and frames drawn.
 * The driver pulls everything with `__hubproof.drain()` once a second and maps page time to its own clock.
 * Markers are parsed with one regex: `hp|stream|seq|scheduledUs|after|` (see load/measure/payload.ts).
 */
(() => {
  const w = /** @type {Window & { __hubproof?: unknown }} */ (window);
  if (w.__hubproof) return;
  const MARKER = /hp\|(\d+)\|(\d+)\|(\d+)\|(\d+)\|/;
  /** Flat records: stream, seq, after, scheduledUs, atMs. */
  const received = /** @type {number[]} */ ([]);
  const applied = /** @type {number[]} */ ([]);
  /** Flat records: startMs, durationMs. */
  const longTasks = /** @type {number[]} */ ([]);
  const closes = /** @type {string[]} */ ([]);
  let sockets = 0;
  let open = 0;
  let frames = 0;

  /** @param {number[]} out @param {string} text @param {number} at */
  const record = (out, text, at) => {
    const m = MARKER.exec(text);
    if (m) out.push(Number(m[1]), Number(m[2]), Number(m[4]), Number(m[3]), at);
  };

  const Native = window.WebSocket;
  class MeasuredWebSocket extends Native {
    /** @param {string | URL} url @param {string | string[]} [protocols] */
    constructor(url, protocols) {
      super(url, protocols);
      sockets++;
      let opened = false;
      this.addEventListener('open', () => {
        opened = true;
        open++;
      });
      this.addEventListener('close', (e) => {
        if (opened) open--;
        closes.push(`${e.code}${e.reason ? ` ${e.reason}` : ''}`);
      });
      this.addEventListener('message', (e) => {
        const at = performance.now();
        if (typeof e.data === 'string' && e.data.includes('"tool_execute"')) record(received, e.data, at);
      });
    }
  }
  window.WebSocket = MeasuredWebSocket;

  window.addEventListener('presence:rendered', (e) => {
    const at = performance.now();
    const updates =
      /** @type {CustomEvent<{ updates?: Array<{ event_type?: string, presence?: { last_tool_name?: string | null } }> }>} */ (e).detail
        ?.updates ?? [];
    for (const u of updates) if (u.event_type === 'tool_execute') record(applied, u.presence?.last_tool_name ?? '', at);
  });

  try {
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) longTasks.push(t.startTime, t.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the figure is reported as absent, not as zero.
    longTasks.push(-1, -1);
  }

  const countFrame = () => {
    frames++;
    requestAnimationFrame(countFrame);
  };
  requestAnimationFrame(countFrame);

  w.__hubproof = {
    now: () => performance.now(),
    sockets: () => ({ sockets, open, closes: closes.slice() }),
    // One JSON string, not a structure: Playwright would serialise and validate every number of a
    // 5000-element array one by one, which costs the driver's event loop more than the load it measures.
    drain: () => {
      const out = {
        received: received.splice(0),
        applied: applied.splice(0),
        longTasks: longTasks.splice(0),
        frames,
        at: performance.now(),
        closes: closes.splice(0),
        open,
      };
      frames = 0;
      return JSON.stringify(out);
    },
  };
})();
