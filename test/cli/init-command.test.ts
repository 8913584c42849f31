/**
 * `hubproof init`: from a hub's URL to a target file that the other commands run with. Against the real
 * reference hub (embedded, in-process, and as a 2-node cluster), the same hub behind a relay that answers
 * only Pusher, wrong credentials and a port nobody listens on. The probes run in-process through the CLI's
 * `main` (exit code, stdout, stderr); `conform` on the written file runs as the real CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../cli/embedded-target.ts';
import { main } from '../../cli/main.ts';
import { startMutatingProxy, type MutatingProxy } from '../../selftest/kit/mutating-proxy.ts';
import { loadTargetFile, type TargetFile } from '../../spec/target.ts';
import { NO_REDIS } from '../reference-server/cluster/helpers.ts';
import { publishedSchemaErrors } from '../helpers/published-schema.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hubproof-init-'));
let hub: EmbeddedTarget;
/** The reference hub behind a relay that refuses the agent APIs as a Pusher-only hub does (404). */
let pusherOnly: MutatingProxy;
let files = 0;

beforeAll(async () => {
  hub = await startEmbeddedTarget({ timers: 'fast', mode: 'in-process' });
  const agentPaths = /^\/(api|broadcasting)\//;
  pusherOnly = await startMutatingProxy({
    upstream: hub.target.nodes[0]!.http,
    http: {
      response(req, res) {
        if (!agentPaths.test(req.url)) return;
        res.status = 404;
        res.headers = { 'content-type': 'text/plain' };
        res.body = Buffer.from('Not Found');
      },
    },
    refuseUpgrade: (url) => (url.startsWith('/ws/broadcasts') ? 404 : undefined),
  });
}, 60_000);
afterAll(async () => {
  await pusherOnly?.close();
  await hub?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const credentials = (t: TargetFile = hub.target) => ['--app-id', t.app.id, '--key', t.app.key, '--secret', t.app.secret];
const tokens = (t: TargetFile = hub.target) =>
  t.agents.flatMap((a) => ['--agent-token', `${a.identifier}:${a.token}:${a.projects.join(',')}`]);
const outFile = () => join(dir, `target-${++files}.json`);

/** `hubproof init …` in-process: exit code and what it printed. */
async function init(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  try {
    const code = await main(['init', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** `hubproof conform --target FILE SELECTORS…` as the real CLI; its JSON report. */
function conform(
  file: string,
  selectors: string[],
): Promise<{ code: number | null; output: string; report: { results: Array<{ requirement: string; outcome: string; reason?: string }> } }> {
  const json = `${file}.report.json`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'hubproof.js'), 'conform', '--target', file, ...selectors, '--json', json],
      { cwd: ROOT, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code, output: stdout + stderr, report: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : { results: [] } });
      },
    );
  });
}

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** One line on stderr, `Error: … [CODE]`, exit 2, and no file. */
function expectOneError(r: { code: number; stdout: string; stderr: string }, file: string, code: string, says: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^Error: .*\\[${code}\\]$`));
  expect(lines[0]).toMatch(says);
  expect(existsSync(file)).toBe(false);
}

describe('hubproof init against the reference hub', () => {
  it('writes a target with every profile, the announced timers, signin and what it could not find, which conform then passes', async () => {
    const out = outFile();
    const r = await init([hub.target.nodes[0]!.ws, ...credentials(), ...tokens(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as TargetFile;
    // The file every command reads, through the same schema.
    const target = loadTargetFile(out);
    expect(target).toMatchObject({
      name: 'hubproof-reference',
      profiles: ['pusher', 'sync', 'agent-presence'],
      nodes: hub.target.nodes.map((n) => ({ ws: n.ws, http: n.http })),
      app: hub.target.app,
      agents: hub.target.agents,
      capabilities: { signin: true },
    });
    const info = (await (await fetch(`${hub.target.nodes[0]!.http}/api/hub`)).json()) as { timings: { activity_timeout_s: number } };
    expect(written.timings).toEqual({ activity_timeout_s: info.timings.activity_timeout_s });
    expect(Object.keys(written._todo!)).toEqual(['restart.command', 'process.pid', 'webhooks.listen']);
    expect(written._todo!['webhooks.listen']).toMatch(/GET \/api\/hub advertises webhooks: give the URL the hub posts them to/);
    expect(r.stdout).toMatch(
      /node 1 {2}ws:\/\/127\.0\.0\.1:\d+ {2}reachable · pusher:connection_established \(activity_timeout \d+ s\) · HTTP API accepted the credentials/,
    );
    expect(r.stdout).toMatch(/signin {10}pusher:signin_success/);
    expect(r.stdout).toMatch(/agent token {5}claude-frontend-002's accepted: GET \/api\/channels\/private-project\.1\/events → 200/);
    expect(r.stdout).toMatch(/webhooks {8}GET \/api\/hub advertises webhooks: true; where the hub posts them cannot be seen from outside/);
    expect(r.stdout).toMatch(/left for you \(the file's _todo says why\): restart\.command, process\.pid, webhooks\.listen/);

    const run = await conform(out, ['pusher/connection', 'pusher/signin', 'sync/auth', 'agent-presence/api']);
    expect(run.code, run.output).toBe(0);
    const outcomes = (p: string) => run.report.results.filter((x) => x.requirement.startsWith(p)).map((x) => x.outcome);
    for (const p of ['pusher/connection', 'pusher/signin', 'sync/auth', 'agent-presence/api']) expect(outcomes(p), p).toContain('pass');
    expect(run.report.results.filter((x) => x.outcome === 'fail' || x.outcome === 'unimplemented')).toEqual([]);
    expect(publishedSchemaErrors('conformance', run.report)).toEqual([]);
  }, 120_000);

  it('without agent tokens writes the pusher profile and says the agent APIs answered behind tokens', async () => {
    const out = outFile();
    const r = await init([hub.target.nodes[0]!.ws, ...credentials(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const target = loadTargetFile(out);
    expect(target.profiles).toEqual(['pusher']);
    expect(target.agents).toEqual([]);
    expect(target._todo?.agents).toMatch(
      /GET \/api\/channels\/private-project\.1\/events → 401, GET \/api\/presence → 401, WS \/ws\/broadcasts → closed 1008\).*--agent-token IDENTIFIER:TOKEN/,
    );
    expect(r.stdout).toMatch(/sync {12}behind an agent token, not tested \(give --agent-token\)/);
    expect(r.stdout).toMatch(/! GET \/api\/hub advertises sync, agent-presence, not confirmed here: not in the file/);
  });

  it('probes the HTTP API at --http when the ws URL is not where it lives', async () => {
    // WebSockets through the Pusher-only relay, HTTP straight to the hub: the sync API answers only because --http was used.
    const out = outFile();
    const r = await init([pusherOnly.wsUrl, '--http', hub.target.nodes[0]!.http, ...credentials(), ...tokens(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const target = loadTargetFile(out);
    expect(target.nodes).toEqual([{ ws: pusherOnly.wsUrl, http: hub.target.nodes[0]!.http }]);
    expect(target.profiles).toEqual(['pusher', 'sync']);
    expect(r.stdout).toContain(`(${hub.target.nodes[0]!.http}, from --http)`);
  });

  it('refuses to replace an existing file without --force, before probing anything', async () => {
    const out = outFile();
    writeFileSync(out, 'keep me');
    const r = await init(['ws://127.0.0.1:1', ...credentials(), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: .* exists; pass --force to replace it, or --out another path \[HUBPROOF_ERR_USAGE\]\n$/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect((await init([hub.target.nodes[0]!.ws, ...credentials(), '--out', out, '--force'])).code).toBe(0);
    expect(loadTargetFile(out).profiles).toEqual(['pusher']);
  });
});

describe('hubproof init refuses, saying which', () => {
  const ws = () => hub.target.nodes[0]!.ws;
  const app = () => hub.target.app;

  it('a wrong secret: the HTTP API refused the credentials', async () => {
    const out = outFile();
    const r = await init([ws(), '--app-id', app().id, '--key', app().key, '--secret', 'not-the-secret', '--out', out]);
    expectOneError(
      r,
      out,
      'HUBPROOF_ERR_CREDENTIALS_REJECTED',
      /node 1's HTTP API refused the app credentials: GET http:\/\/\S+\/apps\/1\/channels answered 401 .*check --secret/,
    );
  });

  it('a wrong key: the hub refused the key with 4001', async () => {
    const out = outFile();
    const r = await init([ws(), '--app-id', app().id, '--key', 'no-such-key', '--secret', app().secret, '--out', out]);
    expectOneError(r, out, 'HUBPROOF_ERR_CREDENTIALS_REJECTED', /node 1 refused app key "no-such-key" .*4001.*check --key/);
  });

  it('a wrong app id: the HTTP API has no such app', async () => {
    const out = outFile();
    const r = await init([ws(), '--app-id', '999', '--key', app().key, '--secret', app().secret, '--out', out]);
    expectOneError(r, out, 'HUBPROOF_ERR_CREDENTIALS_REJECTED', /HTTP API has no app "999": .* 404 .*check --app-id/);
  });

  it('a wrong agent token: the agent API refused it', async () => {
    const out = outFile();
    const r = await init([ws(), ...credentials(), '--agent-token', 'claude-backend-001:not-a-token', '--out', out]);
    expectOneError(
      r,
      out,
      'HUBPROOF_ERR_CREDENTIALS_REJECTED',
      /refused the token of agent "claude-backend-001": .*401.*check --agent-token/,
    );
  });

  it('an unreachable port, naming the node (the first, or a later one)', async () => {
    const port = await deadPort();
    const out = outFile();
    expectOneError(
      await init([`ws://127.0.0.1:${port}`, ...credentials(), '--out', out]),
      out,
      'HUBPROOF_ERR_TARGET_UNREACHABLE',
      new RegExp(`node 1 did not answer at ws://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); check the URL and that the hub runs`),
    );
    expectOneError(
      await init([ws(), `ws://127.0.0.1:${port}`, ...credentials(), '--out', out]),
      out,
      'HUBPROOF_ERR_TARGET_UNREACHABLE',
      /node 2 did not answer at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('a port that answers but is no hub', async () => {
    const { createServer: http } = await import('node:http');
    const s = http((_q, res) => res.writeHead(404).end());
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    try {
      const out = outFile();
      const r = await init([`ws://127.0.0.1:${(s.address() as { port: number }).port}`, ...credentials(), '--out', out]);
      expectOneError(
        r,
        out,
        'HUBPROOF_ERR_NO_PROFILE',
        /answers TCP but not as a hub hubproof tests: no Pusher socket at \/app\/hubproof-key \(the WebSocket upgrade was answered with HTTP 404\)/,
      );
    } finally {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});

describe('hubproof init against a hub that answers only Pusher', () => {
  it('writes the pusher profile even with agent tokens, and conform runs with the file', async () => {
    const out = outFile();
    const r = await init([pusherOnly.wsUrl, ...credentials(), ...tokens(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const target = loadTargetFile(out);
    expect(target.profiles).toEqual(['pusher']);
    expect(target._todo?.['timings.pong_timeout_ms']).toMatch(/no GET \/api\/hub, so hubproof assumes 30000 ms/);
    expect(target._todo?.['webhooks.listen']).toMatch(/cannot be seen from outside/);
    expect(r.stdout).toMatch(/hub info {8}none \(GET \S+\/api\/hub → 404\)/);
    expect(r.stdout).toMatch(/sync {12}not there: GET \/api\/channels\/private-project\.1\/events → 404/);
    expect(r.stdout).toMatch(/agent-presence {2}not there: GET \/api\/presence → 404, WS \/ws\/broadcasts → HTTP 404/);

    const run = await conform(out, ['pusher/connection', 'pusher/signin', 'sync/auth/1', 'agent-presence/api/5']);
    expect(run.code, run.output).toBe(0);
    const by = (p: string) => run.report.results.filter((x) => x.requirement.startsWith(p)).map((x) => x.outcome);
    expect(by('pusher/connection')).toContain('pass');
    expect(by('pusher/signin')).toContain('pass');
    expect(new Set([...by('sync/'), ...by('agent-presence/')])).toEqual(new Set(['unimplemented']));
  }, 120_000);
});

describe.skipIf(NO_REDIS !== undefined)(`hubproof init against a 2-node cluster${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
  let cluster: EmbeddedTarget;
  beforeAll(async () => {
    cluster = await startEmbeddedTarget({ cluster: 2, mode: 'in-process', timers: 'fast' });
  }, 60_000);
  afterAll(async () => cluster?.dispose());

  it('probes every node and leaves the cluster-only fields as notes', async () => {
    const out = outFile();
    const r = await init([
      ...cluster.target.nodes.map((n) => n.ws),
      ...credentials(cluster.target),
      ...tokens(cluster.target),
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const target = loadTargetFile(out);
    expect(target.nodes).toEqual(cluster.target.nodes.map((n) => ({ ws: n.ws, http: n.http })));
    expect(target.profiles).toEqual(['pusher', 'sync', 'agent-presence']);
    expect(r.stdout.match(/^ {2}node \d .* reachable · pusher:connection_established .* HTTP API accepted the credentials/gm)).toHaveLength(
      2,
    );
    expect(r.stdout).toMatch(/cluster of 2 live node\(s\)/);
    expect(Object.keys(target._todo!)).toEqual(expect.arrayContaining(['neighbour', 'nodes.1.kill']));
  }, 60_000);
});
