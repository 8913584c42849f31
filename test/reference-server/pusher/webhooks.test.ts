import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../../spec/protocol/signing.ts';
import { WebhookBody } from '../../../spec/schemas/pusher-http.ts';
import { startTestHub, TestClient, type TestHub } from './helpers.ts';

interface Received {
  name: string;
  channel: string;
  user_id?: string;
  event?: string;
  data?: string;
}

describe('pusher webhooks', () => {
  let hub: TestHub;
  let server: Server;
  const events: Received[] = [];
  const badSignatures: string[] = [];
  const DELAY = 300;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (req.headers['x-pusher-signature'] !== hmacHex(hub.app.secret, body) || req.headers['x-pusher-key'] !== hub.app.key)
          badSignatures.push(body);
        events.push(...WebhookBody.parse(JSON.parse(body)).events);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    hub = await startTestHub({ webhooks: { url, vacatedDelayMs: DELAY } });
  });
  afterAll(async () => {
    await hub.dispose();
    await new Promise((r) => server.close(r));
  });

  const waitFor = async (pred: (e: Received) => boolean, timeoutMs = 3000): Promise<Received> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no webhook matched; got ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('posts signed channel_occupied, member_added, client_event, then delayed member_removed and channel_vacated', async () => {
    const ch = 'presence-hooks';
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed(ch, { app: hub.app, channelData: { user_id: 'ann' } });
    await b.subscribed(ch, { app: hub.app, channelData: { user_id: 'bob' } });
    await waitFor((e) => e.name === 'channel_occupied' && e.channel === ch);
    await waitFor((e) => e.name === 'member_added' && e.user_id === 'bob');
    a.send({ event: 'client-wave', channel: ch, data: { hi: 1 } });
    const ce = await waitFor((e) => e.name === 'client_event');
    expect(ce).toMatchObject({ channel: ch, event: 'client-wave', data: '{"hi":1}', user_id: 'ann' });

    const closedAt = Date.now();
    a.close();
    b.close();
    await waitFor((e) => e.name === 'channel_vacated' && e.channel === ch);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(DELAY - 50);
    await waitFor((e) => e.name === 'member_removed' && e.user_id === 'ann');
    expect(badSignatures).toEqual([]);
  });

  it('drops a vacate/occupy flap shorter than the delay', async () => {
    const ch = 'flappy';
    const a = await TestClient.connect(hub);
    await a.subscribed(ch);
    await waitFor((e) => e.name === 'channel_occupied' && e.channel === ch);
    a.close();
    await new Promise((r) => setTimeout(r, 50));
    const b = await TestClient.connect(hub);
    await b.subscribed(ch);
    await new Promise((r) => setTimeout(r, DELAY + 200));
    expect(events.filter((e) => e.channel === ch).map((e) => e.name)).toEqual(['channel_occupied']);
    b.close();
  });
});
