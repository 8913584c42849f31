/** hubproof init's inputs: the nodes' HTTP bases derived from their WebSocket URLs, and --agent-token. */
import { describe, expect, it } from 'vitest';
import { parseAgentToken } from '../../../cli/init-command.ts';
import { httpBaseOf, initNodes } from '../../../target/init/urls.ts';

describe('init nodes', () => {
  it('derives http from ws and https from wss, keeping host, port and path prefix', () => {
    expect(httpBaseOf('ws://127.0.0.1:6001')).toBe('http://127.0.0.1:6001');
    expect(httpBaseOf('wss://hub.example.com/reverb/')).toBe('https://hub.example.com/reverb');
    expect(initNodes(['ws://a:1', 'ws://b:2/x'])).toEqual([
      { n: 1, ws: 'ws://a:1', http: 'http://a:1', httpGiven: false },
      { n: 2, ws: 'ws://b:2/x', http: 'http://b:2/x', httpGiven: false },
    ]);
  });

  it('takes the i-th --http for the i-th node', () => {
    expect(initNodes(['ws://a:1', 'ws://b:2'], ['https://api.example.com/'])).toEqual([
      { n: 1, ws: 'ws://a:1', http: 'https://api.example.com', httpGiven: true },
      { n: 2, ws: 'ws://b:2', http: 'http://b:2', httpGiven: false },
    ]);
  });

  it('refuses what is not a ws base URL, and more --http than nodes, naming the fix', () => {
    expect(() => initNodes([])).toThrow(/give the hub's WebSocket URL/);
    expect(() => initNodes(['http://a:1'])).toThrow(/node 1 URL "http:\/\/a:1" must be a ws or wss URL/);
    expect(() => initNodes(['ws://a:1/app/key?protocol=7'])).toThrow(/must be a base URL, without \?query/);
    expect(() => initNodes(['ws://a:1'], ['ws://a:1'])).toThrow(/--http for node 1 "ws:\/\/a:1" must be a http or https URL/);
    expect(() => initNodes(['ws://a:1'], ['http://a:1', 'http://b:1'])).toThrow(/2 --http URLs for 1 node/);
  });
});

describe('--agent-token', () => {
  it('reads IDENTIFIER:TOKEN and IDENTIFIER:TOKEN:PROJECTS; a token may hold a colon', () => {
    expect(parseAgentToken('claude-backend-001:token-backend-0001')).toEqual({
      identifier: 'claude-backend-001',
      token: 'token-backend-0001',
    });
    expect(parseAgentToken('a:t:1,2')).toEqual({ identifier: 'a', token: 't', projects: [1, 2] });
    expect(parseAgentToken('a:1|abc:def')).toEqual({ identifier: 'a', token: '1|abc:def' });
  });

  it('refuses a bare token, naming the form', () => {
    expect(() => parseAgentToken('token-backend-0001')).toThrow(/must be IDENTIFIER:TOKEN\[:PROJECTS\]/);
    expect(() => parseAgentToken(':t')).toThrow(/must be IDENTIFIER:TOKEN/);
  });
});
