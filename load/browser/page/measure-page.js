// @ts-check
/**
 * hubproof's measuring page: what a dashboard does with the presence stream, and no more. It connects to
 * the `ws` URL given in its query string, keeps the latest presence per agent, and once per animation
 * frame writes the agents that changed into one card each; then it dispatches `presence:rendered` with
 * every update that frame applied (the contract the instrument measures). Served by hubproof on
 * loopback, never by the hub under test.
 */

/**
 * @typedef {{ agent_id: string, status: string, current_feature_id: string | null, last_tool_name: string | null,
 *   last_activity: string, total_tools_executed: number, total_cost_tokens: number, session_id: string | null }} AgentPresence
 * @typedef {{ type: string, event_type: string, agent_id: string, presence: AgentPresence, timestamp: string }} PresenceUpdate
 * @typedef {{ root: HTMLElement, fields: HTMLElement[] }} Card
 */

const FIELDS = ['status', 'feature', 'last tool', 'tools', 'tokens', 'session', 'last activity'];
/** @param {AgentPresence} p */
const values = (p) => [
  p.status,
  p.current_feature_id ?? '—',
  p.last_tool_name ?? '—',
  String(p.total_tools_executed),
  String(p.total_cost_tokens),
  p.session_id ?? '—',
  p.last_activity,
];

const grid = /** @type {HTMLElement} */ (document.getElementById('cards'));
const el = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @type {Map<string, Card>} */
const cards = new Map();
/** @type {Map<string, AgentPresence>} */
const latest = new Map();
/** @type {PresenceUpdate[]} */
let frameUpdates = [];
let frameRequested = false;
let total = 0;

/** @param {string} agentId */
function card(agentId) {
  let c = cards.get(agentId);
  if (c) return c;
  const root = document.createElement('article');
  const h = document.createElement('h2');
  h.textContent = agentId;
  const dl = document.createElement('dl');
  const fields = FIELDS.map((name) => {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dl.append(dt, dd);
    return dd;
  });
  root.append(h, dl);
  grid.append(root);
  c = { root, fields };
  cards.set(agentId, c);
  return c;
}

function render() {
  frameRequested = false;
  for (const [agentId, p] of latest) {
    const c = card(agentId);
    const v = values(p);
    c.root.dataset.status = p.status;
    v.forEach((text, i) => {
      const f = /** @type {HTMLElement} */ (c.fields[i]);
      if (f.textContent !== text) f.textContent = text;
    });
  }
  latest.clear();
  el('agents').textContent = String(cards.size);
  el('updates').textContent = String(total);
  const updates = frameUpdates;
  frameUpdates = [];
  window.dispatchEvent(new CustomEvent('presence:rendered', { detail: { updates } }));
}

const url = new URLSearchParams(location.search).get('ws');
if (!url) throw new Error('measuring page needs ?ws=<WebSocket URL>');
const ws = new WebSocket(url);
ws.onopen = () => (el('state').textContent = 'open');
ws.onclose = (/** @type {CloseEvent} */ e) => (el('state').textContent = `closed ${e.code} ${e.reason}`);
ws.onmessage = (/** @type {MessageEvent<string>} */ e) => {
  /** @type {PresenceUpdate} */
  const u = JSON.parse(e.data);
  if (u.type !== 'presence_update') return;
  total++;
  latest.set(u.agent_id, u.presence);
  frameUpdates.push(u);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(render);
  }
};
