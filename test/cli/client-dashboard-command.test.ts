/**
 * `hubproof client --driver dashboard` on the command line: the case list, usage errors with one Error:
 * line (exit 2), the run without Chromium (not covered, exit 0), and a broken hub page given by
 * --client-url (a tiny server serving the reference page with one script patched) that fails with
 * Expected/Actual and a replay naming the same URL, writes the reports, and is expected-fail with --expect.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_DASHBOARD_DIR } from '../../cli/reference-dashboard.ts';
import { chromiumUnavailable } from '../../load/browser/chromium.ts';
import { DASHBOARD_MUTANTS, mutantTransform } from '../../selftest/dashboard-mutants/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hubproof-dashboard-cli-'));

function hubproof(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['bin/hubproof.js', 'client', '--driver', 'dashboard', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
}
const hubproofAsync = (args: string[]) => runCli(['client', '--driver', 'dashboard', ...args]);

/** The reference page with the applies-any-type patch, at /board on a server of its own. */
let broken: Server;
let brokenUrl = '';
beforeAll(async () => {
  const patch = mutantTransform(DASHBOARD_MUTANTS.find((m) => m.name === 'applies-any-type')!);
  broken = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const name = path === '/board' ? 'index.html' : path.replace(/^\/board\//, '');
    try {
      const body = readFileSync(join(REFERENCE_DASHBOARD_DIR, name), 'utf8').replaceAll('dashboard/', 'board/');
      res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(patch(path, body) ?? body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/board`;
});
afterAll(() => broken?.close());

describe('hubproof client --driver dashboard', () => {
  it('lists the presence-client cases with --dry-run', () => {
    const r = hubproof(['--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^presence-client\/catch-up\/2#1\tMUST\tDrops the stream once the page shows two agents/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('8 case(s)');
  });

  it('exits 2 with one Error: line for a Pusher selector, --client-path, a bad --client-url, and --client-url without the dashboard', () => {
    for (const [args, message] of [
      [
        ['pusher-client/events'],
        /^Error: selector "pusher-client\/events" matches no client requirement; list them with `hubproof spec presence-client`/,
      ],
      [['--client-path', dir], /^Error: --client-path is for pusher-js and laravel-echo/],
      [['--client-url', 'dashboard'], /^Error: --client-url dashboard is not a URL/],
      [['--client-url', 'http://127.0.0.1:9/dashboard'], /^Error: the dashboard page http:\/\/127\.0\.0\.1:9\/dashboard cannot be fetched/],
    ] as const) {
      const r = hubproof([...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
    const r = spawnSync(process.execPath, ['bin/hubproof.js', 'client', '--client-url', brokenUrl], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^Error: --client-url works with --driver dashboard/);
  });

  it('reports every case not covered, with the install command, and exits 0 without Chromium', () => {
    const r = hubproof(['presence-client/refusal'], { HUBPROOF_CHROMIUM: '/nonexistent/chromium', CI: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^not covered: needs Chromium: HUBPROOF_CHROMIUM=\/nonexistent\/chromium does not exist; install it: apt-get install chromium$/m,
    );
    expect(r.stderr).toMatch(/conformance: 0 passed, 0 failed, 2 skipped/);
  });

  it.skipIf(chromiumUnavailable())(
    'fails a broken page given by URL with Expected/Actual and a replay naming the URL, writes the reports, and is expected-fail with --expect',
    async () => {
      const json = join(dir, 'report.json');
      const junit = join(dir, 'junit.xml');
      const r = await hubproofAsync([
        'presence-client/robustness/1',
        '--client-url',
        brokenUrl,
        '--json',
        json,
        '--junit',
        junit,
        '--html',
        join(dir, 'html'),
      ]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/FAIL presence-client\/robustness\/1#1/);
      expect(r.stderr).toMatch(/Actual: +.*ghost-9/);
      expect(r.stderr).toContain(
        `Replay:   npx hubproof client presence-client/robustness/1#1 --driver dashboard --client-url ${brokenUrl}`,
      );
      const report = JSON.parse(readFileSync(json, 'utf8')) as { client: { driver: string }; results: Array<{ outcome: string }> };
      expect(report.client.driver).toBe('dashboard');
      expect(report.results[0]!.outcome).toBe('fail');
      expect(readFileSync(junit, 'utf8')).toMatch(/<failure /);
      expect(readFileSync(join(dir, 'html', 'index.html'), 'utf8')).toMatch(/driver dashboard/);

      const known = join(dir, 'known.json');
      writeFileSync(known, JSON.stringify({ 'presence-client/robustness/1': { reason: 'shows every message with a presence' } }));
      const x = await hubproofAsync(['presence-client/robustness/1', '--client-url', brokenUrl, '--expect', known]);
      expect(x.status, x.stderr).toBe(0);
      expect(x.stderr).toMatch(/XFAIL presence-client\/robustness\/1#1/);
    },
    60_000,
  );
});
