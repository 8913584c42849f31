/** Samples a hub process's resident memory: /proc/<pid>/status VmRSS, or this process's own when in-process. */
import { readFileSync } from 'node:fs';

/** Resident set size in MB, or undefined when it cannot be read (no pid, not Linux, process gone). */
export function readRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  if (pid === process.pid) return process.memoryUsage().rss / 1048576;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, ms, from /proc/<pid>/stat; undefined when unreadable. */
export function readCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  if (pid === process.pid) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
