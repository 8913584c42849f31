/**
 * `hubproof client` for agents: --profile sync-client (or sync-client/ selectors) lists and runs the
 * agent cases with the reference agent by default; mixing profiles or a driver of the other protocol is
 * one Error: line (exit 2); a broken agent fails with a replay naming its driver.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SYNC_ACTIVITY_TIMEOUT_S } from '../../conformance/client/sync-api/sync-stream.ts';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '../../conformance/client/sync-api/sync-routes.ts';
import { publishedSchemaErrors } from '../helpers/published-schema.ts';
import { runCli } from '../helpers/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MUTANT = `"${process.execPath}" "${join(ROOT, 'selftest/client-mutants/agent-mutants.mjs')}" --mutant no-catch-up`;

function hubproof(...args: string[]) {
  return spawnSync(process.execPath, ['bin/hubproof.js', 'client', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}
const hubproofAsync = (...args: string[]) => runCli(['client', ...args]);

describe('hubproof client --profile sync-client', () => {
  it('lists the agent cases with --dry-run', () => {
    const r = hubproof('--dry-run', '--profile', 'sync-client');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sync-client\/backoff\/1#2\tMUST\tDrops the joined agent’s event stream/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('10 case(s)');
  });

  it('exits 2 with one Error: line for mixed profiles and for a Pusher client driver run on agents', () => {
    for (const [args, message] of [
      [
        ['sync-client/backoff', 'pusher-client/events'],
        /^Error: selectors name sync-client and pusher-client: run one client profile at a time/,
      ],
      [['--profile', 'sync-client', '--driver', 'pusher-js'], /^Error: driver pusher-js does not speak the agent driver protocol/],
      [['pusher-client/events', '--driver', 'reference-agent'], /^Error: driver reference-agent does not speak the client driver protocol/],
      [['--profile', 'sync'], /^Error: --profile sync is not a client profile/],
    ] as const) {
      const r = hubproof(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
  });

  it('fails an agent that does not catch up, with Expected/Actual and a replay naming its driver, and reports what the scripted API advertised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubproof-sync-client-cli-'));
    const json = join(dir, 'report.json');
    const r = await hubproofAsync('sync-client/catch-up', '--driver', MUTANT, '--json', json, '--html', join(dir, 'html'));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/FAIL sync-client\/catch-up\/1#1/);
    expect(r.stderr).toMatch(/Actual: +seqs 2, 5; history read after the drop: none/);
    expect(r.stderr).toContain(`Replay:   npx hubproof client sync-client/catch-up/1#1 --driver ${JSON.stringify(MUTANT)}`);
    // The report's hub is the scripted sync API and its timings what that API advertised to the agent,
    // not the Pusher scripted hub's.
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      hub: { name: string; timings: { heartbeat_interval_ms: number } };
      timings: { activityTimeoutS: number; heartbeatTimeoutMs: number };
    };
    expect(publishedSchemaErrors('conformance', report)).toEqual([]);
    expect(report.hub.timings.heartbeat_interval_ms).toBe(DEFAULT_HEARTBEAT_INTERVAL_MS);
    expect(report.timings).toMatchObject({
      activityTimeoutS: SYNC_ACTIVITY_TIMEOUT_S,
      heartbeatTimeoutMs: DEFAULT_HEARTBEAT_INTERVAL_MS * 4,
    });
    expect(readFileSync(join(dir, 'html', 'index.html'), 'utf8')).toContain(
      `against ${report.hub.name}, which advertised a heartbeat every ${DEFAULT_HEARTBEAT_INTERVAL_MS} ms and activity_timeout ${SYNC_ACTIVITY_TIMEOUT_S} s`,
    );
  }, 30_000);
});
