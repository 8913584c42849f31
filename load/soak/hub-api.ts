/**
 * The hub seen from outside through its own Pusher HTTP API, signed with the app secret: this run's
 * occupied channels with their subscription and presence counts, a presence channel's users, and
 * publishing. Works against any Pusher hub; a hub that refuses `info=subscription_count` is asked
 * without it from then on (`subscriptionCount` false).
 */
import { signHttpRequest } from '../../spec/protocol/signing.ts';
import type { TargetFile } from '../../spec/target.ts';
import { HttpClient, type HttpResult } from '../driver/http-client.ts';

export interface ChannelInfo {
  name: string;
  subscriptions: number | null;
  users: number | null;
}

export class HubApi {
  private readonly http: HttpClient;
  /** False once the hub refused `info=subscription_count`. */
  subscriptionCount = true;

  constructor(
    private readonly target: TargetFile,
    maxSockets = 8,
  ) {
    this.http = new HttpClient({ base: target.nodes[0]!.http, maxSockets, timeoutMs: 5000 });
  }

  private path(p: string): string {
    return `${this.http.prefix}/apps/${this.target.app.id}${p}`;
  }

  request(method: 'GET' | 'POST', p: string, params: Record<string, string> = {}, body?: string): Promise<HttpResult> {
    const path = this.path(p);
    const query = signHttpRequest(this.target.app, { method, path, params, ...(body !== undefined ? { body } : {}) });
    return this.http.request(method, path.slice(this.http.prefix.length), {
      query,
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
    });
  }

  /** Occupied channels whose name starts with `prefix`; undefined when the hub did not answer 200. */
  async channels(prefix: string): Promise<ChannelInfo[] | undefined> {
    const presence = prefix.startsWith('presence-');
    const info = [...(presence ? ['user_count'] : []), ...(this.subscriptionCount ? ['subscription_count'] : [])];
    let res = await this.request('GET', '/channels', { filter_by_prefix: prefix, ...(info.length ? { info: info.join(',') } : {}) });
    if (res.status === 400 && this.subscriptionCount) {
      this.subscriptionCount = false;
      return this.channels(prefix);
    }
    if (res.status !== 200) return undefined;
    const body = parse(res) as { channels?: Record<string, { subscription_count?: number; user_count?: number }> } | undefined;
    if (!body?.channels) return undefined;
    return Object.entries(body.channels).map(([name, a]) => ({
      name,
      subscriptions: typeof a.subscription_count === 'number' ? a.subscription_count : null,
      users: typeof a.user_count === 'number' ? a.user_count : null,
    }));
  }

  /** User ids a presence channel lists; undefined when the hub did not answer 200. */
  async users(channel: string): Promise<string[] | undefined> {
    const res = await this.request('GET', `/channels/${encodeURIComponent(channel)}/users`);
    if (res.status !== 200) return undefined;
    const body = parse(res) as { users?: Array<{ id?: unknown }> } | undefined;
    return body?.users?.map((u) => String(u.id));
  }

  /** Publishes one event to `channels`; resolves with the HTTP status (0: no answer). */
  async publish(channels: string[], name: string, data: string): Promise<HttpResult> {
    return this.request('POST', '/events', {}, JSON.stringify({ name, channels, data }));
  }

  close(): void {
    this.http.close();
  }
}

function parse(res: HttpResult): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}
