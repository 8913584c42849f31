/**
 * A tool missing on the harness's side is never the hub's fault: without Chromium, without
 * playwright-core (a copy of hubproof beside node_modules that lack it) or, for `--cluster 2`, without
 * redis-server on PATH, certify still certifies the embedded reference hub (exit 0) and lists what it
 * could not cover, with the reason and the one command that installs the tool. Without k6,
 * `load --engine k6` has nothing to run at all: one Error: line naming how to install it (exit 2).
 * Conformance is narrowed to one case and the load part to the scenario concerned (the cluster run adds
 * one light scenario judged loosely): the verdict's wiring is under test, not this machine's speed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../load/report-types.ts';
import type { CertifyReport } from '../../reports/model/certify-report.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';
import { installWithout } from '../helpers/install-without.ts';
import { pathWithout } from '../helpers/path-without.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hubproof-missing-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const QUICK = [
  '--only',
  'pusher/connection/1',
  '--seed',
  '7',
  '--scenario',
  'browser',
  '--load-duration',
  '1',
  '--max-machine-cpu',
  '1',
  '--max-driver-cpu',
  '1',
  '--max-driver-lag',
  '1000',
];
/** The cluster run's one load scenario, judged loosely. */
const QUICK_AGENTS = ['--scenario', 'agents', '--set', 'thresholds.p99Ms=2000', '--set', 'thresholds.conflictP99Ms=5000'];

function hubproof(args: string[], env: NodeJS.ProcessEnv, root = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'hubproof.js'), ...args], {
      cwd: root,
      env: { ...process.env, CI: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function certify(
  args: string[],
  env: NodeJS.ProcessEnv,
  root = ROOT,
): Promise<{ r: Awaited<ReturnType<typeof hubproof>>; report: CertifyReport }> {
  const out = tmp();
  const r = await hubproof(['certify', '--out', out, ...QUICK, ...args], env, root);
  const report = JSON.parse(readFileSync(join(out, 'certify.json'), 'utf8')) as CertifyReport;
  return { r, report };
}

describe('certify with a tool of the harness missing', () => {
  it('lists the browser scenario as not covered, with apt-get install chromium, and certifies without Chromium', async () => {
    const { r, report } = await certify([], { HUBPROOF_CHROMIUM: '/nonexistent/chromium' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(report.verdict).toBe('certified');
    expect(report.slos).toEqual([]);
    expect(report.notCovered).toEqual([
      expect.stringMatching(/^load scenario browser .*needs Chromium: .*install it: apt-get install chromium$/),
    ]);
    expect(r.stdout).toMatch(
      /not covered \(skipped or blocked, not failed\): 1 load scenario\(s\)\n {2}- load scenario browser .*apt-get install chromium/,
    );
    expect(report.load.skipped).toEqual([
      expect.objectContaining({ name: 'browser', tool: 'chromium', install: 'apt-get install chromium' }),
    ]);
    expectPublishedReport('certify', report);
  }, 120_000);

  it('writes a load report its published schema accepts, the skipped scenario naming the missing tool and its install command', async () => {
    const json = join(tmp(), 'load.json');
    const r = await hubproof(['load', '--scenario', 'browser', '--json', json, '--quiet'], { HUBPROOF_CHROMIUM: '/nonexistent/chromium' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as LoadReport;
    expect(report.skipped).toEqual([expect.objectContaining({ name: 'browser', tool: 'chromium', install: 'apt-get install chromium' })]);
    expectPublishedReport('load', report);
  }, 60_000);

  it('lists the browser scenario as not covered, with npm install playwright-core, when playwright-core cannot be loaded', async () => {
    const root = installWithout(ROOT, 'playwright-core');
    dirs.push(root);
    const { r, report } = await certify([], {}, root);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(report.verdict).toBe('certified');
    expect(report.slos.some((s) => s.scenario === 'browser')).toBe(false);
    expect(report.notCovered).toEqual([
      expect.stringMatching(/^load scenario browser .*needs playwright-core: .*install it: npm install playwright-core$/),
    ]);
  }, 120_000);

  it('runs --cluster 2 as one node without redis-server, the cluster MUSTs not covered with apt-get install redis-server', async () => {
    const path = pathWithout('redis-server');
    dirs.push(dirname(path));
    const { r, report } = await certify(['--cluster', '2', '--only', 'pusher/cluster/1', ...QUICK_AGENTS], { PATH: path });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(report.verdict).toBe('certified');
    expect(report.hub.nodes).toHaveLength(1);
    expect(report.slos.map((s) => `${s.id}:${s.status}`)).toEqual([
      'agents/p99Ms:held',
      'agents/minReach:held',
      'agents/maxPublishErrors:held',
      'agents/conflictP99Ms:held',
    ]);
    expect(report.notCovered).toEqual([
      expect.stringMatching(
        /^pusher\/cluster\/1 \(MUST\) skipped: needs a cluster target \(2 or more nodes\); --cluster 2 ran one node: needs redis-server: redis-server is not on PATH; install it: apt-get install redis-server$/,
      ),
    ]);
    expect(r.stderr).toMatch(/hubproof: --cluster 2 ran one node: .*apt-get install redis-server/);
    expectPublishedReport('certify', report);
  }, 120_000);
});

describe('load --engine k6 without k6', () => {
  it('exits 2 with one Error: line that says how to install k6', async () => {
    const path = pathWithout('k6');
    dirs.push(dirname(path));
    const r = await hubproof(['load', '--engine', 'k6', '--scenario', 'fanout'], { PATH: path });
    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error:'));
    expect(errors).toEqual([
      expect.stringMatching(/k6 is not on PATH; install k6 v2 or later \(brew install k6, or apt-get install k6 from Grafana's repository/),
    ]);
  }, 30_000);
});
