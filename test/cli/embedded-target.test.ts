/**
 * The embedded reference hub as the CLI starts it: in its own process or in-process, fast or default
 * timers, and a restart that comes back on the same URLs with the same (or, on request, an empty) data.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FAST_HUB_TIMINGS, startEmbeddedTarget, type EmbeddedTarget } from '../../cli/embedded-target.ts';
import type { TargetFile } from '../../spec/target.ts';

let hub: EmbeddedTarget | undefined;
afterEach(async () => {
  await hub?.dispose();
  hub = undefined;
});

function api(target: TargetFile, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${target.nodes[0]!.http}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.agents[0]!.token}`, 'content-type': 'application/json', connection: 'close' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Creates a session and returns a check that it is still stored. */
async function storeSomething(target: TargetFile): Promise<() => Promise<number>> {
  const res = await api(target, 'POST', '/api/sessions', { project_id: 1, issue_id: 7, coordinator_type: 'embedded-target-test' });
  expect(res.status).toBe(201);
  const { session_id: id } = (await res.json()) as { session_id: number };
  return async () => (await api(target, 'GET', `/api/sessions/${id}/todos`)).status;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the embedded reference hub', () => {
  it('runs as a child process with fast timers and webhooks, restarts in place (4200 to its clients, same port, pid and data), and is gone after dispose', async () => {
    hub = await startEmbeddedTarget({ timers: 'fast', mode: 'child' });
    const { target } = hub;
    const first = hub.pid;
    expect(hub.mode).toBe('child');
    expect(first).not.toBe(process.pid);
    expect(target.process?.pid).toBe(first);
    expect(target.webhooks?.listen).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks$/);
    const info = (await (await api(target, 'GET', '/api/hub')).json()) as {
      timings: { heartbeat_timeout_ms: number; activity_timeout_s: number };
    };
    expect(info.timings).toMatchObject({
      heartbeat_timeout_ms: FAST_HUB_TIMINGS.heartbeatTimeoutMs,
      activity_timeout_s: FAST_HUB_TIMINGS.activityTimeoutS,
    });

    const stored = await storeSomething(target);
    const urls = JSON.stringify(target.nodes);
    const client = new WebSocket(`${target.nodes[0]!.ws}/app/${target.app.key}?protocol=7`);
    await new Promise((resolve, reject) => (client.once('message', resolve), client.once('error', reject)));
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    await hub.restart();
    expect(await closed).toBeGreaterThanOrEqual(4200);
    expect(await closed).toBeLessThan(4300);
    expect(hub.pid).toBe(first);
    expect(JSON.stringify(hub.target.nodes)).toBe(urls);
    expect(await stored()).toBe(200);

    const last = hub.pid;
    await hub.dispose();
    hub = undefined;
    expect(isAlive(last)).toBe(false);
  }, 60_000);

  it('runs in-process with the hub’s default timers and no webhooks', async () => {
    hub = await startEmbeddedTarget({ timers: 'default', mode: 'in-process' });
    expect(hub.pid).toBe(process.pid);
    expect(hub.target.webhooks).toBeUndefined();
    const info = (await (await api(hub.target, 'GET', '/api/hub')).json()) as { timings: { heartbeat_timeout_ms: number } };
    expect(info.timings.heartbeat_timeout_ms).toBe(120_000);
    const stored = await storeSomething(hub.target);
    await hub.restart();
    expect(await stored()).toBe(200);
  });

  it.each(['in-process', 'child'] as const)(
    '%s: comes back from a restart with an empty database when asked to (restartWith empty-data)',
    async (mode) => {
      hub = await startEmbeddedTarget({ mode, restartWith: 'empty-data' });
      const first = hub.pid;
      const stored = await storeSomething(hub.target);
      await hub.restart();
      expect(await stored()).toBe(404);
      if (mode === 'child') {
        // A new process on a new data dir; the object the runners hold follows it.
        expect(hub.pid).not.toBe(first);
        expect(isAlive(first)).toBe(false);
        expect(hub.target.process?.pid).toBe(hub.pid);
      }
    },
    60_000,
  );

  it('removes its data when disposed, and a second dispose is harmless', async () => {
    hub = await startEmbeddedTarget({ mode: 'in-process' });
    const dir = hub.dataDir;
    expect(existsSync(dir)).toBe(true);
    await hub.dispose();
    await hub.dispose();
    hub = undefined;
    expect(existsSync(dir)).toBe(false);
  });
});
