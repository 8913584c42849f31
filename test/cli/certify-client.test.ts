/**
 * `hubproof certify --client`: a client library gets the certificate hubs get. Against a mutant client
 * (pusher-js reconnecting after 4001) it is NOT-CERTIFIED naming that one rule, with certify.json valid
 * under the published schema 1.2 (`client` set, no SLO), junit.xml without an `slo` suite and index.html
 * naming the client; with that rule listed in --expect it is CONFORMANT WITH 1 KNOWN DEVIATION; real
 * pusher-js on the same rules is CERTIFIED; the reference agent implies its profile. Flags of the other
 * kind of certificate exit 2 before anything starts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run as certifyCommand } from '../../cli/certify-command.ts';
import type { CertifyReport } from '../../reports/model/certify-report.ts';
import { publishedSchemaErrors } from '../helpers/published-schema.ts';
import { runCli } from '../helpers/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hubproof-certify-client-'));
const MUTANT = `"${process.execPath}" "${join(ROOT, 'selftest/client-mutants/mutant-driver.mjs')}" --mutant reconnects-after-4001`;
/** The rule the mutant breaks, and one it keeps (so the certificate has a passing row beside the failure). */
const SELECTORS = ['pusher-client/reconnect/1', 'pusher-client/connection'];

const certify = (...args: string[]) => runCli(['certify', ...args]);

const readReport = (out: string) => JSON.parse(readFileSync(join(out, 'certify.json'), 'utf8')) as CertifyReport;

describe('hubproof certify --client', () => {
  it.concurrent(
    'certifies nothing a mutant client breaks: NOT-CERTIFIED on its one rule, in all three files',
    async () => {
      const out = join(dir, 'mutant');
      const r = await certify('--client', MUTANT, ...SELECTORS, '--out', out, '--markdown', join(out, 'summary.md'));
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toMatch(
        /^certify: NOT-CERTIFIED — pusher-js \S+ \(driver .*mutant-driver\.mjs.*, profile pusher-client\): \d+\/\d+ MUST passed/m,
      );
      expect(r.stdout).not.toMatch(/SLOs held/);
      const report = readReport(out);
      expect(publishedSchemaErrors('certify', report)).toEqual([]);
      expect(report.schemaVersion).toBe('1.2');
      expect(report.client).toMatchObject({ library: 'pusher-js', driver: MUTANT, profile: 'pusher-client' });
      expect(report.reasons).toHaveLength(1);
      expect(report.reasons[0]).toMatch(/^pusher-client\/reconnect\/1 \(MUST\) failed: /);
      expect(report.summary.must.passed).toBeGreaterThan(0);
      expect(report.slos).toEqual([]);
      expect(report.requirements.find((q) => q.id === 'pusher-client/reconnect/1')?.replay).toContain(
        `npx hubproof client pusher-client/reconnect/1#1 --driver ${JSON.stringify(MUTANT)}`,
      );
      const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<failure /);
      expect(junit).not.toMatch(/<testsuite name="slo"/);
      const page = readFileSync(join(out, 'index.html'), 'utf8');
      expect(page).toMatch(/Client <b>pusher-js /);
      expect(page).toContain('id="certify-matrix"');
      expect(page).not.toMatch(/Service levels|SLOs held/);
      expect(readFileSync(join(out, 'summary.md'), 'utf8').split('\n')[0]).toMatch(/^## hubproof certify: ❌ NOT-CERTIFIED — pusher-js /);
    },
    60_000,
  );

  it.concurrent(
    'a listed known deviation makes it CONFORMANT WITH 1 KNOWN DEVIATION (exit 0), never CERTIFIED',
    async () => {
      const out = join(dir, 'expected');
      const known = join(dir, 'known.json');
      writeFileSync(known, JSON.stringify({ 'pusher-client/reconnect/1': { reason: 'reconnects after 4001 on purpose' } }));
      const r = await certify('--client', MUTANT, ...SELECTORS, '--out', out, '--expect', known);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/certify: CONFORMANT WITH 1 KNOWN DEVIATION — pusher-js/);
      expect(readReport(out).verdict).toBe('conformant-with-deviations');
    },
    60_000,
  );

  it.concurrent(
    'pusher-js as hubproof ships it is CERTIFIED on the same rules; the reference agent implies profile sync-client',
    async () => {
      const [pusher, agent] = await Promise.all([
        certify('--client', 'pusher-js', ...SELECTORS, '--out', join(dir, 'pusher-js')),
        certify('--client', 'reference-agent', 'sync-client/heartbeat', '--out', join(dir, 'agent')),
      ]);
      expect(pusher.status, pusher.stderr).toBe(0);
      expect(pusher.stdout).toMatch(/^certify: CERTIFIED — pusher-js \S+ \(driver pusher-js, profile pusher-client\)/m);
      expect(readReport(join(dir, 'pusher-js')).exitCode).toBe(0);
      expect(agent.status, agent.stderr).toBe(0);
      expect(readReport(join(dir, 'agent')).client).toMatchObject({ driver: 'reference-agent', profile: 'sync-client' });
    },
    60_000,
  );

  it.concurrent(
    'several clients: a certificate each in its own folder, and a page comparing them requirement by requirement',
    async () => {
      const out = join(dir, 'several');
      const r = await certify('--client', MUTANT, '--client', 'pusher-js', ...SELECTORS, '--out', out);
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe('certify: 2 clients, profile pusher-client');
      expect(lines[1]).toMatch(/^ {2}NOT-CERTIFIED {2}pusher-js \S+ +\d+\/\d+ MUST · .* ✗ reconnect\/1$/);
      expect(lines[2]).toMatch(/^ {2}CERTIFIED {6}pusher-js \S+ +\d+\/\d+ MUST/);
      const page = readFileSync(join(out, 'index.html'), 'utf8');
      const folders = [...page.matchAll(/<th class="client"><a href="([^"]+)\/index\.html">/g)].map((m) => m[1]!);
      expect(folders).toHaveLength(2);
      expect(folders[1]).toBe('2-pusher-js');
      const reports = folders.map((f) => readReport(join(out, f)));
      expect(reports.map((x) => x.verdict)).toEqual(['not-certified', 'certified']);
      for (const x of reports) expect(publishedSchemaErrors('certify', x)).toEqual([]);
      // The row where they differ is marked, and only that one.
      const marked = [...page.matchAll(/<tr class="differs"><td class="mono" title="[^"]*">([^<]+)<\/td>/g)].map((m) => m[1]);
      expect(marked).toEqual(['pusher-client/reconnect/1']);
    },
    60_000,
  );

  // bin/hubproof.js prints a HubproofError as one `Error:` line with exit 2 (test/cli/client-command.test.ts shows it for client runs).
  it('refuses a flag of the other kind of certificate, or a hub selector, before anything starts', async () => {
    for (const [args, message] of [
      [['--client', 'pusher-js', '--cluster', '2'], /^--cluster is for a hub's certificate; .* drop --cluster/],
      [
        ['--client', 'pusher-js', '--scenario', 'fanout', '--target', 'x.json'],
        /^--target is for a hub's certificate; .* drop --target, --scenario/,
      ],
      [['--client-path', dir], /^--client-path is for a client's certificate: give --client DRIVER/],
      [['--client', 'pusher-js', 'pusher/subscribe'], /^selector "pusher\/subscribe" matches no client requirement/],
      [
        ['--client', 'reference-agent', 'pusher-client/events'],
        /^driver reference-agent does not speak the client driver protocol of profile pusher-client/,
      ],
      [
        ['--client', 'pusher-js', '--client', 'laravel-echo', '--client-path', dir],
        /^--client-path with 2 --client values: give one --client/,
      ],
      [['--client', 'pusher-js', '--client', 'dashboard'], /^the clients speak different profiles \(pusher-client, presence-client\)/],
    ] as const) {
      await expect(certifyCommand([...args]), args.join(' ')).rejects.toThrow(message);
    }
  });
});
