/**
 * Pusher close and error codes, and the reconnect class each range implies.
 * Source: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/#error-codes
 */
export const CloseCode = {
  /** Sent by the hub before a TLS-only app is reached over plain ws. */
  SSL_ONLY: 4000,
  APP_NOT_FOUND: 4001,
  APP_DISABLED: 4003,
  APP_OVER_CONNECTION_QUOTA: 4004,
  PATH_NOT_FOUND: 4005,
  INVALID_VERSION_FORMAT: 4006,
  UNSUPPORTED_PROTOCOL: 4007,
  NO_PROTOCOL: 4008,
  UNAUTHORIZED: 4009,
  OVER_CAPACITY: 4100,
  GENERIC_RECONNECT: 4200,
  PONG_NOT_RECEIVED: 4201,
  CLOSED_AFTER_INACTIVITY: 4202,
  CLIENT_EVENT_RATE_LIMIT: 4301,
  /** Catch-all for bad input that must not end the connection (sent as pusher:error). */
  INVALID_MESSAGE: 4302,
} as const;
export type CloseCodeName = keyof typeof CloseCode;

export type CloseClass = 'dont-reconnect' | 'backoff' | 'reconnect-now' | 'other' | 'not-pusher';

/** 4000-4099 don't reconnect, 4100-4199 back off, 4200-4299 reconnect now, 4300-4999 other. */
export function closeClass(code: number): CloseClass {
  if (code >= 4000 && code <= 4099) return 'dont-reconnect';
  if (code >= 4100 && code <= 4199) return 'backoff';
  if (code >= 4200 && code <= 4299) return 'reconnect-now';
  if (code >= 4300 && code <= 4999) return 'other';
  return 'not-pusher';
}

/**
 * The agent-presence stream is not Pusher, so it uses RFC 6455 codes: 1013 "try again later" when a
 * session already has its maximum of dashboards (a dashboard may retry once one leaves), 1008
 * "policy violation" for a missing or invalid token.
 */
export const DASHBOARD_LIMIT_CLOSE_CODE = 1013;
export const DASHBOARD_UNAUTHORIZED_CLOSE_CODE = 1008;
