/** pusher-client/connection: the URL a client connects to, and when it tells the app it is connected. */
import { PROTOCOL_VERSION } from '../../../spec/protocol/index.ts';
import { DependencyUnmet } from '../../types.ts';
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import { PONG_TIMEOUT_MS, STEP_MS } from './helpers.ts';

const URL_RULE = 'pusher-client/connection/1';

export const connectionCases: ClientCase[] = [
  {
    requirement: URL_RULE,
    desc: 'Accepts the client’s connection and reads its URL: the path /app/{key} and the query parameters protocol=7, client and version',
    async run(ctx: ClientCaseContext) {
      const hub = await ctx.startHub();
      const app = await ctx.startDriver();
      await app.send({
        cmd: 'connect',
        client: 'c1',
        key: hub.app.key,
        host: '127.0.0.1',
        port: hub.port,
        auth: { endpoint: hub.auth.url, params: { user_id: 'me-1' } },
        pongTimeoutMs: PONG_TIMEOUT_MS,
      });
      const conn = await hub.connection(0, STEP_MS);
      if (!conn)
        ctx.fail(`the client opened no WebSocket connection within ${STEP_MS} ms`, {
          expected: 'a connection to /app/{key}',
          actual: 'none',
        });
      const url = new URL(conn.url, 'ws://127.0.0.1');
      const wrong: string[] = [];
      if (url.pathname !== `/app/${hub.app.key}`) wrong.push(`path ${url.pathname}`);
      if (url.searchParams.get('protocol') !== String(PROTOCOL_VERSION))
        wrong.push(`protocol=${url.searchParams.get('protocol') ?? '(missing)'}`);
      for (const p of ['client', 'version']) if (!url.searchParams.get(p)) wrong.push(`no ${p}`);
      if (wrong.length)
        ctx.fail(`the client connected to ${conn.url}: ${wrong.join(', ')}`, {
          expected: `/app/${hub.app.key}?protocol=${PROTOCOL_VERSION}&client=…&version=…`,
          actual: conn.url,
        });
    },
  },
  {
    requirement: 'pusher-client/connection/2',
    desc: 'Sends pusher:connection_established 500 ms after the WebSocket opens; watches when the application is told it is connected, and with which socket id',
    async run(ctx: ClientCaseContext) {
      const hub = await ctx.startHub({ establishDelayMs: 500 });
      const app = await ctx.startDriver();
      await app.send({
        cmd: 'connect',
        client: 'c1',
        key: hub.app.key,
        host: '127.0.0.1',
        port: hub.port,
        auth: { endpoint: hub.auth.url, params: { user_id: 'me-1' } },
        pongTimeoutMs: PONG_TIMEOUT_MS,
      });
      const conn = await hub.connection(0, STEP_MS);
      if (!conn) throw new DependencyUnmet(URL_RULE, `the client opened no WebSocket connection within ${STEP_MS} ms`);
      const told = await app.until(() => app.find('state', (s) => s.client === 'c1' && s.state === 'connected'), STEP_MS + 500);
      if (!told)
        ctx.fail(`the application was never told it is connected (${STEP_MS} ms after the handshake)`, {
          expected: 'a connected state',
          actual: 'none',
        });
      const established = conn.establishedAt;
      if (established === undefined || told.t < established)
        ctx.fail(
          `the application was told it is connected ${established === undefined ? 'although the hub never sent' : `${Math.round(established - told.t)} ms before the hub sent`} pusher:connection_established`,
          { expected: `connected after pusher:connection_established (at ${established ?? '-'} ms)`, actual: `connected at ${told.t} ms` },
        );
      if (told.obs.socketId !== conn.socketId)
        ctx.fail(`the application was given socket id ${told.obs.socketId ?? '(none)'}, the hub announced ${conn.socketId}`, {
          expected: conn.socketId,
          actual: told.obs.socketId ?? '(none)',
        });
    },
  },
];
