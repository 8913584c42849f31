/**
 * What the Redis hop costs: publish latency (HTTP POST → subscriber) and sequential publish rate on one
 * reference hub, on a 2-node cluster with publisher and subscriber on the same node, and across nodes.
 * Every hub is a child process (as `hubproof hub` / `hub --cluster` run them); run it alone on the
 * machine (figures on a busy machine are noise). Prints one table; ratios are against the single node.
 *
 *   npx tsx scripts/measure-cluster-hop.ts [events=400]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startCluster } from '../reference-server/cluster/start-cluster.ts';
import { signHttpRequest } from '../spec/protocol/signing.ts';
import type { TargetFile } from '../spec/target.ts';

const EVENTS = Number(process.argv[2] ?? 400);
const BIN = join(import.meta.dirname, '..', 'bin', 'hubproof.js');

async function singleHub(): Promise<{ target: TargetFile; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-hop-'));
  const out = join(dir, 'target.json');
  const child = spawn(process.execPath, [BIN, 'hub', '--port', '0', '--data-dir', dir, '--target-out', out], { stdio: 'ignore' });
  for (;;) {
    try {
      const target = JSON.parse(readFileSync(out, 'utf8')) as TargetFile;
      return {
        target,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function measure(target: TargetFile, pubNode: number, subNode: number) {
  const { app } = target;
  const ws = new WebSocket(`${target.nodes[subNode]!.ws}/app/${app.key}?protocol=7`);
  const arrivals = new Map<number, number>();
  let subscribed!: () => void;
  const ready = new Promise<void>((r) => (subscribed = r));
  ws.on('message', (raw) => {
    const f = JSON.parse(String(raw)) as { event: string; data: string };
    if (f.event === 'pusher:connection_established') ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'hop' } }));
    else if (f.event === 'pusher_internal:subscription_succeeded') subscribed();
    else if (f.event === 'tick') arrivals.set((JSON.parse(f.data) as { i: number }).i, performance.now());
  });
  await ready;
  const http = target.nodes[pubNode]!.http;
  const path = `/apps/${app.id}/events`;
  const sent = new Map<number, number>();
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const body = JSON.stringify({ name: 'tick', channel: 'hop', data: JSON.stringify({ i }) });
    const q = new URLSearchParams(signHttpRequest(app, { method: 'POST', path, body }));
    sent.set(i, performance.now());
    const res = await fetch(`${http}${path}?${q}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`publish answered ${res.status}`);
    await res.arrayBuffer();
  }
  const elapsed = (performance.now() - started) / 1000;
  const deadline = Date.now() + 5_000;
  while (arrivals.size < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  const lat = [...sent]
    .filter(([i]) => arrivals.has(i))
    .map(([i, t]) => arrivals.get(i)! - t)
    .sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;
  return { p50: pct(50), p99: pct(99), max: lat.at(-1)!, reach: lat.length / EVENTS, rate: EVENTS / elapsed };
}

const rows: Array<[string, Awaited<ReturnType<typeof measure>>]> = [];
const single = await singleHub();
try {
  rows.push(['1 node (SQLite)', await measure(single.target, 0, 0)]);
} finally {
  await single.stop();
}
const cluster = await startCluster({ nodes: 2 });
try {
  rows.push(['2 nodes, same node', await measure(cluster.target(), 0, 0)]);
  rows.push(['2 nodes, across nodes', await measure(cluster.target(), 0, 1)]);
} finally {
  await cluster.dispose();
}
const base = rows[0]![1];
console.log(`${EVENTS} sequential publishes each; latency = HTTP POST sent → event at a raw ws subscriber`);
console.log('setup                    p50 ms   p99 ms   max ms   reach   publishes/s   p50 vs 1 node');
for (const [name, r] of rows) {
  console.log(
    `${name.padEnd(24)} ${r.p50.toFixed(2).padStart(6)}   ${r.p99.toFixed(2).padStart(6)}   ${r.max.toFixed(1).padStart(6)}   ${(r.reach * 100).toFixed(0).padStart(4)}%   ${r.rate.toFixed(0).padStart(11)}   ${(r.p50 / base.p50).toFixed(2)}x`,
  );
}
process.exit(0);
