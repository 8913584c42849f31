/**
 * What one delivery and one send cost a k6 VU in JavaScript (goja, an interpreter): µs per call of the
 * subscriber's per-frame work and the publisher's signing, beside a digit scan written as a JS loop (what
 * readMarker did before) as the baseline from the same run. Run it with k6 itself:
 *   K6_AUTO_EXTENSION_RESOLUTION=false k6 run --no-usage-report -q bench/k6-frame-cost.ts
 */
import crypto from 'k6/crypto';
import { bucketOf } from '../load/measure/log-linear.ts';
import { readMarker, SeqBitmap, type Marker } from '../load/k6/lib/marker.ts';

export const options = { vus: 1, iterations: 1 };

/** The digit scan readMarker used to be: one JS operation per character. */
function scanMarker(text: string, out: Marker): boolean {
  let i = text.indexOf('hp|');
  if (i < 0) return false;
  i += 3;
  let f = 0;
  let n = 0;
  for (; i < text.length && f < 4; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7c) {
      if (f === 0) out.stream = n;
      else if (f === 1) out.seq = n;
      else if (f === 2) out.scheduledUs = n;
      else out.after = n;
      f++;
      n = 0;
    } else if (c >= 0x30 && c <= 0x39) n = n * 10 + (c - 0x30);
    else return false;
  }
  return f === 4;
}

function time(label: string, n: number, fn: (i: number) => void): number {
  const t0 = Date.now();
  for (let i = 0; i < n; i++) fn(i);
  const us = ((Date.now() - t0) * 1000) / n;
  console.log(`${label.padEnd(44)} ${us.toFixed(2)} µs`);
  return us;
}

export default function (): void {
  const marker = `hp|3|12345|${Date.now() * 1000}|12344|${'x'.repeat(64)}`;
  const pusher = JSON.stringify({ event: 'hp-load', channel: 'hubproof-load-3', data: marker });
  const m: Marker = { stream: 0, seq: 0, scheduledUs: 0, after: 0 };
  const N = 100_000;
  const scan = time('digit scan in JS (the old readMarker)', N, () => scanMarker(pusher, m));
  const read = time('readMarker (one native regex search)', N, () => readMarker(pusher, m));
  const bits = new SeqBitmap(N + 1);
  const counts = new Float64Array(400);
  time('order bitmap + latency bucket', N, (i) => {
    bits.record(i + 1, i);
    counts[bucketOf((i % 40) + 0.5)]!++;
  });
  time('sign a publish (md5 + HMAC-SHA256)', N / 10, (i) => {
    const body = JSON.stringify({ name: 'hp-load', channel: 'hubproof-load-3', data: marker });
    crypto.hmac('sha256', 'secret', `POST\n/apps/1/events\nbody_md5=${crypto.md5(body, 'hex')}&i=${i}`, 'hex');
  });
  console.log(`old ÷ new marker read: ${(scan / read).toFixed(1)}×`);
}
