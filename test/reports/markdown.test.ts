/**
 * `--markdown FILE` of certify, conform and load, checked against the JSON report of the same run: every
 * failed requirement appears with its replay command, under its root cause; every SLO appears with its
 * status; what was not covered is listed. The runs are real CLI runs against a hub that answers HTTP API
 * errors with status 200 (one root cause, many failures); the load part is one light scenario with a
 * propagation bound no hub meets, so an SLO is breached deterministically.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../load/report-types.ts';
import type { CertifyReport } from '../../reports/model/certify-report.ts';
import type { RunReport } from '../../reports/model/run-report.ts';
import { cell } from '../../reports/markdown.ts';
import { startMutant, type RunningMutant } from '../../selftest/mutants/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hubproof-markdown-'));
let mutant: RunningMutant;
let target: string;

beforeAll(async () => {
  mutant = await startMutant('http-errors-as-200');
  target = join(dir, 'target.json');
  writeFileSync(target, JSON.stringify(mutant.target));
}, 60_000);
afterAll(async () => {
  await mutant?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SELECT = ['pusher/http-auth/2', 'pusher/http-auth/3', 'pusher/http-api/2', 'pusher/http-auth/1'];
const LOAD = ['--load-duration', '1', '--max-machine-cpu', '1', '--max-driver-cpu', '1', '--max-driver-lag', '1000'];
const BREACH = ['--set', 'thresholds.p99Ms=0.001', '--set', 'thresholds.conflictP99Ms=5000'];

function hubproof(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hubproof.js'), ...args], { cwd: ROOT, env: { ...process.env, CI: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The Markdown section under `### heading…` up to the next heading. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n### ${heading}`);
  if (start < 0) return '';
  const end = md.indexOf('\n### ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

describe('--markdown', () => {
  it('certify: the verdict, every failed requirement with its replay under its root cause, every SLO, as in certify.json', async () => {
    const out = join(dir, 'certify');
    const md = join(dir, 'certify.md');
    const r = await hubproof([
      'certify',
      '--target',
      target,
      '--out',
      out,
      '--markdown',
      md,
      ...SELECT.flatMap((s) => ['--only', s]),
      '--scenario',
      'agents',
      ...LOAD,
      ...BREACH,
    ]);
    expect(r.code, r.out).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'certify.json'), 'utf8')) as CertifyReport;
    const text = readFileSync(md, 'utf8');
    expect(text.split('\n')[0]).toBe(`## hubproof certify: ❌ NOT-CERTIFIED — ${report.hub.name}`);

    const failed = report.requirements.filter((q) => q.outcome === 'fail');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(report.groups.length).toBeGreaterThanOrEqual(1);
    for (const g of report.groups) {
      const s = section(text, `Root cause: ${cell(g.cause)}`);
      expect(s, g.cause).not.toBe('');
      for (const q of failed.filter((q) => q.cases.some((c) => g.cases.includes(c)))) {
        expect(s).toContain(`| \`${q.id}\` (MUST) | fail |`);
        expect(s).toContain(`\`${q.replay!}\``);
      }
    }
    for (const q of failed) expect(text).toContain(`\`${q.replay!}\``);
    for (const reason of report.reasons) expect(section(text, 'Why not certified')).toContain(cell(reason));
    const slos = section(text, 'SLOs');
    expect(report.slos.length).toBe(4);
    for (const s of report.slos) expect(slos).toMatch(new RegExp(`\\| \`${s.id}\` \\|.*\\| (✅|❌|⚠️) ${s.status}`));
    expect(slos).toContain('| `agents/p99Ms` |');
    expect(slos).toMatch(/agents\/p99Ms.*❌ breached/);
  }, 120_000);

  it('conform: every failed row of the JSON report with its replay, grouped by root cause', async () => {
    const json = join(dir, 'conform.json');
    const md = join(dir, 'conform.md');
    const r = await hubproof(['conform', '--target', target, ...SELECT, '--json', json, '--markdown', md]);
    expect(r.code, r.out).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    const text = readFileSync(md, 'utf8');
    expect(text.split('\n')[0]).toBe('## hubproof conform: ❌ FAIL — mutant http-errors-as-200');
    const failed = report.results.filter((x) => x.outcome === 'fail');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    for (const x of failed) {
      const g = report.groups.find((g) => g.cases.includes(x.id));
      const where = g ? section(text, `Root cause: ${cell(g.cause)}`) : section(text, 'Failures');
      expect(where, x.id).toContain(`| \`${x.id}\` (MUST) | fail | ${cell(x.reason!)} | \`${x.replay!}\` |`);
    }
    expect(text).not.toContain('pusher/http-auth/1#1'); // it passed
  }, 60_000);

  it('load: the verdict, each threshold with its status and the breaches, as in the JSON report', async () => {
    const json = join(dir, 'load.json');
    const md = join(dir, 'load.md');
    const r = await hubproof([
      'load',
      '--target',
      target,
      '--scenario',
      'agents',
      '--duration',
      '1',
      '--quiet',
      '--json',
      json,
      '--markdown',
      md,
      ...LOAD.slice(2),
      ...BREACH,
    ]);
    expect(r.code, r.out).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as LoadReport;
    const text = readFileSync(md, 'utf8');
    expect(text.split('\n')[0]).toBe('## hubproof load: ❌ FAIL — mutant http-errors-as-200');
    for (const b of report.breaches) expect(section(text, 'Breached')).toContain(cell(b));
    for (const s of report.scenarios)
      for (const t of s.thresholds)
        expect(section(text, 'SLOs')).toMatch(new RegExp(`\\| \`${s.name}/${t.name}\` \\|.*${t.ok ? '✅ held' : '❌ breached'}`));
  }, 60_000);

  it('keeps a table cell on one line and its pipes escaped', () => {
    expect(cell('a | b\nc <d>')).toBe('a \\| b c &lt;d&gt;');
  });
});
