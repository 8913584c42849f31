/**
 * Writes docs/dashboard.png, the README's picture of the /dashboard page: a busy wall of agents across
 * several sessions, with active, idle and offline ones, while updates stream in. The quiet agents are
 * seeded into the hub's presence store with old activity times before it starts, so the hub's own sweep
 * makes them idle or offline (default timings: idle after 60 s, offline after 5 min).
 * Run: npx tsx scripts/dashboard-screenshot.ts [out.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../load/browser/chromium.ts';
import { PresenceStore, type PresenceState } from '../reference-server/agent-presence/presence-store.ts';
import { startHub } from '../reference-server/hub.ts';
import { openDatabase } from '../reference-server/store/db.ts';

const OUT = process.argv[2] ?? join(import.meta.dirname, '..', 'docs', 'dashboard.png');
const TOKEN = 'token-backend-0001';
const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob', 'WebFetch', 'Task', 'TodoWrite', 'MultiEdit'];
const SESSIONS = ['sess-auth-refactor', 'sess-billing-v2', 'sess-search-index', 'sess-release-1.8'];
const MODELS = ['claude', 'gemini', 'codex', 'claude', 'qwen'];
const ROLES = ['backend', 'frontend', 'tests', 'security', 'docs', 'infra', 'review', 'data'];

/** A deterministic pseudo-random stream, so the picture is the same on every run. */
let seed = 20250114;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const feature = (): string =>
  `feat-${Math.floor(rand() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;

interface Agent {
  id: string;
  session: string;
  /** How long ago it was last active, ms; 0 = it keeps working during the shot. */
  quietMs: number;
}

const agents: Agent[] = [];
for (let i = 0; i < 30; i++) {
  const quiet = i % 5 === 3 ? 60_000 + rand() * 200_000 : i % 7 === 5 ? 320_000 + rand() * 3_000_000 : 0;
  agents.push({
    id: `${MODELS[i % MODELS.length]}-${ROLES[i % ROLES.length]}-${String(i + 1).padStart(3, '0')}`,
    session: SESSIONS[i % SESSIONS.length]!,
    quietMs: quiet,
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-dashboard-shot-'));
const now = Date.now();
const db = openDatabase(dataDir);
const store = new PresenceStore(db);
for (const a of agents.filter((x) => x.quietMs > 0)) {
  const state: PresenceState = {
    agent_id: a.id,
    status: 'active',
    current_feature_id: feature(),
    last_tool_name: pick(TOOLS),
    last_activity_ms: now - a.quietMs,
    total_tools_executed: 20 + Math.floor(rand() * 400),
    total_cost_tokens: 40_000 + Math.floor(rand() * 2_500_000),
    session_id: a.session,
  };
  void store.put(state);
}
store.flush();
db.close();

const hub = await startHub({ port: 0, dataDir });
const post = (a: Agent, tokens: number): Promise<Response> =>
  fetch(`${hub.httpUrl}/api/presence/${a.id}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({
      event_type: 'tool_execute',
      tool_name: pick(TOOLS),
      feature_id: rand() < 0.15 ? feature() : undefined,
      cost_tokens: tokens,
      session_id: a.session,
    }),
  });
const busy = agents.filter((a) => a.quietMs === 0);
for (const a of busy) {
  await post(a, 0).then(() =>
    fetch(`${hub.httpUrl}/api/broadcast/features/${feature()}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ agent_id: a.id, status: 'in_progress' }),
    }),
  );
  for (let k = Math.floor(rand() * 60); k > 0; k--) await post(a, Math.floor(rand() * 40_000));
}
// Keep the busy agents working while the page is up.
const traffic = setInterval(() => void post(pick(busy), Math.floor(rand() * 20_000)), 40);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(`${hub.httpUrl}/dashboard?token=${TOKEN}&session_id=wall-screen`);
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.connection === 'live',
  );
  // Long enough for the sweep to mark the quiet agents and for updates/s to fill its window.
  await page.waitForTimeout(5500);
  await page.screenshot({ path: OUT, fullPage: true });
  process.stdout.write(`wrote ${OUT}\n`);
} finally {
  clearInterval(traffic);
  await browser.close();
  await hub.close();
  rmSync(dataDir, { recursive: true, force: true });
}
