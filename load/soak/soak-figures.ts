/** Growth fits from a soak's samples, and the lines that tell a reader what the run measured and could not. */
import { fitGrowth, type GrowthFit } from './growth.ts';
import { readFdLimit, type WatchedPid } from './process-watch.ts';
import type { SoakFigures, SoakSample } from './soak-types.ts';

/** RSS and descriptor fits per watched node over the samples after the warm-up. */
export function growthFits(
  samples: readonly SoakSample[],
  pids: readonly WatchedPid[],
  cycleS: number,
  /** The return margins (thresholds rssReturnMb, fdsReturn): rises smaller than these over the window are noise. */
  floors: { rss?: number; fds?: number } = {},
  fdLimit: (pid: number) => number | null = readFdLimit,
): GrowthFit[] {
  const fits: GrowthFit[] = [];
  const measured = samples.filter((s) => !s.warmup);
  for (const p of pids) {
    for (const series of ['rss', 'fds'] as const) {
      const pts = measured.flatMap((s) => {
        const n = s.nodes.find((x) => x.node === p.node);
        const v = series === 'rss' ? n?.rssMb : n?.fds;
        return v === null || v === undefined ? [] : [{ t: s.t, v }];
      });
      const limit = series === 'rss' ? { value: 1024, label: '1 GB' } : limitOf(fdLimit(p.pid));
      const floor = floors[series];
      const fit = fitGrowth({
        series,
        node: p.node,
        t: pts.map((x) => x.t),
        v: pts.map((x) => x.v),
        cycleS,
        ...(limit ? { limit } : {}),
        ...(floor !== undefined ? { floor } : {}),
      });
      if (fit) fits.push(fit);
    }
  }
  return fits;
}

function limitOf(n: number | null): { value: number; label: string } | undefined {
  return n === null ? undefined : { value: n, label: `its open-files limit of ${n.toLocaleString('en-US')}` };
}

/** What the run measured, in lines a reader can act on (they go under the terminal table and into the HTML). */
export function soakNotes(f: SoakFigures, hubMode: 'child' | 'in-process' | 'external'): string[] {
  const out: string[] = [];
  const measured = f.samples.length - f.warmup.samples;
  out.push(
    `${f.cycles} cycles of ${f.cycleS} s in ${f.runS} s; warm-up ${f.warmup.seconds} s (${f.warmup.samples} samples) excluded from the growth fit: ${f.warmup.why}; ${measured} samples fitted`,
  );
  out.push(`reaping bound ${f.bound.boundS} s, waited ${f.bound.deadlineS} s with slack (${f.bound.source})`);
  const many = f.pids.length > 1;
  for (const g of f.growth) out.push(`${many ? `node ${g.node} ` : ''}${g.line}`);
  if (measured < 10 && f.growth.length) out.push(`only ${measured} samples after the warm-up: a longer --duration narrows the intervals`);
  const r = f.return;
  out.push(
    r.apiCleanAfterS !== null
      ? `back to baseline in the HTTP API ${r.apiCleanAfterS} s after the last client left (bound ${f.bound.deadlineS} s)`
      : `NOT back to baseline within ${f.bound.deadlineS} s: ${r.leftovers.length} leftover(s)`,
  );
  for (const l of r.leftovers.slice(0, 10)) out.push(`  ${l}`);
  if (r.leftovers.length > 10) out.push(`  … and ${r.leftovers.length - 10} more`);
  for (const n of r.nodes) {
    out.push(
      `${many ? `node ${n.node} ` : ''}pid ${n.pid}: RSS ${n.baselineRssMb ?? '?'} → ${n.endRssMb ?? '?'} MB, descriptors ${n.baselineFds ?? '?'} → ${n.endFds ?? '?'}, CPU idle ${n.idleCpuPct ?? '?'} % of a core (before the run ${n.baselineCpuPct ?? '?'} %)`,
    );
  }
  for (const k of f.reaping) {
    if (k.count === 0) continue;
    out.push(
      `reaping ${k.kind}: ${k.reaped}/${k.count} closed by the hub${k.p50S !== null ? `, p50 ${k.p50S} s, max ${k.maxS} s` : ''}${k.notReaped ? `, ${k.notReaped} still open at ${f.bound.deadlineS} s` : ''}`,
    );
    for (const e of k.examples) out.push(`  ${e}`);
  }
  if (f.lateCycles)
    out.push(`${f.lateCycles} of ${f.cycles} cycles started over half a cycle late (max ${f.maxLateMs} ms): the schedule was not kept`);
  out.push(...f.notMeasured);
  if (hubMode === 'in-process') out.push('hub in-process: its RSS, descriptors and CPU include the driver');
  return out;
}
