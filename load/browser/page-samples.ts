/**
 * Turns what the measuring pages recorded (page/instrument.js, page clock) into figures on the driver's
 * clock: end-to-end latency (scheduled send → applied to the DOM) and in-page receipt latency as HDR
 * histograms, reach/loss/duplicates/order per page and stream, long tasks and frames in the measured
 * window. Pure: the browser is not needed to test it.
 */
import { createHistogram, type Histogram } from '../measure/histogram.ts';
import { accounting, SequenceTracker, type DeliveryAccounting } from '../measure/sequence-tracker.ts';

/** Fields of one flat marker record from the instrument: stream, seq, after, scheduledUs, atMs. */
export const RECORD_FIELDS = 5;

export interface PageRecording {
  /** Driver µs = page ms × 1000 + offsetUs (from the clock sync). */
  offsetUs: number;
  /** Flat records (RECORD_FIELDS each) of updates received by the page's WebSocket. */
  received: number[];
  /** Flat records of updates applied to the DOM. */
  applied: number[];
  /** Flat [startMs, durationMs] pairs; a [-1, -1] pair means the browser has no long-task timing. */
  longTasks: number[];
  /** Frames drawn between two drains: [from µs, to µs (driver clock), frames]. */
  frames: Array<[number, number, number]>;
  closes: string[];
}

export interface PhaseWindow {
  /** The schedule's first send, the measured window's start and end, driver µs. */
  startUs: number;
  measureFromUs: number;
  endUs: number;
  /** Per stream, the first and last seq sent in the window: what every page must apply. */
  ranges: Record<number, [number, number]>;
}

export interface LongTask {
  page: number;
  /** Seconds from the start of the measured window (negative: before it). */
  atS: number;
  ms: number;
}

export interface PageAnalysis {
  endToEnd: Histogram;
  receive: Histogram;
  delivery: DeliveryAccounting;
  /** Per second since the schedule started: updates applied and their end-to-end p99, ms. */
  seconds: Array<{ delivered: number; p99Ms: number }>;
  longTasks: { supported: boolean; inWindow: LongTask[]; outsideWindow: number };
  perPage: Array<{ page: number; p99Ms: number; reach: number; longTasks: number; framesPerS: number }>;
  /** Mean frames per second per page over the window. */
  framesPerS: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Markers stamped before the schedule started belong to an earlier run against the same hub. */
function inRun(scheduledUs: number, w: PhaseWindow): boolean {
  return scheduledUs >= w.startUs && scheduledUs < w.endUs;
}

export function analysePages(pages: PageRecording[], w: PhaseWindow): PageAnalysis {
  const endToEnd = createHistogram();
  const receive = createHistogram();
  const secondHists: Histogram[] = [];
  const secondCounts: number[] = [];
  let expected = 0;
  let received = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  const inWindow: LongTask[] = [];
  let outsideWindow = 0;
  let supported = true;
  const perPage: PageAnalysis['perPage'] = [];

  pages.forEach((p, page) => {
    const pageHist = createHistogram();
    const trackers = new Map<number, SequenceTracker>();
    for (let i = 0; i + RECORD_FIELDS <= p.applied.length; i += RECORD_FIELDS) {
      const [stream, seq, after, scheduledUs, atMs] = p.applied.slice(i, i + RECORD_FIELDS) as [number, number, number, number, number];
      if (!inRun(scheduledUs, w)) continue;
      let t = trackers.get(stream);
      if (!t) trackers.set(stream, (t = new SequenceTracker()));
      const arrival = t.record(seq, after);
      if (scheduledUs < w.measureFromUs) continue;
      if (arrival === 'duplicate') {
        duplicated++;
        continue;
      }
      if (arrival === 'out-of-order') outOfOrder++;
      const appliedUs = atMs * 1000 + p.offsetUs;
      const latency = Math.max(1, Math.round(appliedUs - scheduledUs));
      endToEnd.recordValue(latency);
      pageHist.recordValue(latency);
      const second = Math.max(0, Math.floor((appliedUs - w.startUs) / 1e6));
      (secondHists[second] ??= createHistogram()).recordValue(latency);
      secondCounts[second] = (secondCounts[second] ?? 0) + 1;
    }
    for (let i = 0; i + RECORD_FIELDS <= p.received.length; i += RECORD_FIELDS) {
      const scheduledUs = p.received[i + 3]!;
      if (scheduledUs < w.measureFromUs || scheduledUs >= w.endUs) continue;
      receive.recordValue(Math.max(1, Math.round(p.received[i + 4]! * 1000 + p.offsetUs - scheduledUs)));
    }
    let pageExpected = 0;
    let pageReceived = 0;
    for (const [key, [from, to]] of Object.entries(w.ranges)) {
      pageExpected += to - from + 1;
      pageReceived += trackers.get(Number(key))?.countUnique(from, to) ?? 0;
    }
    expected += pageExpected;
    received += pageReceived;
    let pageLongTasks = 0;
    for (let i = 0; i + 1 < p.longTasks.length; i += 2) {
      if (p.longTasks[i] === -1) {
        supported = false;
        continue;
      }
      const startUs = p.longTasks[i]! * 1000 + p.offsetUs;
      if (startUs >= w.measureFromUs && startUs < w.endUs) {
        inWindow.push({ page, atS: round1((startUs - w.measureFromUs) / 1e6), ms: round1(p.longTasks[i + 1]!) });
        pageLongTasks++;
      } else outsideWindow++;
    }
    // Frame rate over the window: each drain interval counts with the share of it inside the window.
    let frames = 0;
    let framedUs = 0;
    for (const [from, to, n] of p.frames) {
      const inside = Math.min(to, w.endUs) - Math.max(from, w.measureFromUs);
      if (inside <= 0 || to <= from) continue;
      frames += (n * inside) / (to - from);
      framedUs += inside;
    }
    perPage.push({
      page,
      p99Ms: pageHist.totalCount ? pageHist.getValueAtPercentile(99) / 1000 : 0,
      reach: pageExpected === 0 ? 1 : pageReceived / pageExpected,
      longTasks: pageLongTasks,
      framesPerS: framedUs > 0 ? round1(frames / (framedUs / 1e6)) : 0,
    });
    pageHist.destroy();
  });

  const seconds = secondCounts.map((n, i) => ({
    delivered: n ?? 0,
    p99Ms: secondHists[i] ? secondHists[i]!.getValueAtPercentile(99) / 1000 : 0,
  }));
  for (const h of secondHists) h?.destroy();
  return {
    endToEnd,
    receive,
    delivery: accounting(expected, received, duplicated, outOfOrder),
    seconds: Array.from({ length: seconds.length }, (_, i) => seconds[i] ?? { delivered: 0, p99Ms: 0 }),
    longTasks: { supported, inWindow, outsideWindow },
    perPage,
    framesPerS: perPage.length ? round1(perPage.reduce((a, p) => a + p.framesPerS, 0) / perPage.length) : 0,
  };
}
