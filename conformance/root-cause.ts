/**
 * The vocabulary of root causes: one constructor per hub behaviour the harness can observe, called where
 * it is observed (the HTTP status check, the subscribe helper, the socket, the heartbeat helper, the
 * close-code check). A fingerprint holds only what the behaviour is (the status, the code, the channel
 * kind), never a case's wording, so every row the behaviour failed lands in one group; `cause` is the
 * line the report prints above the group.
 */
import { closeClass, type CloseClass } from '../spec/protocol/close-codes.ts';
import type { RootCause } from './types.ts';

const CLASS_WORDS: Record<CloseClass, string> = {
  'dont-reconnect': '4000-4099, do not reconnect',
  backoff: '4100-4199, back off',
  'reconnect-now': '4200-4299, reconnect now',
  other: '4300-4999, other errors',
  'not-pusher': 'not a Pusher code',
};

const isSuccess = (status: number) => status >= 200 && status < 300;

/** Does the body name an error (`{error…}`, `{message…}` without success)? Soketi answers errors 200 with one. */
function bodyCarriesError(text: string): boolean {
  try {
    const json = JSON.parse(text) as unknown;
    return json !== null && typeof json === 'object' && ('error' in json || 'errors' in json || ('message' in json && !('ok' in json)));
  } catch {
    return false;
  }
}

/**
 * What an HTTP answer with an unexpected status shows about the hub: a refusal answered 2xx (with the
 * error in the body or not), a refusal answered 5xx, a request that should succeed refused, or another
 * status than the one asked for.
 */
export function httpStatusCause(status: number, allowed: readonly number[], body: string): RootCause {
  const wantsError = allowed.every((s) => s >= 400);
  if (wantsError && isSuccess(status)) {
    const inBody = bodyCarriesError(body);
    return {
      fingerprint: `http-error-as-2xx:${status}${inBody ? ':error-in-body' : ''}`,
      cause: inBody
        ? `HTTP API errors answered with status ${status} (the body carries the real code)`
        : `HTTP API requests that should be refused answered ${status}, with no error in the body (accepted)`,
    };
  }
  if (wantsError && status >= 500)
    return {
      fingerprint: `http-error-as-5xx:${status}`,
      cause: `HTTP API requests the caller got wrong answered ${status}, a server error`,
    };
  if (allowed.some(isSuccess) && status >= 400)
    return { fingerprint: `http-refused:${status}`, cause: `HTTP API requests that should succeed answered ${status}` };
  return {
    fingerprint: `http-status:${status}-for-${allowed.join('|')}`,
    cause: `HTTP API answered ${status} where ${allowed.join(' or ')} was due`,
  };
}

/** `presence` / `private` / `public`… as the subscribe helper saw the channel, and whether channel_data had user_info. */
export interface SubscriptionShape {
  kind: string;
  /** Presence only: the `channel_data` carried `user_info`. */
  userInfo?: boolean;
}

/** A subscription the case needed was refused (the refusal frame and its code). */
export function subscriptionRefusedCause(
  shape: SubscriptionShape,
  event: string,
  code: number | null,
  message: string | undefined,
): RootCause {
  const form = shape.userInfo === undefined ? '' : shape.userInfo ? ' with user_info' : ' without user_info';
  const formKey = shape.userInfo === undefined ? '' : shape.userInfo ? ':user_info' : ':no-user_info';
  const how = `${event}${code !== null ? ` ${code}` : ''}${message ? ` "${message.slice(0, 80)}"` : ''}`;
  return {
    fingerprint: `subscription-refused:${shape.kind}${formKey}:${event}:${code ?? 'no-code'}`,
    cause: `${shape.kind} subscriptions${form} refused with ${how}`,
  };
}

/**
 * The hub refused a new connection: `pusher:error <code>` instead of connection_established (Soketi
 * shutting down: 4200 "Server is closing"), a close code, or an HTTP status on the upgrade. The crash
 * detector reads the same fingerprint (isConnectionRefusal).
 */
export function connectionRefusedCause(
  how: { pusherError: number | null; message?: string } | { close: number; reason?: string } | { http: number } | { network: string },
): RootCause {
  if ('pusherError' in how) {
    return {
      fingerprint: `connection-refused:pusher-error:${how.pusherError ?? 'no-code'}`,
      cause: `hub refused new connections with pusher:error ${how.pusherError ?? '(no code)'}${how.message ? ` "${how.message.slice(0, 80)}"` : ''}`,
    };
  }
  if ('close' in how)
    return {
      fingerprint: `connection-refused:close:${how.close}`,
      cause: `hub closed new connections with ${how.close}${how.reason ? ` "${how.reason.slice(0, 80)}"` : ''} before connection_established`,
    };
  if ('http' in how)
    return { fingerprint: `connection-refused:http:${how.http}`, cause: `hub refused the WebSocket upgrade with HTTP ${how.http}` };
  if (how.network === 'timeout')
    return { fingerprint: 'connection-refused:network:timeout', cause: 'hub stopped answering HTTP requests in time' };
  return { fingerprint: `connection-refused:network:${how.network}`, cause: `hub not reachable (${how.network})` };
}

/** An open connection the case was using was closed by the hub with `code`. */
export function connectionClosedCause(code: number, reason: string): RootCause {
  return {
    fingerprint: `connection-closed:${code}`,
    cause: `hub closed open connections with ${code}${reason ? ` "${reason.slice(0, 80)}"` : ''}`,
  };
}

/** True for the fingerprints of a hub refusing or dropping connections (what a crash looks like from outside). */
export function isConnectionRefusal(cause: RootCause | undefined): boolean {
  return (
    cause !== undefined && (cause.fingerprint.startsWith('connection-refused:') || /^connection-closed:42\d\d$/.test(cause.fingerprint))
  );
}

/** The hub never pinged an idle connection (neither `pusher:ping` nor a WebSocket ping). */
export const NO_SERVER_PING: RootCause = {
  fingerprint: 'no-server-ping',
  cause:
    'the hub never pings an idle connection (neither pusher:ping nor a WebSocket ping), so it cannot tell a stalled connection from an idle one',
};

/**
 * The hub pinged idle connections of one kind only: those that hold a subscription and not those without
 * (Laravel Reverb, laravel/reverb#375), or the reverse.
 */
export function pingsOnlyCause(pinged: 'subscribed' | 'unsubscribed'): RootCause {
  return pinged === 'subscribed'
    ? {
        fingerprint: 'no-server-ping:without-subscriptions',
        cause:
          'the hub never pings an idle connection without subscriptions (it pings one that holds a subscription), so it cannot tell such a connection stalled from idle',
      }
    : {
        fingerprint: 'no-server-ping:with-subscriptions',
        cause:
          'the hub never pings an idle connection that holds a subscription (it pings one without), so it cannot tell a subscriber stalled from idle',
      };
}

/** A close or error code outside the class its condition calls for. */
export function closeCodeCause(code: number): RootCause {
  return {
    fingerprint: `close-code-class:${code}`,
    cause: `code ${code} (${CLASS_WORDS[closeClass(code)]}) used for a condition of another class`,
  };
}
