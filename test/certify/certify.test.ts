/**
 * `hubproof certify` end to end, as CI runs it: a child process, real hubs on loopback, the three report
 * files. The load part is one light scenario for a second, with the driver's saturation limits relaxed
 * and loose SLO bounds, because this machine is shared: these tests check the pipeline and the exit
 * codes, not the hub's speed (that is what benchmarks are for).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CertifyReport } from '../../reports/model/certify-report.ts';
import { startMutant } from '../../selftest/mutants/index.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hubproof-certify-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** One light load scenario, judged loosely; the conformance selection is narrowed per test. */
const QUICK_LOAD = [
  '--scenario',
  'agents',
  '--load-duration',
  '1',
  '--max-machine-cpu',
  '1',
  '--max-driver-cpu',
  '1',
  '--max-driver-lag',
  '1000',
];
const LOOSE_SLOS = ['--set', 'thresholds.p99Ms=2000', '--set', 'thresholds.conflictP99Ms=5000'];

function certify(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hubproof.js'), 'certify', ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: '1' },
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

/** certify.json, checked against its published JSON Schema on every read. */
const readReport = (dir: string) => {
  const report = JSON.parse(readFileSync(join(dir, 'certify.json'), 'utf8')) as CertifyReport;
  expectPublishedReport('certify', report);
  return report;
};

/** Every element opened is closed, in order (no XML parser in the dependencies; this catches truncation and bad nesting). */
function expectBalancedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w-]*)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
}

describe('hubproof certify', () => {
  it('certifies the embedded reference hub and writes certify.json, junit.xml and index.html', async () => {
    const out = tmp();
    const r = await certify([
      '--out',
      out,
      '--only',
      'pusher/connection',
      '--only',
      'sync/ordering/2',
      '--seed',
      '7',
      ...QUICK_LOAD,
      ...LOOSE_SLOS,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/certify: CERTIFIED/);

    const report = readReport(out);
    expect(report).toMatchObject({
      format: 'hubproof-certify/1',
      verdict: 'certified',
      exitCode: 0,
      reasons: [],
      notCovered: [],
      seeds: { conformance: 7 },
    });
    expect(report.hub).toMatchObject({ name: 'hubproof-reference', embedded: true });
    expect(report.hub.info?.spec_version).toBeTruthy();
    expect(report.harness.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.requirements.map((q) => q.id)).toContain('sync/ordering/2');
    expect(report.requirements.filter((q) => q.level === 'MUST').every((q) => q.outcome === 'pass')).toBe(true);
    expect(report.slos.map((s) => s.id)).toEqual(['agents/p99Ms', 'agents/minReach', 'agents/maxPublishErrors', 'agents/conflictP99Ms']);
    expect(report.slos.every((s) => s.status === 'held' && typeof s.actual === 'number')).toBe(true);
    expect(report.durationsMs.total).toBeGreaterThanOrEqual(report.durationsMs.conformance + report.durationsMs.load - 5);

    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expectBalancedXml(junit);
    expect(junit).toContain('<testsuite name="pusher/connection"');
    expect(junit).toContain('<testsuite name="sync/ordering"');
    expect(junit).toMatch(/<testsuite name="slo" tests="4" failures="0"/);

    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('CERTIFIED');
    expect(page).toContain('id="certify-matrix"');
    expect(page).toContain('<svg'); // the load charts
    expect(page).toContain('id="requirements"'); // the conformance report, embedded
  }, 120_000);

  it('exits 2 with the zod path of an invalid target file, and writes nothing', async () => {
    const dir = tmp();
    const target = join(dir, 'target.json');
    writeFileSync(
      target,
      JSON.stringify({
        name: 'x',
        profiles: ['pusher'],
        nodes: [{ ws: 'http://127.0.0.1:1', http: 'http://127.0.0.1:1' }],
        app: { id: '1', key: 'k', secret: 's' },
      }),
    );
    const r = await certify(['--target', target, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/nodes\.0\.ws: must be a ws or wss URL/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  }, 30_000);

  it('exits 1 and names the requirement when a MUST fails (a hub that accepts forged signatures)', async () => {
    const dir = tmp();
    const mutant = await startMutant('accept-forged-auth');
    try {
      const target = join(dir, 'target.json');
      writeFileSync(target, JSON.stringify(mutant.target));
      const r = await certify([
        '--target',
        target,
        '--out',
        join(dir, 'out'),
        '--only',
        'pusher/auth/4',
        '--only',
        'pusher/auth/1',
        ...QUICK_LOAD,
        ...LOOSE_SLOS,
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/pusher\/auth\/4 \(MUST\) failed/);
      const report = readReport(join(dir, 'out'));
      expect(report.verdict).toBe('not-certified');
      expect(report.hub.embedded).toBe(false);
      expect(report.requirements.find((q) => q.id === 'pusher/auth/4')).toMatchObject({
        outcome: 'fail',
        replay: expect.stringContaining(`--target ${target}`),
      });
      expect(report.requirements.find((q) => q.id === 'pusher/auth/1')?.outcome).toBe('pass');
      expect(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8')).toMatch(/<testcase name="pusher\/auth\/4#1"[^>]*>\s*<failure /);
    } finally {
      await mutant.close();
    }
  }, 120_000);

  it('exits 1 when an SLO is breached although every MUST passed', async () => {
    const out = tmp();
    // No hub delivers in under a microsecond: the propagation SLO is breached, deterministically.
    const r = await certify([
      '--out',
      out,
      '--only',
      'pusher/connection/1',
      ...QUICK_LOAD,
      '--set',
      'thresholds.p99Ms=0.001',
      '--set',
      'thresholds.conflictP99Ms=5000',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const report = readReport(out);
    expect(report.summary.must).toMatchObject({ failed: 0 });
    // A latency breach counts once a second window repeats it; at 0.001 ms it always does.
    expect(report.slos.find((s) => s.id === 'agents/p99Ms')).toMatchObject({
      status: 'breached',
      limit: 0.001,
      secondWindow: { status: 'breached' },
      note: expect.stringMatching(/^confirmed: \d+(\.\d+)? ms, then \d+(\.\d+)? ms in a second window/),
    });
    expect(report.reasons.some((x) => x.startsWith('SLO agents/p99Ms breached'))).toBe(true);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="slo" tests="4" failures="1"/);
  }, 120_000);
});
