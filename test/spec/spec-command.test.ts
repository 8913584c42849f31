/** `hubproof spec`, run as a user runs it: a real process through bin/hubproof.js. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOT_IMPLEMENTED_BY_HUB } from '../../spec/requirements/implemented-by.ts';
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

  it("prints each rule's source, basis and dependencies with --why, and keeps them in --json", async () => {
    const { code, stdout } = await hubproof(['spec', '--why', 'pusher/heartbeat/3', 'pusher/http-auth/4']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/pusher\/heartbeat\/3 +SHOULD +A hub SHOULD ping/);
    expect(stdout).toMatch(
      /^ +source: https:\/\/pusher\.com\/docs\/channels\/library_auth_reference\/pusher-websockets-protocol\/#ping-and-pong-messages$/m,
    );
    expect(stdout).toMatch(/^ +revised: Was a MUST/m);
    expect(stdout).toMatch(/^ +needs: +pusher\/connection\/3, pusher\/subscribe\/1$/m);
    expect(stdout).toMatch(/^ +quote: +"The server will only accept requests where the timestamp is within 600s of the current time"$/m);
    const plain = await hubproof(['spec', 'pusher/heartbeat/3']);
    expect(plain.stdout).not.toContain('source:');
    const json = JSON.parse((await hubproof(['spec', '--json', 'pusher/heartbeat/4'])).stdout) as Array<{
      basis: object;
      dependsOn: string[];
      source: string;
    }>;
    expect(json[0]).toMatchObject({ dependsOn: ['pusher/heartbeat/3'], basis: { derived: expect.stringContaining('4201') } });
  });

  it('prints with --why where the reference hub implements each rule, as file:line of its annotation', async () => {
    const [exempt, reason] = Object.entries(NOT_IMPLEMENTED_BY_HUB)[0]!;
    const { code, stdout } = await hubproof(['spec', '--why', 'sync/delivery/2', exempt]);
    expect(code).toBe(0);
    const delivery = stdout.slice(stdout.indexOf('sync/delivery/2 '));
    const sites = [...delivery.matchAll(/^ +(?:hub: +)?(reference-server\/\S+\.ts):(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(delivery).toMatch(/^ +hub: +reference-server\//m);
    expect(sites.length).toBeGreaterThan(0);
    for (const [file, line] of sites) {
      const text = readFileSync(join(ROOT, file), 'utf8').split('\n')[line - 1];
      expect(text, `${file}:${line}`).toMatch(/^\s*\/\/ implements: .*\bsync\/delivery\/2\b/);
    }
    expect(stdout).toContain(`hub:    none — ${reason}`);
  });

  it('exits 2 with one Error line for a selector that matches nothing', async () => {
    const { code, stdout, stderr } = await hubproof(['spec', 'pusher', 'pusher/nope']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Error: selector "pusher\/nope" matches no requirement; list them with hubproof spec/);
  });

  it('exits 2 with one Error line for an unknown flag and for a bad level', async () => {
    for (const args of [
      ['spec', '--bogus'],
      ['spec', '--level', 'OFTEN'],
    ]) {
      const { code, stdout, stderr } = await hubproof(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(/^Error: /);
    }
  });
});
