/**
 * Minimal SVG chart primitives: linear and log scales, axes with ticks, polylines. Output is a string of
 * inline SVG with no scripts or external references, so reports stay one self-contained file.
 */
export interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const DEFAULT_FRAME: Frame = { width: 640, height: 260, margin: { top: 16, right: 56, bottom: 40, left: 56 } };

export type Scale = (v: number) => number;

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain[0] === domain[1] ? [domain[0], domain[0] + 1] : domain;
  return (v) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0]);
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(Math.max(domain[0], 1e-9));
  const l1 = Math.log10(Math.max(domain[1], domain[0] * 10, 1e-9));
  return (v) => range[0] + ((Math.log10(Math.max(v, 1e-9)) - l0) / (l1 - l0)) * (range[1] - range[0]);
}

/** Round tick values covering [0, max]. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(round(v));
  if (ticks[ticks.length - 1]! < max) ticks.push(round(ticks[ticks.length - 1]! + step));
  return ticks;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function polyline(points: Array<[number, number]>, cls: string, attrs = ''): string {
  if (points.length === 0) return '';
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return `<path class="${cls}" d="${d}" fill="none" ${attrs}/>`;
}

export function svgOpen(f: Frame, label: string, cls: string): string {
  return `<svg class="chart ${cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>`;
}

export function axisX(f: Frame, ticks: Array<{ v: number; label: string }>, x: Scale, title: string): string {
  const y = f.height - f.margin.bottom;
  const parts = [`<line class="axis" x1="${f.margin.left}" y1="${y}" x2="${f.width - f.margin.right}" y2="${y}" stroke="#888"/>`];
  for (const t of ticks) {
    const px = x(t.v).toFixed(1);
    parts.push(
      `<line x1="${px}" y1="${y}" x2="${px}" y2="${y + 4}" stroke="#888"/><text x="${px}" y="${y + 16}" text-anchor="middle" font-size="11" fill="#555">${esc(t.label)}</text>`,
    );
  }
  parts.push(
    `<text x="${(f.margin.left + f.width - f.margin.right) / 2}" y="${f.height - 6}" text-anchor="middle" font-size="12" fill="#333">${esc(title)}</text>`,
  );
  return parts.join('');
}

export function axisY(
  f: Frame,
  ticks: number[],
  y: Scale,
  title: string,
  side: 'left' | 'right' = 'left',
  fmt = (v: number) => String(v),
): string {
  const x = side === 'left' ? f.margin.left : f.width - f.margin.right;
  const dir = side === 'left' ? -1 : 1;
  const parts = [`<line class="axis" x1="${x}" y1="${f.margin.top}" x2="${x}" y2="${f.height - f.margin.bottom}" stroke="#888"/>`];
  for (const t of ticks) {
    const py = y(t).toFixed(1);
    if (side === 'left') parts.push(`<line x1="${f.margin.left}" y1="${py}" x2="${f.width - f.margin.right}" y2="${py}" stroke="#eee"/>`);
    parts.push(
      `<text x="${x + dir * 6}" y="${py}" dy="4" text-anchor="${side === 'left' ? 'end' : 'start'}" font-size="11" fill="#555">${esc(fmt(t))}</text>`,
    );
  }
  const tx = side === 'left' ? 14 : f.width - 10;
  const ty = (f.margin.top + f.height - f.margin.bottom) / 2;
  parts.push(
    `<text x="${tx}" y="${ty}" transform="rotate(-90 ${tx} ${ty})" text-anchor="middle" font-size="12" fill="#333">${esc(title)}</text>`,
  );
  return parts.join('');
}

export function legend(f: Frame, items: Array<{ label: string; color: string; dash?: boolean }>): string {
  let x = f.margin.left + 8;
  const y = f.margin.top + 10;
  return items
    .map((it) => {
      const s = `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${it.color}" stroke-width="2"${it.dash ? ' stroke-dasharray="4 3"' : ''}/><text x="${x + 22}" y="${y + 4}" font-size="11" fill="#333">${esc(it.label)}</text>`;
      x += 30 + it.label.length * 6.2;
      return s;
    })
    .join('');
}

export function emptyChart(f: Frame, label: string, cls: string, message: string): string {
  return `${svgOpen(f, label, cls)}<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle" font-size="13" fill="#777">${esc(message)}</text></svg>`;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;
