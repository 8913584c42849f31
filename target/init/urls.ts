/**
 * The nodes `hubproof init` probes: each WebSocket base URL as given, and its HTTP base derived from it
 * (`ws` → `http`, `wss` → `https`, same host, port and path prefix) unless `--http` names it.
 */
import { HubproofError } from '../../spec/errors.ts';

export interface InitNode {
  /** 1-based, as the summary and errors name nodes. */
  n: number;
  ws: string;
  http: string;
  /** True when `http` came from `--http`, not from the ws URL. */
  httpGiven: boolean;
}

/** `ws://h:1/prefix/` → `http://h:1/prefix`. */
export function httpBaseOf(ws: string): string {
  const u = new URL(ws);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  return stripSlash(u.toString());
}

const stripSlash = (url: string): string => url.replace(/\/+$/, '');

function checkUrl(url: string, protocols: string[], what: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HubproofError('HUBPROOF_ERR_USAGE', `${what} "${url}" is not a URL; give one like ${protocols[0]}//127.0.0.1:6001`);
  }
  if (!protocols.includes(u.protocol))
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `${what} "${url}" must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL (the hub's base, e.g. ${protocols[0]}//127.0.0.1:6001)`,
    );
  if (u.search || u.hash) throw new HubproofError('HUBPROOF_ERR_USAGE', `${what} "${url}" must be a base URL, without ?query or #fragment`);
  return stripSlash(u.toString());
}

/** The nodes in the order given; the i-th `--http` belongs to the i-th URL. */
export function initNodes(wsUrls: readonly string[], httpUrls: readonly string[] = []): InitNode[] {
  if (wsUrls.length === 0)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      "give the hub's WebSocket URL: hubproof init ws://127.0.0.1:6001 --app-id … --key … --secret …",
    );
  if (httpUrls.length > wsUrls.length)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `${httpUrls.length} --http URLs for ${wsUrls.length} node(s): give at most one per WebSocket URL, in the same order`,
    );
  return wsUrls.map((raw, i) => {
    const ws = checkUrl(raw, ['ws:', 'wss:'], `node ${i + 1} URL`);
    const given = httpUrls[i];
    return {
      n: i + 1,
      ws,
      http: given === undefined ? httpBaseOf(ws) : checkUrl(given, ['http:', 'https:'], `--http for node ${i + 1}`),
      httpGiven: given !== undefined,
    };
  });
}
