#!/usr/bin/env node
// @ts-check
/**
 * The shipped laravel-echo driver of `hubproof client --driver laravel-echo [--client-path DIR]`: Echo's
 * pusher connector over pusher-js (the pusher-js hubproof depends on), Echo from hubproof's dependencies
 * or the installed copy at DIR. Everything goes through Echo's API, as a Laravel app uses it:
 * `echo.channel(name)`, `echo.private(name)`, `echo.join(name)` (Echo adds the `private-`/`presence-`
 * prefixes), `listenToAll`, `whisper` for client events (Echo adds `client-`), and `here`/`joining`/`leaving`
 * for members. Echo hands the app member infos, not ids: the app keeps its list keyed by `info.id`, the
 * Laravel convention the scripted hub's auth endpoint follows.
 */
import { driverArgs, emit, orExit, serveDriver } from './driver-io.mjs';
import { importLibrary, loadLibrary } from './load-library.mjs';
import { pusherClass } from './pusher-js-class.mjs';

const args = await orExit(() => driverArgs(process.argv.slice(2)));
const echoLib = await orExit(() => importLibrary('laravel-echo', args['client-path']));
const pusherLib = await orExit(() => loadLibrary('pusher-js', undefined, 'node.js'));
const Echo = echoLib.module.default ?? echoLib.module;
const Pusher = pusherClass(pusherLib.module);
/** Echo's default event namespace; events outside it reach `listenToAll` with a leading dot. */
const NAMESPACE = 'App\\Events\\';

/** @type {Map<string, any>} */
const clients = new Map();
/** Members each app sees, per client and channel: user id → info. @type {Map<string, Map<string, unknown>>} */
const members = new Map();

/** @param {string} name */
const client = (name) => {
  const echo = clients.get(name);
  if (!echo) throw new Error(`driver: no client ${name}; connect it first`);
  return echo;
};

/** Echo's name for a wire channel name, and how to open it. @param {any} echo @param {string} channel */
function open(echo, channel) {
  if (channel.startsWith('presence-')) return echo.join(channel.slice('presence-'.length));
  if (channel.startsWith('private-encrypted-')) return echo.encryptedPrivate(channel.slice('private-encrypted-'.length));
  if (channel.startsWith('private-')) return echo.private(channel.slice('private-'.length));
  return echo.channel(channel);
}

/** @param {string} name @param {string} channel @param {string | null} me */
function reportMembers(name, channel, me) {
  const list = members.get(`${name} ${channel}`) ?? new Map();
  emit({ type: 'members', client: name, channel, count: list.size, ids: [...list.keys()], me });
}

/** The app's own user id: Echo has no API for it, so it is read from pusher-js's channel (Echo's own connector does the same). */
const myId = (/** @type {any} */ echo, /** @type {string} */ channel) => {
  const me = echo.connector.pusher.channel(channel)?.members?.me;
  return me ? String(me.id) : null;
};

const handlers = {
  /** @param {any} cmd */
  connect(cmd) {
    if (clients.has(cmd.client)) throw new Error(`driver: client ${cmd.client} exists`);
    const echo = new Echo({
      broadcaster: 'pusher',
      key: cmd.key,
      wsHost: cmd.host,
      wsPort: cmd.port,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      cluster: 'mt1',
      authEndpoint: cmd.auth.endpoint,
      auth: { params: cmd.auth.params, headers: {} },
      ...(cmd.pongTimeoutMs !== undefined ? { pongTimeout: cmd.pongTimeoutMs } : {}),
      Pusher,
    });
    clients.set(cmd.client, echo);
    const connection = echo.connector.pusher.connection;
    connection.bind('state_change', (/** @type {any} */ s) =>
      emit({
        type: 'state',
        client: cmd.client,
        state: s.current,
        ...(s.current === 'connected' ? { socketId: String(echo.socketId()) } : {}),
      }),
    );
    connection.bind('error', (/** @type {any} */ err) => {
      const data = err?.error?.data ?? err?.data;
      emit({
        type: 'error',
        client: cmd.client,
        message: `${err?.type ?? 'error'}: ${data?.message ?? ''}`,
        code: typeof data?.code === 'number' ? data.code : null,
      });
    });
    emit({ type: 'state', client: cmd.client, state: connection.state });
  },

  /** @param {any} cmd */
  subscribe(cmd) {
    const echo = client(cmd.client);
    const channel = open(echo, cmd.channel);
    const key = `${cmd.client} ${cmd.channel}`;
    channel
      .subscribed(() => emit({ type: 'subscribed', client: cmd.client, channel: cmd.channel }))
      .error((/** @type {any} */ e) =>
        emit({
          type: 'subscription_error',
          client: cmd.client,
          channel: cmd.channel,
          ...(typeof e?.status === 'number' ? { status: e.status } : {}),
          message: String(e?.error ?? e?.type ?? JSON.stringify(e)),
        }),
      )
      .listenToAll((/** @type {string} */ event, /** @type {unknown} */ data) =>
        emit({
          type: 'event',
          client: cmd.client,
          channel: cmd.channel,
          event: event.startsWith('.') ? event.slice(1) : `${NAMESPACE}${event}`,
          data,
        }),
      );
    if (typeof channel.here === 'function') {
      channel
        .here((/** @type {any[]} */ infos) => {
          members.set(key, new Map(infos.map((info) => [String(info?.id), info])));
          reportMembers(cmd.client, cmd.channel, myId(echo, cmd.channel));
        })
        .joining((/** @type {any} */ info) => {
          const list = members.get(key) ?? new Map();
          if (list.has(String(info?.id)))
            emit({ type: 'log', client: cmd.client, text: `Echo called joining() for ${info?.id}, already in the list` });
          list.set(String(info?.id), info);
          members.set(key, list);
          reportMembers(cmd.client, cmd.channel, myId(echo, cmd.channel));
        })
        .leaving((/** @type {any} */ info) => {
          members.get(key)?.delete(String(info?.id));
          reportMembers(cmd.client, cmd.channel, myId(echo, cmd.channel));
        });
    }
  },

  /** @param {any} cmd */
  unsubscribe(cmd) {
    client(cmd.client).leaveChannel(cmd.channel);
  },

  /** @param {any} cmd */
  trigger(cmd) {
    const echo = client(cmd.client);
    const channel = echo.connector.channels[cmd.channel];
    if (!channel) throw new Error(`driver: the application holds no channel ${cmd.channel}`);
    if (typeof channel.whisper !== 'function') throw new Error(`Echo has no whisper() on the public channel ${cmd.channel}`);
    if (!cmd.event.startsWith('client-')) throw new Error(`Echo can only whisper client- events; ${cmd.event} has no such name`);
    channel.whisper(cmd.event.slice('client-'.length), cmd.data);
  },

  /** @param {any} cmd */
  members(cmd) {
    reportMembers(cmd.client, cmd.channel, myId(client(cmd.client), cmd.channel));
  },

  /** @param {any} cmd */
  disconnect(cmd) {
    client(cmd.client).disconnect();
  },
};

serveDriver({ driver: 'laravel-echo', library: 'laravel-echo', version: echoLib.version }, handlers, () => {
  for (const echo of clients.values()) echo.disconnect();
});
