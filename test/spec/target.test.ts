/** Target files: a bad one is a harness error (exit 2) whose message names the offending field. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HubproofError } from '../../spec/errors.ts';
import { loadTargetFile, parseTarget } from '../../spec/target.ts';

const dir = mkdtempSync(join(tmpdir(), 'hubproof-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VALID = {
  name: 'local',
  profiles: ['pusher', 'sync'],
  nodes: [{ ws: 'ws://127.0.0.1:6001', http: 'http://127.0.0.1:6001' }],
  app: { id: '1', key: 'k', secret: 's' },
  agents: [{ identifier: 'a', token: 't', projects: [1] }],
};

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errorOf(fn: () => unknown): HubproofError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HubproofError) return err;
    throw err;
  }
  throw new Error('expected a HubproofError');
}

describe('target file', () => {
  it('loads a valid file and fills defaults', () => {
    const t = loadTargetFile(write('ok.json', JSON.stringify({ ...VALID, agents: [{ identifier: 'a', token: 't' }] })));
    expect(t.nodes).toHaveLength(1);
    expect(t.agents[0]!.projects).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a node with an http URL as ws', { ...VALID, nodes: [{ ws: 'http://127.0.0.1:1', http: 'http://127.0.0.1:1' }] }, 'nodes.0.ws'],
    ['a node without http', { ...VALID, nodes: [{ ws: 'ws://127.0.0.1:1' }] }, 'nodes.0.http'],
    ['an unknown profile', { ...VALID, profiles: ['pusher', 'mqtt'] }, 'profiles.1'],
    ['no nodes', { ...VALID, nodes: [] }, 'nodes'],
    ['an app without secret', { ...VALID, app: { id: '1', key: 'k' } }, 'app.secret'],
    ['an unknown top-level field', { ...VALID, extra: true }, '(root)'],
    ['sync without agents', { ...VALID, agents: [] }, 'agents'],
    ['a negative project id', { ...VALID, agents: [{ identifier: 'a', token: 't', projects: [-1] }] }, 'agents.0.projects.0'],
    ['a string pong timeout', { ...VALID, timings: { pong_timeout_ms: '5' } }, 'timings.pong_timeout_ms'],
  ])('rejects %s naming %s', (_label, value, path) => {
    const file = write('bad.json', JSON.stringify(value));
    const err = errorOf(() => loadTargetFile(file));
    expect(err.code).toBe('HUBPROOF_ERR_TARGET_INVALID');
    expect(err.message).toContain(`invalid at ${path}:`);
    expect(err.message).toContain(file);
  });

  it('rejects a file that is not JSON with HUBPROOF_ERR_TARGET_INVALID', () => {
    const err = errorOf(() => loadTargetFile(write('broken.json', '{"name": ')));
    expect(err.code).toBe('HUBPROOF_ERR_TARGET_INVALID');
    expect(err.message).toMatch(/not JSON/);
  });

  it('reports a missing file as HUBPROOF_ERR_TARGET_UNREADABLE', () => {
    const err = errorOf(() => loadTargetFile(join(dir, 'nope.json')));
    expect(err.code).toBe('HUBPROOF_ERR_TARGET_UNREADABLE');
    expect(err.message).toContain('ENOENT');
  });

  it('names the source given to parseTarget and counts further issues', () => {
    const err = errorOf(() => parseTarget({ name: '', profiles: [], nodes: [], app: {} }, 'inline target'));
    expect(err.code).toBe('HUBPROOF_ERR_TARGET_INVALID');
    expect(err.message).toMatch(/^inline target is invalid at name: .+ \(\+\d+ more\)$/);
  });

  it('keeps notes for a person under _todo (field path → why), and still refuses other unknown fields', () => {
    const notes = { 'restart.command': 'how to restart the hub', 'process.pid': 'the hub process id' };
    expect(parseTarget({ ...VALID, _todo: notes })._todo).toEqual(notes);
    expect(errorOf(() => parseTarget({ ...VALID, _todo: { 'restart.command': 1 } })).message).toMatch(/_todo\.restart\.command/);
    expect(errorOf(() => parseTarget({ ...VALID, todo: notes })).message).toMatch(/Unrecognized key: "todo"/);
  });
});
