import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  DASHBOARD_LIMIT_CLOSE_CODE,
  DASHBOARD_UNAUTHORIZED_CLOSE_CODE,
  closeClass,
  type CloseClass,
} from '../../../spec/protocol/close-codes.ts';

describe('closeClass', () => {
  it.each<[number, CloseClass]>([
    [3999, 'not-pusher'],
    [4000, 'dont-reconnect'],
    [4099, 'dont-reconnect'],
    [4100, 'backoff'],
    [4199, 'backoff'],
    [4200, 'reconnect-now'],
    [4299, 'reconnect-now'],
    [4300, 'other'],
    [4999, 'other'],
    [5000, 'not-pusher'],
    [1000, 'not-pusher'],
    [1013, 'not-pusher'],
  ])('%i is %s', (code, cls) => {
    expect(closeClass(code)).toBe(cls);
  });

  it('puts each named code in the class the Pusher docs give it', () => {
    const expected: Record<keyof typeof CloseCode, CloseClass> = {
      SSL_ONLY: 'dont-reconnect',
      APP_NOT_FOUND: 'dont-reconnect',
      APP_DISABLED: 'dont-reconnect',
      APP_OVER_CONNECTION_QUOTA: 'dont-reconnect',
      PATH_NOT_FOUND: 'dont-reconnect',
      INVALID_VERSION_FORMAT: 'dont-reconnect',
      UNSUPPORTED_PROTOCOL: 'dont-reconnect',
      NO_PROTOCOL: 'dont-reconnect',
      UNAUTHORIZED: 'dont-reconnect',
      OVER_CAPACITY: 'backoff',
      GENERIC_RECONNECT: 'reconnect-now',
      PONG_NOT_RECEIVED: 'reconnect-now',
      CLOSED_AFTER_INACTIVITY: 'reconnect-now',
      CLIENT_EVENT_RATE_LIMIT: 'other',
      INVALID_MESSAGE: 'other',
    };
    for (const [name, code] of Object.entries(CloseCode)) expect(closeClass(code), name).toBe(expected[name as keyof typeof CloseCode]);
  });

  it('keeps the numbers the Pusher protocol names', () => {
    expect(CloseCode.APP_NOT_FOUND).toBe(4001);
    expect(CloseCode.UNSUPPORTED_PROTOCOL).toBe(4007);
    expect(CloseCode.NO_PROTOCOL).toBe(4008);
    expect(CloseCode.UNAUTHORIZED).toBe(4009);
    expect(CloseCode.PONG_NOT_RECEIVED).toBe(4201);
    expect(CloseCode.CLIENT_EVENT_RATE_LIMIT).toBe(4301);
  });

  it('uses RFC 6455 codes, not Pusher codes, on the dashboard stream', () => {
    expect(DASHBOARD_LIMIT_CLOSE_CODE).toBe(1013);
    expect(DASHBOARD_UNAUTHORIZED_CLOSE_CODE).toBe(1008);
    expect(closeClass(DASHBOARD_LIMIT_CLOSE_CODE)).toBe('not-pusher');
  });
});
