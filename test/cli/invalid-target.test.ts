/** Every command that reads a target file (or the hub's config) exits 2 with one Error: line naming the bad field. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'hubproof-cli-'));
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
const config = join(dir, 'hub.json');
writeFileSync(config, JSON.stringify({ limits: { maxParticipants: -1 } }));

function hubproof(...args: string[]) {
  return spawnSync(process.execPath, ['bin/hubproof.js', ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('invalid input on the command line', () => {
  it.each(['conform', 'load', 'certify'])('%s --target with a bad field exits 2 naming nodes.0.ws', (command) => {
    const r = hubproof(command, '--target', target);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: .*nodes\.0\.ws: must be a ws or wss URL/);
  });

  it('hub --config with a bad field exits 2 naming limits.maxParticipants', () => {
    const r = hubproof('hub', '--port', '0', '--config', config);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^Error: .*limits\.maxParticipants/);
  });

  it('an unknown command exits 2 and points at --help', () => {
    const r = hubproof('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^Error: unknown command "frobnicate".*--help/);
  });
});
