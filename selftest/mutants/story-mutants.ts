/**
 * Mutants shaped like real hubs' deviations, each with the exact run it must produce: one behaviour
 * behind many rows comes out as one root-cause group, and no `fail` is charged to a requirement the
 * mutant does not break (rows that needed the broken requirement read `blocked` by it).
 */
import type { ProxyConn } from '../kit/mutating-proxy.ts';
import { proxyMutant } from './proxy-mutant.ts';
import type { Mutant } from './types.ts';

interface ClientFrame {
  event?: unknown;
  channel?: unknown;
  data?: unknown;
}

function dataObject(f: ClientFrame): Record<string, unknown> | undefined {
  if (typeof f.data === 'string') {
    try {
      return JSON.parse(f.data) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return f.data !== null && typeof f.data === 'object' ? (f.data as Record<string, unknown>) : undefined;
}

/** The `channel_data` of a presence subscription, parsed; undefined when absent or not JSON. */
function channelData(d: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof d.channel_data !== 'string') return undefined;
  try {
    const v = JSON.parse(d.channel_data) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Soketi 1.6's shape: every HTTP API error goes out with status 200, the real code and message in the
 * JSON body. One behaviour; every case that expects a 4xx fails on it, and the report groups them.
 */
export const httpErrorsAs200: Mutant = proxyMutant({
  name: 'http-errors-as-200',
  breaks: 'pusher/http-auth/2',
  selectors: ['pusher/http-auth', 'pusher/http-api'],
  describe: 'Answers every HTTP API error with status 200, the code and message in the JSON body (Soketi’s shape)',
  // Every row whose requirement asks for a 4xx fails, all in one group; http-auth/8 (publish nothing
  // when refusing) passes: the mutant publishes nothing, whatever status it answers with.
  story: {
    notPassing: {
      'pusher/http-api/2#1': 'fail',
      'pusher/http-api/3#1': 'fail',
      'pusher/http-api/6#1': 'fail',
      'pusher/http-api/7#1': 'fail',
      'pusher/http-api/9#1': 'fail',
      'pusher/http-api/12#1': 'fail',
      'pusher/http-auth/2#1': 'fail',
      'pusher/http-auth/3#1': 'fail',
      'pusher/http-auth/4#1': 'fail',
      'pusher/http-auth/5#1': 'fail',
      'pusher/http-auth/6#1': 'fail',
      'pusher/http-auth/7#1': 'fail',
      'pusher/http-api/13#1': 'skipped',
    },
    groups: {
      'http-error-as-2xx:200:error-in-body': [
        'pusher/http-api/2#1',
        'pusher/http-api/3#1',
        'pusher/http-api/6#1',
        'pusher/http-api/7#1',
        'pusher/http-api/9#1',
        'pusher/http-api/12#1',
        'pusher/http-auth/2#1',
        'pusher/http-auth/3#1',
        'pusher/http-auth/4#1',
        'pusher/http-auth/5#1',
        'pusher/http-auth/6#1',
        'pusher/http-auth/7#1',
      ],
    },
  },
  hooks: () => ({
    http: {
      response(req, res) {
        if (!req.url.startsWith('/apps/') || res.status < 400) return;
        const text = res.body.toString('utf8');
        let message: unknown = text;
        try {
          const j = JSON.parse(text) as { error?: { message?: unknown } | string };
          message = typeof j.error === 'object' ? (j.error.message ?? text) : (j.error ?? text);
        } catch {
          // not JSON: the text is the message
        }
        res.body = Buffer.from(JSON.stringify({ error: message, code: res.status }));
        res.status = 200;
        res.headers = { ...res.headers, 'content-type': 'application/json' };
      },
    },
  }),
});

/**
 * Reverb 1.10's shape: a presence subscription whose `channel_data` has no `user_info` is refused with
 * `pusher:error 4200 "Invalid message format"`. Only the bare form's requirement fails; the cases that
 * use presence channels give their members `user_info` and pass.
 */
export const presenceRefusesBareMember: Mutant = proxyMutant({
  name: 'presence-refuses-bare-member',
  breaks: 'pusher/presence/9',
  selectors: ['pusher/presence', 'pusher/subscribe', 'pusher/auth', 'pusher/cache', 'pusher/client-events', 'pusher/http-api/9', 'pusher/http-api/10', 'pusher/http-api/11'],
  describe: 'Refuses presence subscriptions without `user_info` with pusher:error 4200 "Invalid message format" (Reverb’s shape)',
  strict: true,
  // Only the bare form's SHOULD misses; presence/10 (list a bare member) cannot be judged and is
  // blocked by it; every other presence case sets its members up with user_info and passes.
  story: {
    notPassing: {
      'pusher/presence/9#1': 'non-strict',
      'pusher/presence/9#2': 'non-strict',
      'pusher/presence/10#1': 'blocked:pusher/presence/9',
    },
    groups: {
      'subscription-refused:presence:no-user_info:pusher:error:4200': ['pusher/presence/9#1', 'pusher/presence/9#2', 'pusher/presence/10#1'],
    },
  },
  hooks: () => ({
    ws: {
      fromClient(conn: ProxyConn, _text, json) {
        const f = json as ClientFrame | undefined;
        if (f?.event !== 'pusher:subscribe') return undefined;
        const d = f ? dataObject(f) : undefined;
        if (typeof d?.channel !== 'string' || !d.channel.startsWith('presence-')) return undefined;
        const cd = d ? channelData(d) : undefined;
        if (!cd || 'user_info' in cd) return undefined;
        conn.toClient(JSON.stringify({ event: 'pusher:error', data: { code: 4200, message: 'Invalid message format' } }));
        return null;
      },
    },
  }),
});
