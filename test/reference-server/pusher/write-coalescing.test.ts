/**
 * The hub writes what one loop turn puts on a connection in one TCP write: the ten events of one
 * batch_events request reach a subscriber of their channel in one read, in order. The hub runs as its own
 * process (`hubproof hub`), so the subscriber reads while the hub writes, as in production; written one
 * frame at a time, the events arrive over several reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signHttpRequest } from '../../../spec/protocol/index.ts';
import { parseTarget } from '../../../spec/target.ts';
import { hubProcesses } from '../hub-process.ts';
import { readCountingSubscriber, type Arrival } from '../../helpers/read-counting-subscriber.ts';

const { tempDir, spawnHub } = hubProcesses();

const until = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('reference hub write coalescing', () => {
  it('delivers the ten events of one batch_events request to a subscriber in one read, in order', async () => {
    const dir = tempDir();
    const targetPath = join(dir, 'target.json');
    const hub = spawnHub(['--port', '0', '--data-dir', join(dir, 'data'), '--target-out', targetPath]);
    await until(() => hub.out().includes('Press Ctrl+C'), 20_000, `the hub banner (stderr: ${hub.err()})`);
    const target = parseTarget(JSON.parse(readFileSync(targetPath, 'utf8')));
    const channel = 'coalesce-check';
    const seen: Arrival[] = [];
    const client = await readCountingSubscriber(target.nodes[0]!.ws, target.app.key, [channel], seen);
    try {
      for (let round = 0; round < 3; round++) {
        const names = Array.from({ length: 10 }, (_, i) => `e${round}-${i}`);
        const path = `/apps/${target.app.id}/batch_events`;
        const body = JSON.stringify({ batch: names.map((name) => ({ name, channel, data: 'x'.repeat(100) })) });
        const query = signHttpRequest(target.app, { method: 'POST', path, body });
        const r = await fetch(`${target.nodes[0]!.http}${path}?${new URLSearchParams(query)}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(r.status).toBe(200);
        await until(() => seen.length === 10 * (round + 1), 5000, `the events of round ${round}`);
        const got = seen.slice(10 * round).map((a) => ({ name: (JSON.parse(a.text) as { event: string }).event, read: a.read }));
        expect(got.map((e) => e.name)).toEqual(names);
        expect(new Set(got.map((e) => e.read)).size, `reads carrying round ${round}`).toBe(1);
      }
    } finally {
      client.terminate();
      hub.child.kill('SIGKILL');
    }
  });
});
