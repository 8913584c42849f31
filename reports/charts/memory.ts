/** Hub RSS against open connections while ramping, with the MB-per-1000 budget drawn from the baseline. */
import { axisX, axisY, DEFAULT_FRAME, emptyChart, legend, linearScale, niceTicks, polyline, svgOpen, type Frame } from './svg.ts';

export function memorySvg(
  samples: Array<{ connections: number; rssMb: number }>,
  budgetMbPer1000?: number,
  f: Frame = DEFAULT_FRAME,
): string {
  const label = 'Hub memory vs connections';
  if (samples.length === 0) return emptyChart(f, label, 'memory', 'hub memory not sampled');
  const cMax = Math.max(...samples.map((s) => s.connections), 1);
  const base = samples[0]!.rssMb;
  const budgetTop = budgetMbPer1000 !== undefined ? base + (budgetMbPer1000 * cMax) / 1000 : 0;
  const mMax = Math.max(...samples.map((s) => s.rssMb), budgetTop) * 1.1;
  const x = linearScale([0, cMax], [f.margin.left, f.width - f.margin.right]);
  const y = linearScale([0, mMax], [f.height - f.margin.bottom, f.margin.top]);
  const parts = [
    svgOpen(f, label, 'memory'),
    axisY(f, niceTicks(mMax), y, 'RSS MB'),
    axisX(
      f,
      niceTicks(cMax, 5).map((v) => ({ v, label: String(v) })),
      x,
      'connections',
    ),
  ];
  if (budgetMbPer1000 !== undefined) {
    parts.push(
      polyline(
        [
          [x(0), y(base)],
          [x(cMax), y(budgetTop)],
        ],
        'budget',
        'stroke="#cf222e" stroke-dasharray="5 4"',
      ),
    );
  }
  const sorted = [...samples].sort((a, b) => a.connections - b.connections);
  parts.push(
    polyline(
      sorted.map((s) => [x(s.connections), y(s.rssMb)]),
      'series rss',
      'stroke="#8250df" stroke-width="2"',
    ),
  );
  parts.push(
    legend(f, [
      { label: 'hub RSS', color: '#8250df' },
      ...(budgetMbPer1000 !== undefined ? [{ label: `budget ${budgetMbPer1000} MB/1000`, color: '#cf222e', dash: true }] : []),
    ]),
  );
  parts.push('</svg>');
  return parts.join('');
}
