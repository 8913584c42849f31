/** The browser scenario's lines under the load figures table: the wire beside end to end, long tasks, frames. */
import type { ScenarioResult } from '../report-types.ts';

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

export function browserLines(s: ScenarioResult): string[] {
  const b = s.browser;
  if (!b) return [];
  const lt = b.longTasks;
  return [
    `end to end (send → page DOM) p50 ${ms(s.latency.p50)} p99 ${ms(s.latency.p99)} ms; wire (same updates) p50 ${ms(b.wire.latency.p50)} p99 ${ms(b.wire.latency.p99)} ms, reach ${b.wire.delivery.reach === 1 ? '1' : b.wire.delivery.reach.toFixed(4)}; page socket receive p50 ${ms(b.receive.p50)} p99 ${ms(b.receive.p99)} ms`,
    `${b.pages} page(s), Chromium ${b.chromium}: ${lt.supported ? `${lt.inWindow} long task(s) in the window${lt.inWindow ? ` (longest ${lt.maxMs} ms, ${lt.totalMs} ms in all)` : ''}, ${lt.outsideWindow} outside it` : 'long tasks not measurable'}; ${b.framesPerS} frames/s per page; browser CPU ${b.cpuPct === null ? 'n/a' : `${Math.round(b.cpuPct)}% of a core`}`,
  ];
}
