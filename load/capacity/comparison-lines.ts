/** The terminal summary of capacity side by side: each hub's figure and spread, then the ratio from the same session. */
import { formatSummary } from '../summary-table.ts';
import type { CapacityComparison } from './side-by-side.ts';

export function formatComparison(c: CapacityComparison): string {
  const out: string[] = [];
  for (const h of c.hubs) out.push(`=== ${h.name} ===`, formatSummary(h.report));
  out.push(`Capacity side by side: ${c.rounds} round${c.rounds === 1 ? '' : 's'}, order ${c.order.map((o) => o.join(' → ')).join(' | ')}`);
  for (const h of c.hubs) {
    const sp = h.report.scenarios[0]?.capacity?.spread;
    const figs = sp ? sp.figures.map((x) => (x === null ? 'none' : String(x))).join(', ') : 'not run';
    out.push(`  ${h.name}: median ${sp?.median ?? 'none'}/s, range ${sp?.min ?? 'none'}–${sp?.max ?? 'none'}/s (${figs})`);
  }
  for (const r of c.ratios) {
    out.push(
      `  ${r.of} ÷ ${r.to}: ${r.median === null ? 'n/a' : `×${r.median}`} (median of the rounds' ratios; range ${r.min ?? 'n/a'}–${r.max ?? 'n/a'}: ${r.perRound.map((x) => x ?? 'n/a').join(', ')})`,
    );
  }
  out.push(`Verdict: ${c.verdict.toUpperCase()}`);
  return `${out.join('\n')}\n`;
}
