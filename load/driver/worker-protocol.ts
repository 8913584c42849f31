/** Messages between the driver's main thread and its subscriber worker threads. */

export interface PusherConnSpec {
  kind: 'pusher';
  /** Full connection URL (`ws://…/app/{key}?protocol=7…`). */
  url: string;
  /** Channels to subscribe; private ones are signed in the worker with the app secret. */
  channels: string[];
  /** Marker streams this connection should receive (per-stream expectations); 'all' for every stream. */
  streams: number[] | 'all';
}

export interface DashboardConnSpec {
  kind: 'dashboard';
  /** Full URL of `/ws/broadcasts?token=…&session_id=…`. */
  url: string;
  streams: number[] | 'all';
}

export type ConnSpec = PusherConnSpec | DashboardConnSpec;

export interface WorkerInit {
  workerId: number;
  app: { key: string; secret: string };
  conns: ConnSpec[];
  /** 'marker': count/time load markers on the hot path. 'frames': forward every frame to the main thread (low-rate sync events). */
  mode: 'marker' | 'frames';
  /** Arrivals whose scheduled time is before this (µs, driver clock) are warm-up: tracked for order, not counted. */
  measureFromUs: number;
  /** Connections this worker opens per second while ramping (0 = all at once, bounded concurrency). */
  openPerS: number;
  /** Deadline for all connections to open and subscribe, ms. */
  connectTimeoutMs: number;
}

export type ToWorker =
  | { type: 'measure-from'; us: number }
  /** `excluded`: per stream, in-window seqs whose publish the hub never accepted: neither expected nor counted. */
  | { type: 'finish'; ranges: Record<number, [number, number]>; excluded?: Record<number, number[]> }
  | { type: 'close' };

export interface TickMsg {
  type: 'tick';
  workerId: number;
  delivered: number;
  /** Encoded HDR histogram of this interval's measured latencies (µs). */
  hist: string;
  loopP99Us: number;
  loopMaxUs: number;
  open: number;
}

export interface ProgressMsg {
  type: 'progress';
  workerId: number;
  open: number;
  failed: number;
}

export interface ReadyMsg {
  type: 'ready';
  workerId: number;
  open: number;
  failed: number;
  errors: string[];
}

export interface FrameMsg {
  type: 'frames';
  workerId: number;
  /** [connection index, receipt µs, frame text] */
  frames: Array<[number, number, string]>;
}

export interface StreamFinal {
  /** Distinct in-window sequence numbers received (excluded ones left out), summed over this worker's connections that expect the stream. */
  unique: number;
  /** Connections of this worker that expect the stream. */
  subscribers: number;
}

export interface FinalMsg {
  type: 'final';
  workerId: number;
  hist: string;
  streams: Record<number, StreamFinal>;
  duplicated: number;
  outOfOrder: number;
  /** Marker arrivals on a connection that did not expect that stream (misrouting). */
  unexpected: number;
  /** Connections that closed during the run, and the first few close codes/reasons. */
  disconnects: number;
  closeReasons: string[];
}

export type FromWorker = TickMsg | ProgressMsg | ReadyMsg | FrameMsg | FinalMsg | { type: 'error'; workerId: number; message: string };
