/**
 * `hubproof client` on the command line: the case list, usage errors with one Error: line (exit 2), and a
 * run against a broken client (a mutant driver command) that fails with Expected/Actual and a replay
 * naming the same driver, writes the JSON, JUnit and HTML reports, and becomes expected-fail with --expect.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PONG_TIMEOUT_MS } from '../../conformance/client/cases/helpers.ts';
import { SCRIPTED_ACTIVITY_TIMEOUT_S } from '../../conformance/client/scripted-hub/scripted-hub.ts';
import { publishedSchemaErrors } from '../helpers/published-schema.ts';
import { runCli } from '../helpers/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hubproof-client-cli-'));
const MUTANT = `"${process.execPath}" "${join(ROOT, 'selftest/client-mutants/mutant-driver.mjs')}" --mutant decodes-twice`;

function hubproof(...args: string[]) {
  return spawnSync(process.execPath, ['bin/hubproof.js', 'client', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}
/** The same, without blocking the worker (the run spawns drivers and serves a hub). */
const hubproofAsync = (...args: string[]) => runCli(['client', ...args]);

describe('hubproof client', () => {
  it('lists the cases with --dry-run', () => {
    const r = hubproof('--dry-run', 'pusher-client/reconnect');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^pusher-client\/reconnect\/1#1\tMUST\tCloses the connection with 4001/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('6 case(s)');
  });

  it('exits 2 with one Error: line for a selector matching no client rule, a driver that does not speak the protocol, and --client-path with a command', () => {
    for (const [args, message] of [
      [['pusher/subscribe'], /^Error: selector "pusher\/subscribe" matches no client requirement/],
      [
        ['--driver', `"${process.execPath}" -e "console.log('hi')"`, 'pusher-client/events'],
        /^Error: the driver .* before saying hello; its first line was not JSON: hi.*\[HUBPROOF_ERR_DRIVER\]$/,
      ],
      [['--driver', './my-driver', '--client-path', dir], /^Error: --client-path works with the shipped drivers/],
    ] as const) {
      const r = hubproof(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
  });

  it('fails a broken client with Expected/Actual and a replay naming its driver, and writes JSON, JUnit and HTML', async () => {
    const json = join(dir, 'report.json');
    const junit = join(dir, 'junit.xml');
    const r = await hubproofAsync(
      'pusher-client/events',
      '--driver',
      MUTANT,
      '--json',
      json,
      '--junit',
      junit,
      '--html',
      join(dir, 'html'),
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/FAIL pusher-client\/events\/1#1/);
    expect(r.stderr).toContain('Expected: "{\\"a\\":1}"\n  Actual:   {"a":1}');
    expect(r.stderr).toContain(`Replay:   npx hubproof client pusher-client/events/1#1 --driver ${JSON.stringify(MUTANT)}`);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      client: { library: string };
      hub?: unknown;
      timings: { activityTimeoutS: number; pongTimeoutMs: number };
      results: Array<{ outcome: string }>;
    };
    expect(report.client.library).toBe('pusher-js');
    // The scripted Pusher hub answers no GET /api/hub; its timings are its activity_timeout and the pong timeout asked of the driver.
    expect(report.hub).toBeUndefined();
    expect(report.timings).toMatchObject({ activityTimeoutS: SCRIPTED_ACTIVITY_TIMEOUT_S, pongTimeoutMs: PONG_TIMEOUT_MS });
    expect(report.results[0]!.outcome).toBe('fail');
    // The conformance report's schema, with the client named and the rule ids of the pusher-client profile.
    expect(publishedSchemaErrors('conformance', report)).toEqual([]);
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure /);
    expect(readFileSync(join(dir, 'html', 'index.html'), 'utf8')).toMatch(/Client <b>pusher-js .* against hubproof’s scripted hub ·/);
  }, 40_000);

  it('reads a known-deviations file of client ids: a listed failure is expected-fail and exits 0', async () => {
    const known = join(dir, 'known.json');
    writeFileSync(known, JSON.stringify({ 'pusher-client/events/1': { reason: 'decodes twice on purpose' } }));
    const r = await hubproofAsync('pusher-client/events', '--driver', MUTANT, '--expect', known);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/XFAIL pusher-client\/events\/1#1/);
    writeFileSync(known, JSON.stringify({ 'pusher/subscribe/1': { reason: 'a hub rule' } }));
    const bad = hubproof('pusher-client/events', '--expect', known);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^Error: known-deviations file .*entry "pusher\/subscribe\/1": no such requirement/);
  }, 40_000);
});
