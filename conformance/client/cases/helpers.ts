/**
 * Steps most client cases share: connect a client and see both ends agree it is connected, subscribe
 * it, find the connection it opens next. A step that does not happen reports the requirement it needed
 * as unmet (DependencyUnmet), so a case about something else is `blocked`, not failed, by it.
 */
import { DependencyUnmet } from '../../types.ts';
import type { ClientCaseContext } from '../client-case.ts';
import type { DriverSession } from '../driver/driver-session.ts';
import type { HubConnection } from '../scripted-hub/hub-connection.ts';
import type { ScriptedHub } from '../scripted-hub/scripted-hub.ts';

export const CONNECTED = 'pusher-client/connection/2';
export const SUBSCRIBES = 'pusher-client/subscribe/1';
/** The pong timeout hubproof asks drivers to configure (docs/protocol.md, "Client heartbeat"). */
export const PONG_TIMEOUT_MS = 1000;
/** How long a client gets to connect, and to be told of a subscription. */
export const STEP_MS = 5000;

export interface Client {
  hub: ScriptedHub;
  app: DriverSession;
  /** Driver client name. */
  name: string;
  /** Its presence user id (the auth param `user_id`). */
  userId: string;
}

/** A scripted hub, a driver, and one client connected to the hub; returns its connection. */
export async function connectedClient(
  ctx: ClientCaseContext,
  hubOptions: Parameters<ClientCaseContext['startHub']>[0] = {},
  userId = 'me-1',
): Promise<Client & { conn: HubConnection }> {
  const hub = await ctx.startHub(hubOptions);
  const app = await ctx.startDriver();
  const client = { hub, app, name: 'c1', userId };
  return { ...client, conn: await connect(client) };
}

/** Sends `connect` and waits until the hub welcomed a connection and the app was told, with that socket id. */
export async function connect(c: Client): Promise<HubConnection> {
  const from = c.hub.connections.length;
  await c.app.send({
    cmd: 'connect',
    client: c.name,
    key: c.hub.app.key,
    host: '127.0.0.1',
    port: c.hub.port,
    auth: { endpoint: c.hub.auth.url, params: { user_id: c.userId } },
    pongTimeoutMs: PONG_TIMEOUT_MS,
  });
  const conn = await c.hub.until(() => c.hub.connections.slice(from).find((x) => x.establishedAt !== undefined && x.open), STEP_MS);
  if (!conn) throw new DependencyUnmet(CONNECTED, `the client opened no connection the hub could welcome within ${STEP_MS} ms`);
  const told = await c.app.until(() => connectedAs(c, conn), STEP_MS);
  if (!told) throw new DependencyUnmet(CONNECTED, `the application was never told it is connected as ${conn.socketId}`);
  return conn;
}

/** The app's `connected` observation for `conn` (by socket id). */
export function connectedAs(c: Client, conn: HubConnection) {
  return c.app.find('state', (s) => s.client === c.name && s.state === 'connected' && s.socketId === conn.socketId);
}

/** Subscribes the app to `channel` and waits until the hub confirmed it on `conn` and the app was told. */
export async function subscribe(c: Client, conn: HubConnection, channel: string): Promise<void> {
  const from = c.app.observations.length;
  await c.app.send({ cmd: 'subscribe', client: c.name, channel });
  const confirmed = await c.hub.until(
    () => conn.subscriptions.get(channel)?.confirmedAt !== undefined || conn.subscriptions.get(channel)?.refused,
    STEP_MS,
  );
  const sub = conn.subscriptions.get(channel);
  if (!confirmed || !sub || sub.refused)
    throw new DependencyUnmet(
      SUBSCRIBES,
      sub?.refused ? `the hub refused the subscribe to ${channel}: ${sub.refused}` : `no pusher:subscribe for ${channel} on ${conn.name}`,
    );
  const told = await c.app.until(() => c.app.find('subscribed', (o) => o.client === c.name && o.channel === channel, from), STEP_MS);
  if (!told) throw new DependencyUnmet(SUBSCRIBES, `the application was never told the subscription to ${channel} succeeded`);
}

/** The first connection opened after `conn` that the hub welcomed, within `ms`. */
export function nextConnection(hub: ScriptedHub, conn: HubConnection, ms: number): Promise<HubConnection | undefined> {
  const after = hub.connections.indexOf(conn);
  return hub.until(() => hub.connections.slice(after + 1).find((x) => x.establishedAt !== undefined), ms);
}

/** Any connection opened after `conn` (welcomed or not), within `ms`. */
export function anyConnectionAfter(hub: ScriptedHub, conn: HubConnection, ms: number): Promise<HubConnection | undefined> {
  const after = hub.connections.indexOf(conn);
  return hub.until(() => hub.connections[after + 1], ms);
}

/** Sleeps `ms` unless the case deadline passes first. */
export function pause(ctx: ClientCaseContext, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** A channel name unique to the case run. */
export const uniqueChannel = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`;
