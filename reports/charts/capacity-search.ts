/**
 * The capacity search as it ran: every step at its rate (log scale), p99 above and reach below, a dot
 * where the step held and a cross where it missed, one colour per search (or per hub side by side), and
 * each search's figure as a vertical line. A reader sees at once where the hub stopped keeping up, and
 * whether repeated searches agree.
 */
import type { CapacityStep } from '../../load/report-types.ts';
import { axisX, axisY, esc, legend, linearScale, logScale, svgOpen, type Frame } from './svg.ts';

export interface SearchSeries {
  label: string;
  color: string;
  steps: CapacityStep[];
  figure: number | null;
}

export const SERIES_COLORS = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#6e7781', '#953800', '#0550ae'];

const FRAME: Frame = { width: 640, height: 360, margin: { top: 22, right: 24, bottom: 40, left: 64 } };

export function capacitySearchSvg(series: SearchSeries[], p99LimitMs: number | undefined, f: Frame = FRAME): string {
  const label = 'Capacity search: p99 and reach per step';
  const steps = series.flatMap((s) => s.steps);
  if (steps.length === 0)
    return `${svgOpen(f, label, 'capacity-search')}<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle" font-size="13" fill="#777">no steps</text></svg>`;
  const rates = steps.map((s) => s.rate);
  const rMin = Math.min(...rates) / 1.15;
  const rMax = Math.max(...rates) * 1.15;
  const x = logScale([rMin, rMax], [f.margin.left, f.width - f.margin.right]);
  // Two panels: p99 (top 62 %) and reach (bottom), sharing the rate axis.
  const top = f.margin.top;
  const bottom = f.height - f.margin.bottom;
  const split = top + (bottom - top) * 0.62;
  // p99 on a log scale: the limit and the steps far past it both stay readable.
  const pMax = Math.max(...steps.map((s) => s.p99Ms), p99LimitMs ?? 0, 1) * 1.3;
  const pMin = Math.max(0.1, Math.min(...steps.map((s) => s.p99Ms).filter((v) => v > 0), p99LimitMs ?? Infinity) / 1.5);
  const yP = logScale([pMin, pMax], [split - 8, top]);
  const reachMin = Math.min(0.999, ...steps.map((s) => s.reach));
  const yR = linearScale([reachMin, 1], [bottom, split + 10]);
  const parts = [svgOpen(f, label, 'capacity-search')];
  parts.push(axisY({ ...f, margin: { ...f.margin, bottom: f.height - split + 8 } }, rateTicks(pMin, pMax), yP, 'p99 ms (log)'));
  parts.push(
    axisY({ ...f, margin: { ...f.margin, top: split + 10 } }, [reachMin, (reachMin + 1) / 2, 1], yR, 'reach', 'left', (v) =>
      v === 1 ? '1' : v.toFixed(4),
    ),
  );
  parts.push(
    axisX(
      f,
      rateTicks(rMin, rMax).map((v) => ({ v, label: v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(v) })),
      x,
      'publishes/s (log scale)',
    ),
  );
  if (p99LimitMs !== undefined) {
    const py = yP(p99LimitMs).toFixed(1);
    parts.push(
      `<line class="limit" x1="${f.margin.left}" y1="${py}" x2="${f.width - f.margin.right}" y2="${py}" stroke="#cf222e" stroke-dasharray="5 4"/><text x="${f.width - f.margin.right - 4}" y="${Number(py) - 4}" text-anchor="end" font-size="11" fill="#cf222e">p99 limit ${p99LimitMs} ms</text>`,
    );
  }
  for (const s of series) {
    if (s.figure !== null) {
      const px = x(s.figure).toFixed(1);
      parts.push(
        `<line class="figure" x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="${s.color}" stroke-opacity="0.5" stroke-width="1.5"><title>${esc(`${s.label}: ${s.figure}/s`)}</title></line>`,
      );
    }
    for (const st of s.steps) {
      const tip = esc(
        `${s.label}: ${st.rate}/s${st.stage && st.stage !== 'ramp' ? ` (${st.stage})` : ''}, p99 ${st.p99Ms} ms, reach ${st.reach}${st.ok ? ', held' : `, missed: ${st.failure ?? ''}`}`,
      );
      for (const py of [yP(Math.min(Math.max(st.p99Ms, pMin), pMax)), yR(st.reach)])
        parts.push(marker(x(st.rate), py, st.ok, s.color, tip));
    }
  }
  parts.push(
    legend(
      f,
      series.filter((s) => s.label).map((s) => ({ label: `${s.label}${s.figure === null ? '' : ` → ${s.figure}/s`}`, color: s.color })),
    ),
  );
  parts.push(
    `<text x="${f.width - f.margin.right}" y="${top - 8}" text-anchor="end" font-size="11" fill="#555">● held  ✕ missed</text>`,
    '</svg>',
  );
  return parts.join('');
}

function marker(px: number, py: number, ok: boolean, color: string, tip: string): string {
  const [X, Y] = [px.toFixed(1), py.toFixed(1)];
  if (ok) return `<circle class="step held" cx="${X}" cy="${Y}" r="3.5" fill="${color}"><title>${tip}</title></circle>`;
  return `<path class="step missed" d="M${px - 4},${py - 4}L${px + 4},${py + 4}M${px - 4},${py + 4}L${px + 4},${py - 4}" stroke="${color}" stroke-width="2"><title>${tip}</title></path>`;
}

/** 1-2-5 ticks between a and b. */
function rateTicks(a: number, b: number): number[] {
  const out: number[] = [];
  for (let mag = Math.pow(10, Math.floor(Math.log10(a))); mag <= b; mag *= 10)
    for (const m of [1, 2, 5]) if (m * mag >= a && m * mag <= b) out.push(Math.round(m * mag * 1000) / 1000);
  return out;
}
