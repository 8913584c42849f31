/**
 * At-least-once across a crash: the hub runs as a child process (`hubproof hub`), many todo creates
 * run concurrently, the process is SIGKILLed mid-stream, and a new hub on the same data dir must hold
 * every event whose request got a 2xx, with each channel's seq still gapless and no event_id twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryPage, Session, Todo } from '../../spec/schemas/sync.ts';
import { TargetFile } from '../../spec/target.ts';
import { BACKEND, removeDir, tempDir, waitUntil } from './sync/helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) removeDir(d);
});

async function spawnHub(dataDir: string, name: string): Promise<{ child: ChildProcess; http: string }> {
  const targetOut = join(dataDir, `${name}.target.json`);
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/hubproof.js'), 'hub', '--port', '0', '--data-dir', dataDir, '--target-out', targetOut],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  await waitUntil(() => existsSync(targetOut) || child.exitCode !== null, 20_000, `hub ${name} to write its target file`).catch((err) => {
    throw new Error(`${(err as Error).message}; stderr: ${stderr}`);
  });
  if (child.exitCode !== null) throw new Error(`hub ${name} exited with ${child.exitCode}: ${stderr}`);
  // The file may be seen before it is fully written; retry the parse briefly.
  let target: TargetFile | undefined;
  await waitUntil(
    () => {
      try {
        target = TargetFile.parse(JSON.parse(readFileSync(targetOut, 'utf8')));
        return true;
      } catch {
        return false;
      }
    },
    5_000,
    'a complete target file',
  );
  return { child, http: target!.nodes[0]!.http };
}

async function api(http: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${http}${path}`, {
    method,
    headers: { authorization: `Bearer ${BACKEND}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function history(http: string, channel: string) {
  const events: ReturnType<typeof HistoryPage.parse>['events'] = [];
  for (let after = 0, page = 0; page < 100; page++) {
    const p = HistoryPage.parse((await api(http, 'GET', `/api/channels/${channel}/events?after_seq=${after}&limit=1000`)).body);
    events.push(...p.events);
    if (p.events.length === 0 || p.events.at(-1)!.seq >= p.last_seq) break;
    after = p.events.at(-1)!.seq;
  }
  return events;
}

describe('persistence across SIGKILL', () => {
  it('keeps every acknowledged event after the hub is killed mid-stream', async () => {
    const dataDir = tempDir('hubproof-sigkill-');
    dirs.push(dataDir);
    const first = await spawnHub(dataDir, 'first');
    const session = Session.parse(
      (await api(first.http, 'POST', '/api/sessions', { project_id: 1, issue_id: 1, coordinator_type: 'hybrid' })).body,
    );
    expect((await api(first.http, 'POST', `/api/sessions/${session.session_id}/participants`, { agent_type: 'writer' })).status).toBe(201);

    const acked: number[] = [];
    let failed = 0;
    let killed = false;
    const total = 400;
    let next = 0;
    // 16 workers keep requests in flight continuously; the kill lands while some are unanswered.
    const worker = async () => {
      while (next < total && !killed) {
        const i = next++;
        try {
          const res = await api(first.http, 'POST', `/api/sessions/${session.session_id}/todos`, {
            title: `todo ${i} ${(i * 7919).toString(36)}`,
            description: 'x'.repeat(i % 5),
          });
          if (res.status === 201) acked.push(Todo.parse(res.body).todo_id);
        } catch {
          failed++;
        }
        if (acked.length >= 60 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await waitUntil(() => first.child.signalCode !== null || first.child.exitCode !== null, 5_000, 'the killed hub to exit');
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(60);

    const second = await spawnHub(dataDir, 'second');
    const channel = `private-session.${session.session_id}`;
    const events = await history(second.http, channel);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const created = new Set(events.filter((e) => e.data.change === 'created').map((e) => (e.data.todo as { todo_id: number }).todo_id));
    const missing = acked.filter((id) => !created.has(id));
    expect(missing, `acknowledged todos missing from history (${failed} requests failed at the kill)`).toEqual([]);
    // The project and issue channels survived too.
    expect((await history(second.http, 'private-issue.1')).some((e) => e.data.session_id === session.session_id)).toBe(true);
    // And the restarted hub keeps appending gaplessly.
    expect((await api(second.http, 'POST', `/api/sessions/${session.session_id}/todos`, { title: 'after the crash' })).status).toBe(201);
    const after = await history(second.http, channel);
    expect(after.at(-1)!.seq).toBe(events.length + 1);
    second.child.kill('SIGTERM');
    await waitUntil(() => second.child.exitCode !== null || second.child.signalCode !== null, 10_000, 'the second hub to stop');
  }, 60_000);
});
