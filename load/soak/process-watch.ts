/**
 * The hub's processes on this machine, one per node: RSS (/proc/<pid>/status), open descriptors (entries
 * of /proc/<pid>/fd), CPU since the previous reading (/proc/<pid>/stat) and the open-files limit
 * (/proc/<pid>/limits). Which pids: `nodes[i].process.pid` where the target gives them, else the target's
 * `process.pid` as node 1. What cannot be read is null, and `notes` says why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { TargetFile } from '../../spec/target.ts';
import { readCpuMs, readRssMb } from '../driver/rss.ts';
import type { NodeSample } from './soak-types.ts';

export interface WatchedPid {
  node: number;
  pid: number;
}

/** The pids to watch, and what is left unwatched. */
export function hubPids(target: TargetFile): { pids: WatchedPid[]; notes: string[] } {
  const perNode = target.nodes.flatMap((n, i) => (n.process ? [{ node: i + 1, pid: n.process.pid }] : []));
  if (perNode.length > 0) {
    const missing = target.nodes.length - perNode.length;
    return {
      pids: perNode,
      notes: missing ? [`${missing} of ${target.nodes.length} nodes name no process.pid: their RSS and descriptors are not watched`] : [],
    };
  }
  if (target.process) {
    const notes =
      target.nodes.length > 1
        ? [
            `only node 1's process is watched (process.pid); give each node its own nodes[i].process.pid to watch all ${target.nodes.length}`,
          ]
        : [];
    return { pids: [{ node: 1, pid: target.process.pid }], notes };
  }
  return {
    pids: [],
    notes: [
      'hub RSS, descriptors and CPU not watched: the target names no process.pid on this machine (growth and the RSS/descriptor return checks need it)',
    ],
  };
}

/** Open descriptors of `pid`, or null when /proc/<pid>/fd cannot be read (another user's process, not Linux). */
export function readFds(pid: number): number | null {
  try {
    const n = readdirSync(`/proc/${pid}/fd`).length;
    // Reading our own fd directory opens one descriptor for the reading itself.
    return pid === process.pid ? n - 1 : n;
  } catch {
    return null;
  }
}

/** The soft "Max open files" limit of `pid`, or null. */
export function readFdLimit(pid: number): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export class ProcessWatch {
  private last = new Map<number, { cpuMs: number; at: number }>();

  constructor(readonly pids: WatchedPid[]) {
    for (const p of pids) this.cpuSince(p.pid);
  }

  /** One reading per pid; CPU is over the time since the previous reading. */
  sample(): NodeSample[] {
    return this.pids.map((p) => {
      const rss = readRssMb(p.pid);
      return {
        node: p.node,
        rssMb: rss === undefined ? null : Math.round(rss * 10) / 10,
        fds: readFds(p.pid),
        cpuPct: this.cpuSince(p.pid),
      };
    });
  }

  /** CPU since the last call for this pid, % of one core (null on the first call or when unreadable). */
  cpuSince(pid: number): number | null {
    const cpuMs = readCpuMs(pid);
    const at = performance.now();
    const prev = this.last.get(pid);
    if (cpuMs === undefined) return null;
    this.last.set(pid, { cpuMs, at });
    if (!prev || at - prev.at <= 0) return null;
    return Math.round(((cpuMs - prev.cpuMs) / (at - prev.at)) * 1000) / 10;
  }

  /** Median of `n` readings `gapMs` apart, per pid: the baseline and the end state. */
  async settled(n = 3, gapMs = 300): Promise<Array<{ node: number; pid: number; rssMb: number | null; fds: number | null }>> {
    const rounds: NodeSample[][] = [];
    for (let i = 0; i < n; i++) {
      if (i) await sleep(gapMs);
      rounds.push(this.pids.map((p) => ({ node: p.node, rssMb: readRssMb(p.pid) ?? null, fds: readFds(p.pid), cpuPct: null })));
    }
    return this.pids.map((p, i) => ({
      node: p.node,
      pid: p.pid,
      rssMb: medianOf(rounds.map((r) => r[i]!.rssMb)),
      fds: medianOf(rounds.map((r) => r[i]!.fds)),
    }));
  }

  /** Mean CPU of each pid over `ms`, % of one core. */
  async idleCpu(ms: number): Promise<Array<number | null>> {
    for (const p of this.pids) this.cpuSince(p.pid);
    await sleep(ms);
    return this.pids.map((p) => this.cpuSince(p.pid));
  }
}

function medianOf(xs: Array<number | null>): number | null {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v[v.length >> 1]!;
  return Math.round(m * 10) / 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
