/**
 * Runs one hubproof k6 script N times, each against a fresh `hubproof hub` (default timers, its own
 * process), and prints one row per run: the VU plan, the busiest subscriber VU's frame rate and
 * receive-loop lag, dropped iterations, reach, p99 and the verdict. It is how the k6 sizing in
 * load/k6/lib/sizing.ts was measured; run it on your machine to measure yours:
 *   npx tsx bench/k6-runs.ts [--k6 PATH] [--runs 5] [--script fanout] [--quiet-load L] [-e NAME=value …]
 * `--k6` defaults to `k6` on PATH; `--quiet-load L` waits (up to 3 min) before each run for the 1-minute
 * load average to fall below L, on a machine shared with other work.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnTargetProcess } from '../cli/hub-process.ts';
import { readCpuMs } from '../load/driver/rss.ts';
import type { LoadReport } from '../load/report-types.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const round = (x: number): number => Math.round(x * 10) / 10;

export interface K6Row {
  run: number;
  code: number;
  verdict: string;
  subscriberVus: number;
  socketsPerVu: number;
  plannedVuRate: number;
  maxVuRate: number;
  maxVuLagP99Ms: number;
  dropped: number;
  reach: number;
  lost: number;
  p99Ms: number;
  vusMax: number;
  httpP99Ms: number;
  reasons: string[];
  /** k6's and the hub's CPU over the whole k6 run, % of one core. */
  k6CpuPct: number;
  hubCpuPct: number;
  /** The same, CPU seconds over the whole run (start-up included). */
  k6CpuS: number;
  hubCpuS: number;
  /** The machine's 1-minute load average before and after the run (others' work shows here). */
  load: [number, number];
}

/** Runs k6, sampling its CPU and the hub's (ms) every 250 ms: the last samples are the run's totals. */
function k6Run(
  bin: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
  hubPid: number,
): Promise<{ code: number; text: string; k6CpuMs: number; hubCpuMs: number; wallMs: number }> {
  const args = ['run', '--quiet', '--no-usage-report', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script];
  const t0 = Date.now();
  const hub0 = readCpuMs(hubPid) ?? 0;
  let k6CpuMs = 0;
  let hubCpuMs = 0;
  return new Promise((resolve) => {
    const child = execFile(
      bin,
      args,
      { cwd, timeout: 600_000, maxBuffer: 1 << 24, env: { ...process.env, K6_AUTO_EXTENSION_RESOLUTION: 'false' } },
      (err, stdout, stderr) => {
        clearInterval(sampler);
        resolve({
          code: err ? Number((err as { code?: number }).code ?? -1) : 0,
          text: stdout + stderr,
          k6CpuMs,
          hubCpuMs,
          wallMs: Date.now() - t0,
        });
      },
    );
    const sampler = setInterval(() => {
      k6CpuMs = readCpuMs(child.pid) ?? k6CpuMs;
      hubCpuMs = (readCpuMs(hubPid) ?? hub0) - hub0;
    }, 250);
  });
}

/** One run of `script` against a fresh hub; the row for its (first) scenario. */
export async function runOnce(bin: string, script: string, env: Record<string, string>, run: number): Promise<K6Row> {
  const loadBefore = loadavg()[0]!;
  const hub = await spawnTargetProcess('hubproof-k6-runs-', () => [join(ROOT, 'bin', 'hubproof.js'), 'hub', '--port', '0']);
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-runs-'));
  try {
    writeFileSync(join(dir, 'target.json'), JSON.stringify(hub.target));
    const out = join(dir, 'report.json');
    const r = await k6Run(bin, script, { TARGET: join(dir, 'target.json'), OUT: out, ...env }, dir, hub.pid);
    let report: LoadReport;
    try {
      report = JSON.parse(readFileSync(out, 'utf8')) as LoadReport;
    } catch {
      throw new Error(`k6 exited with ${r.code} without a report: ${r.text.trim().split('\n').slice(-3).join(' | ')}`);
    }
    const s = report.scenarios[0]!;
    const k = s.driver.k6!;
    return {
      run,
      code: r.code,
      verdict: report.verdict,
      subscriberVus: k.subscriberVus,
      socketsPerVu: k.socketsPerVu,
      plannedVuRate: k.plannedVuRate,
      maxVuRate: k.maxVuRate,
      maxVuLagP99Ms: k.maxVuLagP99Ms,
      dropped: k.droppedIterations,
      reach: s.delivery.reach,
      lost: s.delivery.lost,
      p99Ms: s.latency.p99,
      vusMax: k.vusMax ?? 0,
      httpP99Ms: k.httpP99Ms ?? 0,
      reasons: s.driver.reasons,
      load: [round(loadBefore), round(loadavg()[0]!)],
      k6CpuPct: Math.round((r.k6CpuMs / r.wallMs) * 100),
      hubCpuPct: Math.round((r.hubCpuMs / r.wallMs) * 100),
      k6CpuS: Math.round(r.k6CpuMs / 10) / 100,
      hubCpuS: Math.round(r.hubCpuMs / 10) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await hub.close();
  }
}

export function formatRow(r: K6Row): string {
  return [
    `#${r.run}`,
    r.verdict.toUpperCase().padEnd(7),
    `VUs ${r.subscriberVus}×${r.socketsPerVu}`,
    `planned ${r.plannedVuRate}/s/VU`,
    `max ${r.maxVuRate}/s/VU`,
    `lag p99 ${r.maxVuLagP99Ms} ms`,
    `dropped ${r.dropped}`,
    `reach ${r.reach.toFixed(4)}`,
    `lost ${r.lost}`,
    `p99 ${r.p99Ms} ms`,
    `VUs max ${r.vusMax}`,
    `http p99 ${r.httpP99Ms} ms`,
    `k6 cpu ${r.k6CpuPct}% (${r.k6CpuS} s)`,
    `hub cpu ${r.hubCpuPct}% (${r.hubCpuS} s)`,
    `exit ${r.code}`,
    `load ${r.load[0]}→${r.load[1]}`,
  ].join('  ');
}

/** On a shared machine: waits (3 min at most) for the 1-minute load average to fall below `limit`. */
async function quieter(limit: number): Promise<void> {
  const until = Date.now() + 180_000;
  while (loadavg()[0]! >= limit && Date.now() < until) await new Promise((r) => setTimeout(r, 5000));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      k6: { type: 'string', default: 'k6' },
      runs: { type: 'string', default: '5' },
      script: { type: 'string', default: 'fanout' },
      e: { type: 'string', multiple: true, short: 'e' },
      'quiet-load': { type: 'string' },
    },
  });
  const env = Object.fromEntries((values.e ?? []).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const script = join(ROOT, 'load', 'k6', `${values.script.replace(/\.ts$/, '')}.ts`);
  const runs = Number(values.runs);
  process.stdout.write(
    `k6-runs: ${values.script} ${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} × ${runs} on ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${new Date().toISOString()}\n`,
  );
  const rows: K6Row[] = [];
  const quiet = values['quiet-load'] === undefined ? undefined : Number(values['quiet-load']);
  for (let i = 1; i <= runs; i++) {
    if (quiet !== undefined) await quieter(quiet);
    const row = await runOnce(values.k6, script, env, i);
    rows.push(row);
    process.stdout.write(`${formatRow(row)}\n`);
    if (row.reasons.length) process.stdout.write(`   ${row.reasons.join('; ')}\n`);
  }
  const pass = rows.filter((r) => r.verdict === 'pass' && r.reach === 1).length;
  process.stdout.write(`${pass} of ${runs} PASS with reach 1\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
