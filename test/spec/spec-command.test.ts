/** `hubproof spec`, run as a user runs it: a real process through bin/hubproof.js. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, selectRequirements } from '../../spec/requirements/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function hubproof(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/hubproof.js', ...args], { cwd: ROOT, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('hubproof spec', () => {
  it('prints the selected requirements grouped by section', async () => {
    const { code, stdout, stderr } = await hubproof(['spec', 'pusher/presence', 'sync/ordering']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^pusher\/presence {2}\d+ requirements/m);
    expect(stdout).toMatch(/^sync\/ordering {2}\d+ requirements/m);
    for (const r of selectRequirements(['pusher/presence', 'sync/ordering'])) {
      expect(stdout).toContain(r.id);
      expect(stdout).toContain(r.text);
    }
    expect(stdout).not.toContain('pusher/connection/1');
  });

  it('prints the whole registry as a JSON array with --json, filtered by --level', async () => {
    const { code, stdout } = await hubproof(['spec', '--json', '--level', 'SHOULD']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Array<{ id: string; level: string }>;
    expect(parsed.map((r) => r.id)).toEqual(REQUIREMENTS.filter((r) => r.level === 'SHOULD').map((r) => r.id));
    expect(parsed.length).toBeGreaterThan(0);
  });

  it('exits 2 with one Error line for a selector that matches nothing', async () => {
    const { code, stdout, stderr } = await hubproof(['spec', 'pusher', 'pusher/nope']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Error: selector "pusher\/nope" matches no requirement; list them with hubproof spec/);
  });

  it('exits 2 with one Error line for an unknown flag and for a bad level', async () => {
    for (const args of [['spec', '--bogus'], ['spec', '--level', 'OFTEN']]) {
      const { code, stdout, stderr } = await hubproof(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(/^Error: /);
    }
  });
});
