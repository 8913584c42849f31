/** What the browser scenario adds to a load report, beside the end-to-end latency and reach it reports as its main figures. */
import type { LatencyFigures } from '../report-types.ts';
import type { DeliveryAccounting } from '../measure/sequence-tracker.ts';
import type { LongTask } from './page-samples.ts';

export interface BrowserFigures {
  /** 'hubproof': hubproof's measuring page; 'hub': the target's own /dashboard. */
  page: 'hubproof' | 'hub';
  pages: number;
  /** Chromium's version string. */
  chromium: string;
  /**
   * The same updates at one driver-side /ws/broadcasts subscriber: latency to the wire, and its reach, with
   * its stray arrivals, the times the hub closed it and why (the first few reasons).
   */
  wire: { latency: LatencyFigures; delivery: DeliveryAccounting & { unexpected: number; disconnects: number; closeReasons: string[] } };
  /** Scheduled send → the page's WebSocket handed the message to script (before any rendering). */
  receive: LatencyFigures;
  longTasks: {
    /** false when the browser has no long-task timing: the counts below are then not measured. */
    supported: boolean;
    /** Long tasks (main-thread work > 50 ms) that started in the measured window, over all pages. */
    inWindow: number;
    maxMs: number;
    totalMs: number;
    /** Before or after the window: page load, warm-up, drain. */
    outsideWindow: number;
    /** Those in the window, longest first (at most 200), for the chart. */
    tasks: LongTask[];
  };
  /** Mean frames drawn per second per page over the window. */
  framesPerS: number;
  perPage: Array<{ page: number; p99Ms: number; reach: number; longTasks: number; framesPerS: number }>;
  /** Page clock → driver clock: the largest possible error of the mapping, and how far it moved by the end. */
  clock: { maxErrorMs: number; driftMs: number };
  /** CPU of the Chromium processes over the window, % of one core (null when not measurable). */
  cpuPct: number | null;
}
