/**
 * The composite action (action.yml) run as GitHub would run its steps: each `run:` step is taken from
 * action.yml, its `${{ inputs.* }}` and `${{ github.action_path }}` filled in, and executed with bash,
 * with stand-ins for $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT and $GITHUB_ENV (whose lines reach the next
 * steps, as on a runner). The install step is given this checkout's hubproof as HUBPROOF_BIN (the npm
 * install itself is what test/package/installed-package.test.ts does); certify runs one case and one
 * light load scenario, judged loosely: the action's wiring is under test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `${{ inputs.x }}` and `${{ github.action_path }}` as GitHub fills them in. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.action_path') return ROOT;
    const m = /^inputs\.([\w-]+)$/.exec(expr);
    if (!m) throw new Error(`unexpected expression ${expr}`);
    return inputs[m[1]!] ?? action.inputs[m[1]!]?.default ?? '';
  });
}

/** Runs every `run:` step in order, stopping at the first that fails (as a job does). */
async function runAction(given: Record<string, string>, cwd: string) {
  const files = { summary: join(cwd, 'summary.md'), output: join(cwd, 'output.txt'), env: join(cwd, 'env.txt') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  let env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    HUBPROOF_BIN: join(ROOT, 'bin', 'hubproof.js'),
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    RUNNER_TEMP: cwd,
  };
  const log: string[] = [];
  let code = 0;
  for (const step of action.runs.steps.filter((s) => s.run)) {
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, given)]));
    code = await bash(expand(step.run!, given), { ...env, ...stepEnv }, cwd, log);
    // $GITHUB_ENV lines become the environment of the following steps.
    for (const line of readFileSync(files.env, 'utf8').split('\n').filter(Boolean)) {
      const i = line.indexOf('=');
      env = { ...env, [line.slice(0, i)]: line.slice(i + 1) };
    }
    if (code !== 0) break;
  }
  const outputs = Object.fromEntries(
    readFileSync(files.output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code, outputs, summary: readFileSync(files.summary, 'utf8'), log: log.join('') };
}

function bash(script: string, env: NodeJS.ProcessEnv, cwd: string, log: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env });
    child.stdout.on('data', (c: Buffer) => log.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => log.push(c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

const QUICK =
  '--only pusher/connection/1 --scenario agents --load-duration 1 --max-machine-cpu 1 --max-driver-cpu 1 --max-driver-lag 1000 --set thresholds.p99Ms=2000 --set thresholds.conflictP99Ms=5000';

describe('action.yml', () => {
  it('is a composite action with the inputs a vendor sets and a shell on every run step', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['target', 'client', 'known-deviations', 'args', 'node-version']));
    expect(Object.keys(action.outputs)).toEqual(['verdict', 'exit-code']);
    for (const s of action.runs.steps) if (s.run) expect(s.shell, s.name).toBe('bash');
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ uses: 'actions/upload-artifact@v4', if: 'always()', with: { path: '${{ inputs.out }}' } });
    expect(action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(
      '${{ inputs.node-version }}',
    );
  });

  it('certifies, writes the Markdown verdict to the job summary and sets the outputs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hubproof-action-'));
    dirs.push(cwd);
    const r = await runAction({ target: '', args: QUICK }, cwd);
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toEqual({ verdict: 'certified', 'exit-code': '0' });
    expect(r.summary.split('\n')[0]).toBe('## hubproof certify: ✅ CERTIFIED — hubproof-reference');
    expect(r.summary).toBe(readFileSync(join(cwd, 'reports', 'out', 'summary.md'), 'utf8'));
    expect(existsSync(join(cwd, 'reports', 'out', 'certify.json'))).toBe(true);
    expect(readFileSync(join(cwd, 'reports', 'out', 'certify.log'), 'utf8')).toMatch(/certify: CERTIFIED/);
  }, 120_000);

  it('fails the step with hubproof exit code 2 and puts the Error: line in the summary when the target is bad', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hubproof-action-'));
    dirs.push(cwd);
    writeFileSync(join(cwd, 'target.json'), '{"name": "x"}');
    const r = await runAction({ args: QUICK }, cwd); // the default target: target.json
    expect(r.code, r.log).toBe(2);
    expect(r.outputs).toEqual({ verdict: 'error', 'exit-code': '2' });
    expect(r.summary).toMatch(/^## hubproof certify: ⚠️ could not run\n\n> Error: .*target\.json.*\[HUBPROOF_ERR_TARGET_INVALID\]\n$/);
  }, 60_000);

  it('certifies a client library with the client input (a driver command, spaces and all), the default target unused', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hubproof-action-'));
    dirs.push(cwd);
    const mutant = `"${process.execPath}" "${join(ROOT, 'selftest/client-mutants/mutant-driver.mjs')}" --mutant reconnects-after-4001`;
    const r = await runAction({ client: mutant, args: 'pusher-client/reconnect/1' }, cwd);
    expect(r.code, r.log).toBe(1);
    expect(r.outputs).toEqual({ verdict: 'not-certified', 'exit-code': '1' });
    expect(r.summary.split('\n')[0]).toMatch(/^## hubproof certify: ❌ NOT-CERTIFIED — pusher-js /);
    expect(r.summary).toMatch(/pusher-client\/reconnect\/1/);
  }, 60_000);

  it('is what the example workflow in docs/ calls, with inputs it declares', () => {
    const workflow = load(readFileSync(join(ROOT, 'docs', 'examples', 'github-workflow.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('hubproof/hubproof@')));
    expect(uses).toHaveLength(1);
    for (const input of Object.keys(uses[0]!.with ?? {})) expect(action.inputs, input).toHaveProperty([input]);
    expect(uses[0]!.with).toMatchObject({ target: 'target.json' });
  });
});
