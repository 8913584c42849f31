/**
 * A deliberately broken Pusher hub for showing that cases fail: it speaks enough protocol 7 to run
 * them (handshake, subscribe, ping, client events, POST events) but accepts any auth, echoes client
 * events to the sender too, and sends member_added / member_removed per connection instead of per user.
 */
import type { WebSocket } from 'ws';
import type { BrokenHub } from '../../../selftest/kit/broken-hub.ts';
import { sendFrame as send, startHandWrittenHub } from '../../../selftest/kit/hand-written-hub.ts';

export type { BrokenHub } from '../../../selftest/kit/broken-hub.ts';

export function startBrokenHub(): Promise<BrokenHub> {
  const channels = new Map<string, Map<WebSocket, string | undefined>>();
  const broadcast = (channel: string, event: string, data: string, except?: WebSocket) => {
    for (const ws of channels.get(channel)?.keys() ?? []) if (ws !== except) send(ws, event, data, channel);
  };
  const leave = (ws: WebSocket, ch: string) => {
    const members = channels.get(ch);
    if (!members?.has(ws)) return;
    const userId = members.get(ws);
    members.delete(ws);
    // Broken: member_removed for every connection, not only a user's last.
    if (userId !== undefined) broadcast(ch, 'pusher_internal:member_removed', JSON.stringify({ user_id: userId }));
  };
  let n = 0;

  return startHandWrittenHub({
    target: {
      name: 'broken-hub',
      profiles: ['pusher'],
      app: { id: '1', key: 'broken-key', secret: 'broken-secret' },
      agents: [],
      capabilities: { client_events: true },
    },
    http(req, body, res) {
      if (req.method === 'POST' && /^\/apps\/[^/]+\/events/.test(req.url ?? '')) {
        const e = JSON.parse(body) as { name: string; data: string; channel?: string; channels?: string[] };
        for (const ch of e.channels ?? [e.channel!]) broadcast(ch, e.name, e.data);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      res.writeHead(404).end();
    },
    connection(ws) {
      n++;
      send(ws, 'pusher:connection_established', { socket_id: `${n}.${n}`, activity_timeout: 120 });
      ws.on('message', (raw) => {
        let f: { event?: string; channel?: string; data?: { channel?: string; channel_data?: string } };
        try {
          f = JSON.parse(String(raw));
        } catch {
          return send(ws, 'pusher:error', { code: 4302, message: 'bad json' });
        }
        if (f.event === 'pusher:ping') return send(ws, 'pusher:pong', {});
        if (f.event === 'pusher:subscribe' && f.data?.channel) {
          const ch = f.data.channel;
          const members = channels.get(ch) ?? new Map<WebSocket, string | undefined>();
          channels.set(ch, members);
          // Broken: no signature check at all.
          const userId = f.data.channel_data ? String((JSON.parse(f.data.channel_data) as { user_id: unknown }).user_id) : undefined;
          members.set(ws, userId);
          if (userId !== undefined) {
            const ids = [...new Set([...members.values()].filter((u): u is string => u !== undefined))];
            send(
              ws,
              'pusher_internal:subscription_succeeded',
              { presence: { ids, hash: Object.fromEntries(ids.map((i) => [i, null])), count: ids.length } },
              ch,
            );
            // Broken: member_added for every connection, not only a user's first.
            broadcast(ch, 'pusher_internal:member_added', JSON.stringify({ user_id: userId }), ws);
          } else send(ws, 'pusher_internal:subscription_succeeded', {}, ch);
          return;
        }
        if (f.event === 'pusher:unsubscribe' && f.data?.channel) return leave(ws, f.data.channel);
        // Broken: client events go to everyone, the sender included.
        if (f.event?.startsWith('client-') && f.channel) broadcast(f.channel, f.event, JSON.stringify(f.data));
      });
      ws.on('close', () => {
        for (const ch of channels.keys()) leave(ws, ch);
      });
    },
  });
}
