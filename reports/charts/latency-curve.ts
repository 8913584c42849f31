/**
 * The HDR percentile distribution: x = percentile on a log scale of 1/(1 − p) (so 90, 99, 99.9, 99.99 are
 * evenly spaced, as HdrHistogram's plotter draws them), y = latency in ms, with the threshold as a line.
 */
import { axisX, axisY, DEFAULT_FRAME, emptyChart, legend, linearScale, logScale, niceTicks, polyline, svgOpen, type Frame } from './svg.ts';

export interface LatencySeries {
  label: string;
  color: string;
  /** [percentile 0…100, ms] */
  curve: Array<[number, number]>;
}

const inv = (p: number): number => 1 / Math.max(1e-6, 1 - p / 100);

export function latencyCurveSvg(series: LatencySeries[], thresholdMs?: number, f: Frame = DEFAULT_FRAME): string {
  const label = 'Latency by percentile (HDR, coordinated-omission corrected)';
  const all = series.flatMap((s) => s.curve);
  if (all.length === 0) return emptyChart(f, label, 'latency-curve', 'no latency samples');
  const maxInv = Math.max(1000, ...all.map(([p]) => inv(Math.min(p, 99.9999))));
  const maxMs = Math.max(...all.map(([, v]) => v), thresholdMs ?? 0) * 1.08;
  const x = logScale([1, maxInv], [f.margin.left, f.width - f.margin.right]);
  const y = linearScale([0, maxMs], [f.height - f.margin.bottom, f.margin.top]);
  const ticks = [0, 90, 99, 99.9, 99.99, 99.999]
    .filter((p) => inv(p) <= maxInv * 1.001)
    .map((p) => ({ v: inv(p), label: p === 0 ? '0%' : `${p}%` }));
  const parts = [svgOpen(f, label, 'latency-curve'), axisY(f, niceTicks(maxMs), y, 'ms'), axisX(f, ticks, x, 'percentile')];
  if (thresholdMs !== undefined) {
    const ty = y(thresholdMs).toFixed(1);
    parts.push(
      `<line class="threshold" x1="${f.margin.left}" y1="${ty}" x2="${f.width - f.margin.right}" y2="${ty}" stroke="#cf222e" stroke-dasharray="5 4"/>`,
    );
    parts.push(`<text x="${f.width - f.margin.right + 4}" y="${ty}" dy="4" font-size="11" fill="#cf222e">${thresholdMs} ms</text>`);
  }
  for (const s of series) {
    const pts = s.curve.map(([p, v]) => [x(inv(Math.min(p, 99.9999))), y(v)] as [number, number]);
    parts.push(polyline(pts, 'series latency', `stroke="${s.color}" stroke-width="2"`));
  }
  parts.push(
    legend(
      f,
      series.map((s) => ({ label: s.label, color: s.color })),
    ),
  );
  parts.push('</svg>');
  return parts.join('');
}
