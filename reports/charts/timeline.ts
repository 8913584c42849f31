/** Per-second throughput (sent, delivered ÷ subscribers per event) and p99 on a second axis. */
import { axisX, axisY, DEFAULT_FRAME, emptyChart, legend, linearScale, niceTicks, polyline, svgOpen, type Frame } from './svg.ts';

export interface TimelinePoint {
  t: number;
  sent: number;
  delivered: number;
  p99Ms: number;
  warmup: boolean;
}

export function timelineSvg(rows: TimelinePoint[], fanoutPerEvent: number, f: Frame = DEFAULT_FRAME): string {
  const label = 'Throughput and p99 per second';
  if (rows.length === 0) return emptyChart(f, label, 'timeline', 'no timeline');
  const per = Math.max(1, fanoutPerEvent);
  const tMax = Math.max(...rows.map((r) => r.t), 1);
  const rMax = Math.max(...rows.map((r) => Math.max(r.sent, r.delivered / per)), 1) * 1.1;
  const pMax = Math.max(...rows.map((r) => r.p99Ms), 1) * 1.1;
  const x = linearScale([0, tMax], [f.margin.left, f.width - f.margin.right]);
  const y = linearScale([0, rMax], [f.height - f.margin.bottom, f.margin.top]);
  const y2 = linearScale([0, pMax], [f.height - f.margin.bottom, f.margin.top]);
  const parts = [
    svgOpen(f, label, 'timeline'),
    axisY(f, niceTicks(rMax), y, 'events/s'),
    axisY(f, niceTicks(pMax, 4), y2, 'p99 ms', 'right'),
    axisX(
      f,
      niceTicks(tMax, 6).map((v) => ({ v, label: `${v}s` })),
      x,
      'seconds since start',
    ),
  ];
  const warm = rows.filter((r) => r.warmup).map((r) => r.t);
  if (warm.length) {
    const x1 = x(0);
    const x2 = x(Math.max(...warm));
    parts.push(
      `<rect class="warmup" x="${x1}" y="${f.margin.top}" width="${Math.max(0, x2 - x1)}" height="${f.height - f.margin.top - f.margin.bottom}" fill="#f0f0f0"/>`,
    );
  }
  parts.push(
    polyline(
      rows.map((r) => [x(r.t), y(r.sent)]),
      'series sent',
      'stroke="#0969da" stroke-width="2"',
    ),
  );
  parts.push(
    polyline(
      rows.filter((r) => !r.warmup).map((r) => [x(r.t), y(r.delivered / per)]),
      'series delivered',
      'stroke="#1a7f37" stroke-width="2" stroke-dasharray="4 3"',
    ),
  );
  parts.push(
    polyline(
      rows.filter((r) => !r.warmup).map((r) => [x(r.t), y2(r.p99Ms)]),
      'series p99',
      'stroke="#bc4c00" stroke-width="1.5"',
    ),
  );
  parts.push(
    legend(f, [
      { label: 'sent/s', color: '#0969da' },
      { label: `delivered/s ÷ ${per}`, color: '#1a7f37', dash: true },
      { label: 'p99 ms', color: '#bc4c00' },
    ]),
  );
  parts.push('</svg>');
  return parts.join('');
}
