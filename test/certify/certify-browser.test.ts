/**
 * certify's browser part: against the embedded reference hub (which claims agent-presence) it runs the
 * browser scenario at the size `hubproof load` gives it on this machine (load/browser/browser-size.ts:
 * one Chromium page at 250 updates/s on 2 cores) and shows its SLOs beside the others. The machine is
 * shared (this file runs beside others), so the SLO bound is loose (2 s) and the driver's limits relaxed:
 * the pipeline is under test, not this machine's speed. Without Chromium it is skipped, with the reason (see
 * test/load/browser/browser-scenario.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CERTIFY_SCENARIOS } from '../../certify/run-certify.ts';
import { browserSize } from '../../load/browser/browser-size.ts';
import { chromiumUnavailable } from '../../load/browser/chromium.ts';
import { findScenario } from '../../load/scenarios/index.ts';
import type { CertifyReport } from '../../reports/model/certify-report.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hubproof-certify-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const full = findScenario('browser');
const size = browserSize(availableParallelism(), { pages: full.channels * full.subscribersPerChannel, rate: full.rate });

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

describe('hubproof certify, browser part', () => {
  it("is one of certify's load scenarios by default", () => {
    expect(CERTIFY_SCENARIOS.split(',')).toContain('browser');
  });

  it.skipIf(chromiumUnavailable())(
    `runs the browser scenario at this machine's size (${size.pages} page(s) at ${size.rate} updates/s) and lists its SLOs`,
    async () => {
      const out = join(dir, 'out');
      const relaxed = ['--max-machine-cpu', '1', '--max-driver-cpu', '1', '--max-driver-lag', '5000'];
      const r = await certify([
        '--out',
        out,
        '--only',
        'agent-presence/stream/1',
        '--scenario',
        'browser',
        '--load-duration',
        '1',
        '--set',
        'browser:thresholds.p99Ms=2000',
        ...relaxed,
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'certify.json'), 'utf8')) as CertifyReport;
      expect(report.load.skipped).toEqual([]);
      expect(report.slos.map((s) => `${s.id}:${s.status}`)).toEqual(['browser/p99Ms:held', 'browser/minReach:held']);
      // The certificate embeds the load report: the machine's size, end to end plotted beside the wire.
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).toContain(`target ${size.rate}/s`);
      expect(html).toContain(`${size.pages} measuring page(s)`);
      expect(html).toContain('wire (driver subscriber)');
    },
    120_000,
  );
});
