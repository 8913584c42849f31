/**
 * The storm over time (docs/storm.md): reconnects per second as bars, subscriptions confirmed per second
 * and publishes refused per second as lines, the seconds the hub was down shaded and the moment it
 * answered again marked, so a herd (one tall bar) and a spread-out fleet (many short ones) look different.
 */
import type { StormFigures } from '../../load/storm/storm-types.ts';
import { axisX, axisY, DEFAULT_FRAME, emptyChart, legend, linearScale, niceTicks, polyline, svgOpen, type Frame } from './svg.ts';

export function stormSvg(f: StormFigures, frame: Frame = DEFAULT_FRAME): string {
  const title = 'Reconnect storm: reconnects and restored subscriptions per second';
  const rows = f.timeline;
  if (rows.length === 0) return emptyChart(frame, title, 'storm', 'no timeline');
  const tMax = rows.length;
  const vMax = Math.max(1, ...rows.map((r) => Math.max(r.reconnects, r.restored, r.refused))) * 1.1;
  const x = linearScale([0, tMax], [frame.margin.left, frame.width - frame.margin.right]);
  const y = linearScale([0, vMax], [frame.height - frame.margin.bottom, frame.margin.top]);
  const top = frame.margin.top;
  const bottom = frame.height - frame.margin.bottom;
  const down = `<rect class="outage" x="${x(f.restart.downAtS).toFixed(1)}" y="${top}" width="${Math.max(0, x(f.restart.backAtS) - x(f.restart.downAtS)).toFixed(1)}" height="${bottom - top}" fill="#ffebe9"/>`;
  const back = x(f.restart.backAtS).toFixed(1);
  const parts = [
    svgOpen(frame, title, 'storm'),
    down,
    `<text x="${(x(f.restart.downAtS) + 4).toFixed(1)}" y="${bottom - 6}" font-size="10" fill="#a40e26">hub down</text>`,
    `<line class="back" x1="${back}" x2="${back}" y1="${top}" y2="${bottom}" stroke="#a40e26" stroke-dasharray="3 3"/>`,
    axisY(frame, niceTicks(vMax), y, 'per second'),
    axisX(
      frame,
      niceTicks(tMax, 8)
        .filter((v) => v <= tMax)
        .map((v) => ({ v, label: `${v}s` })),
      x,
      'seconds since publishing began',
    ),
  ];
  const w = Math.max(1, x(1) - x(0) - 2);
  for (const r of rows) {
    if (r.reconnects === 0) continue;
    parts.push(
      `<rect class="bar reconnects" x="${(x(r.t) + 1).toFixed(1)}" y="${y(r.reconnects).toFixed(1)}" width="${w.toFixed(1)}" height="${(bottom - y(r.reconnects)).toFixed(1)}" fill="#0969da"><title>${r.t}–${r.t + 1} s: ${r.reconnects} reconnects</title></rect>`,
    );
  }
  const mid = (t: number) => x(t + 0.5);
  parts.push(
    polyline(
      rows.map((r) => [mid(r.t), y(r.restored)]),
      'series restored',
      'stroke="#1a7f37" stroke-width="2"',
    ),
    polyline(
      rows.map((r) => [mid(r.t), y(r.refused)]),
      'series refused',
      'stroke="#bc4c00" stroke-width="1.5" stroke-dasharray="4 3"',
    ),
    legend(frame, [
      { label: 'reconnects/s', color: '#0969da' },
      { label: 'subscriptions confirmed/s', color: '#1a7f37' },
      { label: 'publishes refused/s', color: '#bc4c00', dash: true },
    ]),
    '</svg>',
  );
  return parts.join('');
}
