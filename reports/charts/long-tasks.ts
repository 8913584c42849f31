/**
 * The pages' long tasks over the measured window: one dot per task (x = when it started, y = how long
 * it ran), one colour per page, with the 50 ms line that makes a task "long" and the window's extent.
 */
import { axisX, axisY, DEFAULT_FRAME, emptyChart, legend, linearScale, niceTicks, svgOpen, type Frame } from './svg.ts';

export interface LongTaskPoint {
  page: number;
  atS: number;
  ms: number;
}

const COLORS = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#0a7ea4', '#9a6700', '#57606a'];

export function longTasksSvg(tasks: LongTaskPoint[], windowS: number, pages: number, f: Frame = DEFAULT_FRAME): string {
  const label = 'Long tasks in the pages during the measured window (main-thread work over 50 ms)';
  if (tasks.length === 0) return emptyChart(f, label, 'long-tasks', `no long task in ${windowS} s on ${pages} page(s)`);
  const yMax = Math.max(100, ...tasks.map((t) => t.ms)) * 1.1;
  const x = linearScale([0, windowS], [f.margin.left, f.width - f.margin.right]);
  const y = linearScale([0, yMax], [f.height - f.margin.bottom, f.margin.top]);
  const parts = [
    svgOpen(f, label, 'long-tasks'),
    axisY(f, niceTicks(yMax), y, 'ms'),
    axisX(
      f,
      niceTicks(windowS, 6).map((v) => ({ v, label: `${v}s` })),
      x,
      'seconds into the window',
    ),
  ];
  const ty = y(50).toFixed(1);
  parts.push(
    `<line class="threshold" x1="${f.margin.left}" y1="${ty}" x2="${f.width - f.margin.right}" y2="${ty}" stroke="#cf222e" stroke-dasharray="5 4"/>`,
  );
  parts.push(`<text x="${f.width - f.margin.right + 4}" y="${ty}" dy="4" font-size="11" fill="#cf222e">50 ms</text>`);
  for (const t of tasks) {
    parts.push(
      `<circle class="task" cx="${x(Math.min(windowS, Math.max(0, t.atS))).toFixed(1)}" cy="${y(t.ms).toFixed(1)}" r="4" fill="${COLORS[t.page % COLORS.length]}" fill-opacity="0.75"><title>page ${t.page}: ${t.ms} ms at ${t.atS} s</title></circle>`,
    );
  }
  const shown = [...new Set(tasks.map((t) => t.page))].sort((a, b) => a - b).slice(0, 6);
  parts.push(
    legend(
      f,
      shown.map((p) => ({ label: `page ${p}`, color: COLORS[p % COLORS.length]! })),
    ),
  );
  parts.push('</svg>');
  return parts.join('');
}
