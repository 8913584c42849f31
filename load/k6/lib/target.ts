/**
 * The target file, read the way the Node driver reads it: `TARGET=path k6 run …`. k6 scripts cannot import
 * the zod schema (no Node modules in k6), so this is the subset they use, checked by hand.
 */
export interface K6Target {
  name: string;
  profiles: string[];
  nodes: Array<{ ws: string; http: string }>;
  app: { id: string; key: string; secret: string };
  agents: Array<{ identifier: string; token: string; projects?: number[] }>;
}

export function loadTarget(path: string | undefined): K6Target {
  if (!path) throw new Error('set TARGET to a hubproof target file: k6 run -e TARGET=target.json …');
  const t = JSON.parse(open(path)) as Partial<K6Target>;
  if (!t.name || !t.nodes?.length || !t.app?.key || !t.app.secret || !t.app.id) {
    throw new Error(`${path} is not a hubproof target file (needs name, nodes[0].ws/http, app.id/key/secret)`);
  }
  return { name: t.name, profiles: t.profiles ?? [], nodes: t.nodes, app: t.app, agents: t.agents ?? [] };
}

export const trimSlash = (u: string): string => u.replace(/\/+$/, '');

/** Numeric setting from `-e NAME=…`, else the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}
