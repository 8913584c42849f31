/**
 * The harness's Pusher connections ping like pusher-js: after the announced activity_timeout without a
 * frame from the hub they send `pusher:ping`, and the pong it earns is not offered to a case's own
 * ping/pong sync point. Silent connections (a case about the hub's idle handling) send nothing.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { openPusherSocket } from '../../../conformance/clients/pusher-socket.ts';
import { isEvent } from '../../../conformance/clients/wire-socket.ts';
import { standInContext } from '../helpers/case-context.ts';

/** A hub stand-in: announces activity_timeout 1 s, never pings, answers each pusher:ping with a numbered pong. */
let wss: WebSocketServer;
let url: string;
const pingsSeen: number[] = [];
let pongHeldMs = 0;

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws: WebSocket) => {
    const opened = Date.now();
    let n = 0;
    ws.send(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: '1.1', activity_timeout: 1 }) }));
    ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString('utf8')) as { event?: string };
      if (f.event !== 'pusher:ping') return;
      pingsSeen.push(Date.now() - opened);
      const pong = JSON.stringify({ event: 'pusher:pong', data: { n: ++n } });
      setTimeout(() => ws.readyState === WebSocket.OPEN && ws.send(pong), pongHeldMs);
    });
  });
});
afterAll(() => new Promise<void>((r) => wss.close(() => r())));

const context = () => standInContext({ ws: url }, 'pusher/heartbeat/1');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keep-alive pings', () => {
  it('ping after the announced activity_timeout of silence from the hub, and again after each further timeout', async () => {
    pingsSeen.length = 0;
    pongHeldMs = 0;
    const { ctx, cleanup } = context();
    const sock = await openPusherSocket(ctx);
    await sleep(2600);
    await sock.close();
    await cleanup();
    expect(pingsSeen).toHaveLength(2);
    expect(pingsSeen[0]).toBeGreaterThanOrEqual(950);
    expect(pingsSeen[1]! - pingsSeen[0]!).toBeGreaterThanOrEqual(950);
  });

  it('do not answer a case’s own ping: its wait gets the pong the hub sent for it', async () => {
    pingsSeen.length = 0;
    pongHeldMs = 400;
    const { ctx, cleanup } = context();
    const sock = await openPusherSocket(ctx);
    // Send the case's ping just after the keep-alive ping; the hub answers both in order, 400 ms later.
    await sleep(1100);
    expect(pingsSeen).toHaveLength(1);
    sock.send({ event: 'pusher:ping', data: {} });
    const pong = await sock.waitFor(isEvent('pusher:pong'), { desc: 'pusher:pong', fresh: true });
    await sock.close();
    await cleanup();
    expect(pong.data).toEqual({ n: 2 });
  });

  it('stay off for a connection that answers no pings, or that opts out', async () => {
    pingsSeen.length = 0;
    pongHeldMs = 0;
    const { ctx, cleanup } = context();
    const silent = await openPusherSocket(ctx, { answerPings: false, autoPong: false });
    const idle = await openPusherSocket(ctx, { clientPings: false });
    await sleep(1600);
    await silent.close();
    await idle.close();
    await cleanup();
    expect(pingsSeen).toEqual([]);
  });
});
