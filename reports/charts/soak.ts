/**
 * The soak's samples over time (docs/soak.md): hub RSS and open descriptors per node with the Theil–Sen
 * line over the fitted part, the hub's own view of the run (occupied channels, subscriptions, presence
 * members, connections awaiting reaping) and hub CPU. The warm-up, excluded from the fit, is shaded.
 */
import type { GrowthFit } from '../../load/soak/growth.ts';
import type { SoakFigures, SoakSample } from '../../load/soak/soak-types.ts';
import { axisX, axisY, DEFAULT_FRAME, emptyChart, legend, linearScale, niceTicks, polyline, svgOpen, type Frame } from './svg.ts';

const NODE_COLORS = ['#8250df', '#0969da', '#1a7f37', '#bf8700'];
const FIT_COLORS = ['#cf222e', '#bc4c00', '#953800', '#a40e26'];

interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
  dash?: boolean;
}

/** A time chart: seconds on x, one or more series, the warm-up shaded. */
export function timeSeriesSvg(title: string, yLabel: string, series: Series[], warmupS: number, f: Frame = DEFAULT_FRAME): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return emptyChart(f, title, 'soak', 'not sampled');
  const tMax = Math.max(...all.map((p) => p[0]), 1);
  const vMax = Math.max(...all.map((p) => p[1]), 1) * 1.1;
  const x = linearScale([0, tMax], [f.margin.left, f.width - f.margin.right]);
  const y = linearScale([0, vMax], [f.height - f.margin.bottom, f.margin.top]);
  const top = f.margin.top;
  const bottom = f.height - f.margin.bottom;
  const w = Math.max(0, x(Math.min(warmupS, tMax)) - f.margin.left);
  const parts = [
    svgOpen(f, title, 'soak'),
    `<rect class="warmup" x="${f.margin.left}" y="${top}" width="${w.toFixed(1)}" height="${bottom - top}" fill="#f6f8fa"/>`,
    w > 40 ? `<text x="${f.margin.left + 4}" y="${bottom - 6}" font-size="10" fill="#777">warm-up</text>` : '',
    axisY(f, niceTicks(vMax), y, yLabel),
    axisX(
      f,
      niceTicks(tMax, 6).map((v) => ({ v, label: clock(v) })),
      x,
      'time since the first cycle',
    ),
  ];
  for (const s of series) {
    parts.push(
      polyline(
        s.points.map(([t, v]) => [x(t), y(v)]),
        'series',
        `stroke="${s.color}" stroke-width="${s.dash ? 1.5 : 2}"${s.dash ? ' stroke-dasharray="5 4"' : ''}`,
      ),
    );
  }
  parts.push(
    legend(
      f,
      series.map((s) => ({ label: s.label, color: s.color, ...(s.dash ? { dash: true } : {}) })),
    ),
    '</svg>',
  );
  return parts.join('');
}

/** RSS or descriptors per node, with each node's fitted line over the measured part. */
function processChart(f: SoakFigures, series: 'rss' | 'fds'): string {
  const title = series === 'rss' ? 'Hub RSS over the soak' : 'Hub open descriptors over the soak';
  const lines: Series[] = [];
  f.pids.forEach((p, i) => {
    const color = NODE_COLORS[i % NODE_COLORS.length]!;
    const name = f.pids.length > 1 ? `node ${p.node}` : series === 'rss' ? 'RSS' : 'descriptors';
    lines.push({ label: name, color, points: points(f.samples, (s) => valueOf(s, p.node, series)) });
    const fit = f.growth.find((g) => g.series === series && g.node === p.node);
    if (fit)
      lines.push({ label: `Theil–Sen ${perHour(fit)}`, color: FIT_COLORS[i % FIT_COLORS.length]!, dash: true, points: fitLine(f, fit) });
  });
  return timeSeriesSvg(title, series === 'rss' ? 'RSS MB' : 'descriptors', lines, f.warmup.seconds);
}

function fitLine(f: SoakFigures, g: GrowthFit): Array<[number, number]> {
  const measured = f.samples.filter((s) => !s.warmup);
  if (measured.length < 2) return [];
  return [measured[0]!.t, measured.at(-1)!.t].map((t) => [t, g.intercept + (g.perHour * t) / 3600]);
}

function perHour(g: GrowthFit): string {
  const d = g.series === 'rss' ? 1 : 0;
  return `${g.perHour >= 0 ? '+' : '−'}${Math.abs(g.perHour).toFixed(d)}${g.series === 'rss' ? ' MB' : ''}/h`;
}

function valueOf(s: SoakSample, node: number, series: 'rss' | 'fds' | 'cpu'): number | null {
  const n = s.nodes.find((x) => x.node === node);
  if (!n) return null;
  return series === 'rss' ? n.rssMb : series === 'fds' ? n.fds : n.cpuPct;
}

function points(samples: readonly SoakSample[], get: (s: SoakSample) => number | null): Array<[number, number]> {
  return samples.flatMap((s) => {
    const v = get(s);
    return v === null ? [] : [[s.t, v] as [number, number]];
  });
}

/** The hub's own view of the run through its HTTP API. */
function apiChart(f: SoakFigures): string {
  return timeSeriesSvg(
    "The run in the hub's HTTP API",
    'count',
    [
      { label: 'occupied channels', color: '#0969da', points: points(f.samples, (s) => s.occupied) },
      { label: 'subscriptions', color: '#8250df', points: points(f.samples, (s) => s.subscriptions) },
      { label: 'presence members', color: '#1a7f37', points: points(f.samples, (s) => s.members) },
      { label: 'awaiting reaping', color: '#cf222e', dash: true, points: points(f.samples, (s) => s.awaitingReap) },
    ],
    f.warmup.seconds,
  );
}

function cpuChart(f: SoakFigures): string {
  return timeSeriesSvg(
    'Hub CPU over the soak',
    '% of a core',
    f.pids.map((p, i) => ({
      label: f.pids.length > 1 ? `node ${p.node}` : 'hub CPU',
      color: NODE_COLORS[i % NODE_COLORS.length]!,
      points: points(f.samples, (s) => valueOf(s, p.node, 'cpu')),
    })),
    f.warmup.seconds,
  );
}

/** Every soak chart, as one string of inline SVG. */
export function soakCharts(f: SoakFigures): string[] {
  const charts = [apiChart(f)];
  if (f.pids.length) charts.unshift(processChart(f, 'rss'), processChart(f, 'fds'));
  if (f.pids.length) charts.push(cpuChart(f));
  return charts;
}

/** `95 s` → `1:35`. */
function clock(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return s >= 3600 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')} h` : `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`;
}
