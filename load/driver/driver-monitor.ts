/**
 * Watches the load generator itself, once a second: process CPU (all threads, as % of the available
 * cores), main-thread event-loop lag, and the subscriber workers' loop lag from their ticks. A saturated
 * driver makes the run's figures `invalid` rather than a verdict on the hub.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import type { DriverHealth } from '../report-types.ts';
export type { DriverHealth };

export interface DriverLimits {
  /** Driver CPU above this share of its cores is saturation (default 0.9). */
  maxCpuShare: number;
  /** Event-loop lag p99 above this, ms, on the main thread or any worker, is saturation (default 20). */
  maxLoopLagMs: number;
  /** Sends issued later than their schedule by this much (p99, ms) is saturation (default 20). */
  maxSendLagMs: number;
  /**
   * Whole-machine CPU busy share above this (mean over the window) makes a run with the hub on the same
   * machine invalid: hub and driver then compete for cores and neither figure can be trusted (default 0.95).
   */
  maxMachineShare: number;
}

export const DEFAULT_DRIVER_LIMITS: DriverLimits = { maxCpuShare: 0.9, maxLoopLagMs: 20, maxSendLagMs: 20, maxMachineShare: 0.95 };

export interface DriverSecond {
  /** Process CPU in this second as % of ONE core (200 = two cores busy). */
  cpuPct: number;
  /** The user-space part of cpuPct; the rest is the kernel's (socket reads and writes). */
  userPct?: number;
  mainLoopP99Ms: number;
  workerLoopP99Ms: number;
  /** Whole-machine CPU busy share this second (0…1), from /proc/stat; null off Linux. */
  machineShare: number | null;
}

export class DriverMonitor {
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();
  private workerLagMs = 0;
  private lastMachine = readMachineTicks();
  readonly cores = availableParallelism();

  start(): void {
    this.loop.enable();
    this.sample();
  }

  /** Called with each worker tick; keeps the worst worker lag of the current second. */
  noteWorkerLag(ms: number): void {
    this.workerLagMs = Math.max(this.workerLagMs, ms);
  }

  /** Closes the current second and returns its figures. */
  sample(): DriverSecond {
    const cpu = process.cpuUsage();
    const at = process.hrtime.bigint();
    const elapsedUs = Number(at - this.lastAt) / 1000;
    const userUs = cpu.user - this.lastCpu.user;
    const usedUs = userUs + (cpu.system - this.lastCpu.system);
    this.lastCpu = cpu;
    this.lastAt = at;
    const machine = readMachineTicks();
    const prev = this.lastMachine;
    this.lastMachine = machine;
    const total = machine && prev ? machine.total - prev.total : 0;
    const s: DriverSecond = {
      cpuPct: elapsedUs > 0 ? round1((usedUs / elapsedUs) * 100) : 0,
      userPct: elapsedUs > 0 ? round1((userUs / elapsedUs) * 100) : 0,
      mainLoopP99Ms: round1(Math.max(0, this.loop.percentile(99) / 1e6 - 10)),
      workerLoopP99Ms: round1(this.workerLagMs),
      machineShare: machine && prev && total > 0 ? Math.round(((machine.busy - prev.busy) / total) * 1000) / 1000 : null,
    };
    this.loop.reset();
    this.workerLagMs = 0;
    return s;
  }

  stop(): void {
    this.loop.disable();
  }
}

/** /proc/stat's aggregate line: busy and total jiffies since boot; undefined off Linux. */
/** Whole-machine busy and total CPU ticks from /proc/stat (undefined off Linux). */
export function readMachineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Judges a window of seconds against the limits. `hubLocal`: the hub runs on this machine (child or
 * in-process), so a saturated machine means hub and driver starved each other. `timed`: the scenario
 * judges latency. A driver stall (a GC pause, a burst of connection set-up) delays the timestamps of what
 * arrives during it, so in a timed scenario any second over the lag limit makes the figures invalid; a
 * scenario that only counts (reach, memory) loses nothing to a stall, and there only lag in most of the
 * seconds (a driver that cannot keep up) does.
 */
export function judgeDriver(
  seconds: DriverSecond[],
  sendLagP99Ms: number,
  cores: number,
  hubInProcess: boolean,
  limits: DriverLimits = DEFAULT_DRIVER_LIMITS,
  hubLocal = hubInProcess,
  timed = true,
): DriverHealth {
  const cpuPct = seconds.length ? seconds.reduce((a, s) => a + s.cpuPct, 0) / seconds.length : 0;
  const withUser = seconds.filter((s) => s.userPct !== undefined);
  const userPct = withUser.length ? withUser.reduce((a, s) => a + s.userPct!, 0) / withUser.length : undefined;
  const mainLag = p99(seconds.map((s) => s.mainLoopP99Ms));
  const workerLag = p99(seconds.map((s) => s.workerLoopP99Ms));
  const reasons: string[] = [];
  const share = cpuPct / 100 / cores;
  if (share > limits.maxCpuShare) {
    reasons.push(
      `driver CPU ${Math.round(share * 100)}% of ${cores} cores > ${limits.maxCpuShare * 100}%${hubInProcess ? ' (includes the in-process hub)' : ''}`,
    );
  }
  const lagging = seconds.filter((s) => Math.max(s.mainLoopP99Ms, s.workerLoopP99Ms) > limits.maxLoopLagMs).length;
  const sustained = lagging * 2 > seconds.length;
  let stalls: string | undefined;
  if (timed || sustained) {
    if (mainLag > limits.maxLoopLagMs) reasons.push(`driver main event-loop lag p99 ${mainLag} ms > ${limits.maxLoopLagMs} ms`);
    if (workerLag > limits.maxLoopLagMs) reasons.push(`subscriber worker event-loop lag p99 ${workerLag} ms > ${limits.maxLoopLagMs} ms`);
  } else if (lagging > 0) {
    stalls = `driver event-loop stalls up to ${Math.max(mainLag, workerLag)} ms in ${lagging} of ${seconds.length} s (limit ${limits.maxLoopLagMs} ms): not counted against the figures, this scenario times nothing`;
  }
  if (sendLagP99Ms > limits.maxSendLagMs)
    reasons.push(`sends fell behind schedule: p99 ${sendLagP99Ms} ms late > ${limits.maxSendLagMs} ms`);
  const shares = seconds.map((s) => s.machineShare).filter((x): x is number => x !== null);
  const machineShare = shares.length ? Math.round((shares.reduce((a, b) => a + b, 0) / shares.length) * 1000) / 1000 : null;
  if (hubLocal && machineShare !== null && machineShare > limits.maxMachineShare) {
    reasons.push(
      `machine CPU ${Math.round(machineShare * 100)}% busy > ${limits.maxMachineShare * 100}%: hub and driver competed for the cores`,
    );
  }
  return {
    cores,
    cpuPct: round1(cpuPct),
    ...(userPct !== undefined ? { cpuUserPct: round1(userPct) } : {}),
    cpuShare: Math.round(share * 1000) / 1000,
    mainLoopLagP99Ms: mainLag,
    workerLoopLagP99Ms: workerLag,
    sendLagP99Ms,
    saturated: reasons.length > 0,
    reasons,
    ...(stalls !== undefined ? { stalls } : {}),
    hubInProcess,
    machineShare,
  };
}

function p99(xs: number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
