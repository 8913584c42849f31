import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestHub, TestClient, type TestHub } from './helpers.ts';

describe('pusher presence (per user, not per connection)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.dispose());

  const join = async (channel: string, userId: string, userInfo?: unknown) => {
    const c = await TestClient.connect(hub);
    const ack = await c.subscribed(channel, {
      app: hub.app,
      channelData: userInfo === undefined ? { user_id: userId } : { user_id: userId, user_info: userInfo },
    });
    return { c, ack };
  };

  it('sends member_added to others with user_info unchanged, not to the joiner', async () => {
    const ch = 'presence-added';
    const { c: watcher } = await join(ch, 'w');
    const info = { name: 'Zoë', roles: ['a', 'b'], nested: { n: 1.5, ok: true, none: null } };
    const { c: joiner } = await join(ch, 'u1', info);
    const added = await watcher.event('pusher_internal:member_added', ch);
    expect(added.value).toEqual({ user_id: 'u1', user_info: info });
    await joiner.ping();
    expect(joiner.frames.filter((f) => f.event === 'pusher_internal:member_added')).toEqual([]);
    watcher.close();
    joiner.close();
  });

  it('lists each user once in the ack and announces a second connection of the same user to nobody', async () => {
    const ch = 'presence-multi';
    const { c: watcher } = await join(ch, 'w');
    const { c: tab1 } = await join(ch, 'u1', { tab: 1 });
    await watcher.event('pusher_internal:member_added', ch);
    const { c: tab2, ack } = await join(ch, 'u1', { tab: 2 });
    expect(ack.value.presence.count).toBe(2);
    expect([...ack.value.presence.ids].sort()).toEqual(['u1', 'w']);
    expect(ack.value.presence.hash.u1).toEqual({ tab: 1 });
    await watcher.ping();
    expect(watcher.frames.filter((f) => f.event === 'pusher_internal:member_added')).toEqual([]);

    // Leaving with one of two connections is not a departure…
    tab1.send({ event: 'pusher:unsubscribe', data: { channel: ch } });
    await tab1.ping();
    await watcher.ping();
    expect(watcher.frames.filter((f) => f.event === 'pusher_internal:member_removed')).toEqual([]);
    const users = await api(hub, 'GET', `/channels/${ch}/users`);
    expect(users.body.users.map((u: { id: string }) => u.id).sort()).toEqual(['u1', 'w']);

    // …the last one is.
    tab2.send({ event: 'pusher:unsubscribe', data: { channel: ch } });
    const removed = await watcher.event('pusher_internal:member_removed', ch);
    expect(removed.value).toEqual({ user_id: 'u1' });
    [watcher, tab1, tab2].forEach((c) => c.close());
  });

  it('sends member_removed once when the last connection drops abruptly (no close frame)', async () => {
    const ch = 'presence-drop';
    const { c: watcher } = await join(ch, 'w');
    const { c: a } = await join(ch, 'u2');
    const { c: b } = await join(ch, 'u2');
    await watcher.event('pusher_internal:member_added', ch);
    a.ws.terminate();
    await watcher.ping();
    await new Promise((r) => setTimeout(r, 100));
    expect(watcher.frames.filter((f) => f.event === 'pusher_internal:member_removed')).toEqual([]);
    b.ws.terminate();
    expect((await watcher.event('pusher_internal:member_removed', ch)).value).toEqual({ user_id: 'u2' });
    await watcher.ping();
    expect(watcher.frames.filter((f) => f.event === 'pusher_internal:member_removed')).toEqual([]);
    watcher.close();
  });

  it('accepts numeric user ids and reports them as strings', async () => {
    const ch = 'presence-numeric';
    const { c, ack } = await join(ch, 42 as unknown as string);
    expect(ack.value.presence.ids).toEqual(['42']);
    c.close();
  });

  it('reports user_count and subscription_count for a presence channel', async () => {
    const ch = 'presence-counts';
    const a = await join(ch, 'x');
    const b = await join(ch, 'x');
    const c = await join(ch, 'y');
    const res = await api(hub, 'GET', `/channels/${ch}`, { params: { info: 'user_count,subscription_count' } });
    expect(res.body).toEqual({ occupied: true, user_count: 2, subscription_count: 3 });
    [a, b, c].forEach((j) => j.c.close());
  });
});
