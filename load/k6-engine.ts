/**
 * `hubproof load --engine k6`: the same scenarios run by k6 (load/k6/<scenario>.ts) instead of the Node
 * driver. Checks that `k6` on PATH is v2 or later (v1 has only k6/experimental/websockets and stops at
 * "unknown module: k6/websockets"), runs one script per scenario with the scenario overrides passed as
 * `-e SET=…`, and returns the reports the scripts wrote, as one LoadReport. Exit-2 errors: no k6, too old,
 * no report.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubproofError } from '../spec/errors.ts';
import type { TargetFile } from '../spec/target.ts';
import { INSTALL_COMMAND } from './optional-tool.ts';
import type { Progress } from './progress.ts';
import type { LoadReport } from './report-types.ts';
import { emptyReport, judgeReport } from './report-verdict.ts';
import { applyOverrides, selectScenarios, type ScenarioOverrides } from './scenarios/index.ts';

const K6_DIR = fileURLToPath(new URL('./k6/', import.meta.url));
export const MIN_K6 = { major: 2, minor: 0, patch: 0 };

export interface K6EngineOptions {
  target: TargetFile;
  scenarios?: string;
  overrides?: ScenarioOverrides;
  progress: Progress;
  /** Show k6's own output (default true). */
  echo?: boolean;
  /** The k6 executable (default `k6` from PATH). */
  k6?: string;
}

/** `k6 v2.2.0 (go1.24.4, linux/amd64)` → version; HUBPROOF_ERR_K6 when missing, unreadable or too old. */
export function checkK6(bin = 'k6'): string {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new HubproofError(
      'HUBPROOF_ERR_K6',
      code === 'ENOENT'
        ? `k6 is not on PATH; install k6 v${MIN_K6.major} or later (${INSTALL_COMMAND.k6}), or drop --engine k6 to use the Node driver`
        : `cannot run ${bin} version: ${r.error.message}`,
    );
  }
  const m = /v(\d+)\.(\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  if (!m)
    throw new HubproofError(
      'HUBPROOF_ERR_K6',
      `cannot read the version of ${bin} from "${`${r.stdout}${r.stderr}`.trim().split('\n')[0]}"`,
    );
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const version = `v${major}.${minor}.${patch}`;
  if (major < MIN_K6.major) {
    throw new HubproofError(
      'HUBPROOF_ERR_K6',
      `k6 ${version} is too old: the hubproof scripts need k6 v${MIN_K6.major}.${MIN_K6.minor}.${MIN_K6.patch} or later (k6 v1 has only k6/experimental/websockets and stops at "unknown module: k6/websockets")`,
    );
  }
  return version;
}

/** `--duration`, `--rate`, `--subscribers`, `--set` as the scripts' `-e SET=key=value,…`. */
function setEnv(o: ScenarioOverrides | undefined): string {
  const set: string[] = [];
  if (o?.durationS !== undefined) set.push(`durationS=${o.durationS}`);
  if (o?.rate !== undefined) set.push(`rate=${o.rate}`);
  if (o?.subscribers !== undefined) set.push(`subscribersPerChannel=${o.subscribers}`);
  for (const a of o?.set ?? []) {
    if (a.includes(','))
      throw new HubproofError(
        'HUBPROOF_ERR_USAGE',
        `--set ${a}: k6 takes overrides as one comma-separated list, so a value cannot hold a comma`,
      );
    set.push(a);
  }
  return set.join(',');
}

function runScript(
  bin: string,
  script: string,
  env: Record<string, string>,
  echo: boolean,
  deadlineMs: number,
): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const args = ['run', '--quiet', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { K6_AUTO_EXTENSION_RESOLUTION: 'false', ...process.env } });
    // k6 ends a run on its own (maxDuration, gracefulStop); this only keeps a stuck k6 from holding hubproof forever.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HubproofError('HUBPROOF_ERR_K6', `k6 did not finish ${script} within ${Math.round(deadlineMs / 1000)} s; it was stopped`));
    }, deadlineMs);
    child.on('close', () => clearTimeout(timer));
    let tail = '';
    const take = (c: Buffer): void => {
      tail = (tail + c.toString()).slice(-2000);
      if (echo) process.stderr.write(c);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, tail }));
  });
}

export async function runK6Engine(o: K6EngineOptions): Promise<LoadReport> {
  const bin = o.k6 ?? 'k6';
  const version = checkK6(bin);
  const scenarios = selectScenarios(o.scenarios).map((s) => applyOverrides(s, o.overrides ?? {}));
  const set = setEnv(o.overrides);
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-engine-'));
  const report = emptyReport(
    'k6',
    { name: o.target.name, http: o.target.nodes[0]!.http, ws: o.target.nodes[0]!.ws, hub: 'external' },
    { node: `k6 ${version}`, cores: 0, platform: 'k6' },
  );
  try {
    const targetFile = join(dir, 'target.json');
    writeFileSync(targetFile, JSON.stringify(o.target));
    for (const s of scenarios) {
      const script = join(K6_DIR, `${s.kind}.ts`);
      if (!existsSync(script)) {
        report.skipped.push({ name: s.name, reason: `no k6 script for the ${s.kind} scenario (k6 runs fanout, presence and agents)` });
        continue;
      }
      const out = join(dir, `${s.name}.json`);
      o.progress.note(`${s.name}: k6 ${version} run ${script}`);
      // The scripts' own hold (connect, warm-up, window, drain) plus k6's maxDuration slack, and a minute for setup.
      const deadlineMs = (s.warmupS + s.durationS + 60 + 30 + 60) * 1000;
      // k6 cannot see the machine's cores; the scripts size a load k6 could not generate here (load/k6/lib/sizing.ts).
      const env = { TARGET: targetFile, OUT: out, CORES: String(availableParallelism()), ...(set ? { SET: set } : {}) };
      const r = await runScript(bin, script, env, o.echo ?? true, deadlineMs);
      if (!existsSync(out))
        throw new HubproofError(
          'HUBPROOF_ERR_K6',
          `k6 exited with ${r.code} without writing its report for ${s.name}: ${r.tail.trim().split('\n').at(-1) ?? ''}`,
        );
      const part = JSON.parse(readFileSync(out, 'utf8')) as LoadReport;
      report.scenarios.push(...part.scenarios);
      report.errors.push(...part.errors);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return judgeReport(report);
}
