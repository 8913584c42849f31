/**
 * Before a capacity step is measured again because other processes disturbed it: wait until the machine's
 * CPU besides the hub's and this driver's falls under the disturbance limit for a second, or give up.
 */
import { availableParallelism } from 'node:os';
import { readMachineTicks } from '../driver/driver-monitor.ts';
import { readCpuMs } from '../driver/rss.ts';
import { DISTURBED_CPU_PCT } from './step-evidence.ts';

/** One second's CPU of other processes, % of one core (null when it cannot be read). */
async function othersOverOneSecond(hubPid: number | undefined): Promise<number | null> {
  const m0 = readMachineTicks();
  const h0 = readCpuMs(hubPid) ?? 0;
  const d0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  const m1 = readMachineTicks();
  if (!m0 || !m1 || m1.total === m0.total) return null;
  const ms = performance.now() - t0;
  const machinePct = ((m1.busy - m0.busy) / (m1.total - m0.total)) * availableParallelism() * 100;
  const d = process.cpuUsage(d0);
  const hubPct = hubPid === undefined || hubPid === process.pid ? 0 : (((readCpuMs(hubPid) ?? h0) - h0) / ms) * 100;
  return machinePct - hubPct - ((d.user + d.system) / 1000 / ms) * 100;
}

/** Waits for a quiet machine, at most `maxS` seconds; returns the seconds waited and whether it got quiet. */
export async function waitForQuiet(hubPid: number | undefined, maxS = 30): Promise<{ waitedS: number; quiet: boolean }> {
  for (let s = 1; s <= maxS; s++) {
    const others = await othersOverOneSecond(hubPid);
    if (others === null || others <= DISTURBED_CPU_PCT) return { waitedS: s, quiet: true };
  }
  return { waitedS: maxS, quiet: false };
}
