/**
 * The application's channel authorization endpoint, as the scripted hub's app runs it: `POST
 * /pusher/auth` with the form fields `socket_id` and `channel_name` (and the `user_id` auth param the
 * driver was given), answered with `{auth}` or, for presence, `{auth, channel_data}` signed with
 * spec/protocol/signing.ts. A case can make it refuse the next requests. Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPresence, signChannelAuth, type AppCredentials } from '../../../spec/protocol/index.ts';

export interface AuthRequest {
  /** ms on the case clock. */
  t: number;
  socketId: string;
  channel: string;
  userId: string;
  status: number;
}

/** The user info a presence member gets: Laravel's convention of an `id` inside the info. */
export const memberInfo = (userId: string) => ({ id: userId, name: `User ${userId}` });

export interface AuthEndpointOptions {
  app: AppCredentials;
  now(): number;
  log(dir: 'http>' | 'http<', conn: string, text: string): void;
  onRequest(): void;
}

export class AuthEndpoint {
  readonly requests: AuthRequest[] = [];
  /** How many of the next requests are refused, and with which status. */
  private refusals = 0;
  private refusalStatus = 403;
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: AuthEndpointOptions,
  ) {}

  static async start(opts: AuthEndpointOptions): Promise<AuthEndpoint> {
    let endpoint: AuthEndpoint | undefined;
    const server = createServer((req, res) => endpoint?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = new AuthEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/pusher/auth`, opts);
    return endpoint;
  }

  /** Refuses the next `n` authorization requests with `status`. */
  refuseNext(n: number, status = 403): void {
    this.refusals = n;
    this.refusalStatus = status;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const socketId = form.get('socket_id') ?? '';
      const channel = form.get('channel_name') ?? '';
      const userId = form.get('user_id') ?? 'anonymous';
      const conn = `auth#${this.requests.length + 1}`;
      this.opts.log('http<', conn, `${req.method} ${req.url} ${body}`);
      let status = 200;
      let answer: unknown;
      if (req.method !== 'POST' || !req.url?.startsWith('/pusher/auth') || !socketId || !channel) {
        status = 400;
        answer = { error: 'POST /pusher/auth with socket_id and channel_name' };
      } else if (this.refusals > 0) {
        this.refusals--;
        status = this.refusalStatus;
        answer = { error: 'refused by the scripted app (hubproof client case)' };
      } else if (isPresence(channel)) {
        const channelData = JSON.stringify({ user_id: userId, user_info: memberInfo(userId) });
        answer = { auth: signChannelAuth(this.opts.app, socketId, channel, channelData), channel_data: channelData };
      } else {
        answer = { auth: signChannelAuth(this.opts.app, socketId, channel) };
      }
      const text = JSON.stringify(answer);
      this.requests.push({ t: this.opts.now(), socketId, channel, userId, status });
      this.opts.log('http>', conn, `${status} ${text}`);
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(text);
      this.opts.onRequest();
    });
  }
}
