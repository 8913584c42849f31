/**
 * CPU used by this process's child processes other than the hub: the Chromium browser and its renderer,
 * GPU and utility processes. The pages' figures are only as good as the CPU they got, so the report
 * shows it beside them. Linux /proc only; elsewhere the figure is absent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readCpuMs } from '../driver/rss.ts';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Pids descending from `root`, skipping the subtrees of `exclude`. */
export function descendants(root: number, exclude: ReadonlySet<number>): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    if (exclude.has(pid)) continue;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU ms used so far by the child processes (`undefined` off Linux). */
export function childCpuMs(exclude: ReadonlySet<number>): number | undefined {
  const pids = descendants(process.pid, exclude);
  if (pids.length === 0) return undefined;
  return pids.reduce((sum, pid) => sum + (readCpuMs(pid) ?? 0), 0);
}

/**
 * Waits until the child processes use less than `maxPct` % of one core over half a second, or
 * `timeoutMs`. A browser that has just opened its pages compiles, lays out and rasterises for a few
 * seconds at up to two cores; measuring then would charge that to the hub. Returns how long it waited and
 * the last reading (undefined when CPU cannot be read).
 */
export async function waitForQuiet(
  exclude: ReadonlySet<number>,
  maxPct: number,
  timeoutMs = 10_000,
): Promise<{ waitedMs: number; pct: number | undefined }> {
  const started = Date.now();
  const first = childCpuMs(exclude);
  if (first === undefined) return { waitedMs: 0, pct: undefined };
  let last: number = first;
  let at = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now: number = childCpuMs(exclude) ?? last;
    const pct = ((now - last) / Math.max(1, Date.now() - at)) * 100;
    last = now;
    at = Date.now();
    if (pct < maxPct || Date.now() - started >= timeoutMs) return { waitedMs: Date.now() - started, pct: Math.round(pct) };
  }
}
