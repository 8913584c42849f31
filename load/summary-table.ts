/** The figures table printed at the end of a run: latency always beside reach, loss, order and driver health. */
import { browserLines } from './browser/browser-summary.ts';
import { capacityLines } from './capacity/capacity-lines.ts';
import type { LoadReport } from './report-types.ts';

export function formatSummary(r: LoadReport): string {
  const head = [
    'scenario',
    'status',
    'sent/s',
    'deliv/s',
    'p50',
    'p90',
    'p99',
    'p99.9',
    'max ms',
    'reach',
    'lost',
    'dup',
    'ooo',
    'drv cpu',
    'drv lag',
  ];
  const rows = r.scenarios.map((s) => [
    s.name,
    s.status.toUpperCase(),
    fmt(s.throughput.sentPerS),
    fmt(s.throughput.deliveredPerS),
    ms(s.latency.p50),
    ms(s.latency.p90),
    ms(s.latency.p99),
    ms(s.latency.p999),
    ms(s.latency.max),
    s.delivery.reach === 1 ? '1' : s.delivery.reach.toFixed(4),
    String(s.delivery.lost),
    String(s.delivery.duplicated),
    String(s.delivery.outOfOrder),
    s.driver.k6 ? 'k6' : `${Math.round(s.driver.cpuShare * 100)}%`,
    `${Math.max(s.driver.mainLoopLagP99Ms, s.driver.workerLoopLagP99Ms)}ms`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of r.scenarios) {
    const extra: string[] = [];
    const k6 = s.driver.k6;
    if (k6) {
      extra.push(
        `k6: ${k6.subscriberVus} subscriber VUs × ${k6.socketsPerVu} sockets, planned ${k6.plannedVuRate} frames/s per VU (ceiling ${k6.vuCeiling}); measured up to ${k6.maxVuRate}/s, receive-loop lag p99 up to ${k6.maxVuLagP99Ms} ms; ${k6.droppedIterations} dropped iterations`,
      );
    }
    if (s.hub)
      extra.push(
        `hub process CPU ${Math.round(s.hub.cpuPct)}% of a core; machine ${s.driver.machineShare === null ? 'n/a' : `${Math.round(s.driver.machineShare * 100)}%`} busy`,
      );
    if (s.memory)
      extra.push(
        `hub RSS ${s.memory.baselineMb} → ${s.memory.finalMb} MB for ${s.memory.connections} clients = ${s.memory.mbPer1000} MB per 1000`,
      );
    if (s.conflicts) {
      const c = s.conflicts;
      extra.push(
        `conflicts: ${c.received}/${c.expected} resolved deliveries, p50 ${ms(c.latency.p50)} p99 ${ms(c.latency.p99)} max ${ms(c.latency.max)} ms`,
      );
    }
    extra.push(...browserLines(s));
    if (s.capacity) extra.push(...capacityLines(s.capacity));
    for (const n of s.nodes ?? []) {
      extra.push(
        `node ${n.node} (${n.subscribers} subscribers${n.node === 1 ? ', publisher' : ''}): p50 ${ms(n.latency.p50)} p99 ${ms(n.latency.p99)} max ${ms(n.latency.max)} ms, reach ${n.delivery.reach === 1 ? '1' : n.delivery.reach.toFixed(4)}, lost ${n.delivery.lost}, dup ${n.delivery.duplicated}`,
      );
    }
    if (s.delivery.publishErrors) extra.push(`publish errors: ${s.delivery.publishErrors} (${s.delivery.publishErrorSamples[0] ?? ''})`);
    if (s.delivery.connectFailures)
      extra.push(`connect failures: ${s.delivery.connectFailures} (${s.delivery.connectErrorSamples[0] ?? ''})`);
    if (s.delivery.disconnects) extra.push(`disconnects: ${s.delivery.disconnects} (${s.delivery.closeReasons.join(', ')})`);
    for (const n of s.notes) extra.push(n);
    if (extra.length) out.push('', `${s.name}:`, ...extra.map((e) => `  ${e}`));
  }
  for (const k of r.skipped) out.push(`${k.name}: ${k.tool ? 'not covered' : 'skipped'} — ${k.reason}`);
  for (const e of r.errors) out.push(`${e.name}: could not run — ${e.message}`);
  out.push('');
  if (r.breaches.length) out.push('Thresholds breached:', ...r.breaches.map((b) => `  ✗ ${b}`));
  if (r.invalid.length) out.push('Figures invalid (the load generator, not the hub, was the limit):', ...r.invalid.map((b) => `  ! ${b}`));
  out.push(`Verdict: ${r.verdict.toUpperCase()} (${r.target.name}, hub ${r.target.hub})`);
  return `${out.join('\n')}\n`;
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
const fmt = (x: number): string => (x >= 1000 ? Math.round(x).toString() : x.toFixed(1));
