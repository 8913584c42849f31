// @ts-check
/**
 * The dashboard page: token from `?token=` (or typed, kept for this tab only), the board fed by the
 * connection, and renders batched into one per animation frame however fast updates arrive. After each
 * frame's DOM writes it dispatches `presence:rendered` on window with the updates whose cards that frame
 * wrote, so a measuring script (hubproof's browser load scenario) can time updates to the DOM without
 * reaching into the page.
 */
import { Board, isPresenceUpdate } from './board.js';
import { PresenceConnection } from './connection.js';
import { compactNumber, fullNumber, relativeTime } from './format.js';
import { BoardView, STATUS_LABEL } from './view.js';

/** @typedef {import('./board.js').PresenceUpdate} PresenceUpdate */
/** @typedef {import('./connection.js').ConnectionState} ConnectionState */

const TOKEN_KEY = 'hubproof.dashboard.token';
/** Status changes are announced at most this often, summarised, so a screen reader is not flooded. */
const ANNOUNCE_EVERY_MS = 2000;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const params = new URLSearchParams(location.search);
const base = new URL('.', location.href);
const board = new Board();
const view = new BoardView({
  container: $('sessions'),
  cardTemplate: /** @type {HTMLTemplateElement} */ ($('card-template')),
  sessionTemplate: /** @type {HTMLTemplateElement} */ ($('session-template')),
  onNear: () => requestFrame(),
});

/** Updates received and not yet written to their card, per agent, in arrival order. @type {Map<string, PresenceUpdate[]>} */
const unwritten = new Map();
let frameRequested = false;
let receivedThisSecond = 0;
/** Updates per second over the last five seconds. @type {number[]} */
const rateWindow = [];
let lastUpdateAt = 0;
let dashboards = /** @type {number | null} */ (null);
/** @type {PresenceConnection | null} */
let connection = null;
/** @type {ConnectionState} */
let connState = { state: 'connecting' };
/** @type {string[]} */
let pendingAnnouncements = [];
let lastAnnouncedAt = 0;

function requestFrame() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(renderFrame);
}

function renderFrame() {
  frameRequested = false;
  const dirty = board.takeDirty();
  const written = view.render(board, dirty);
  renderTotals();
  queueTransitions();
  if (dirty.length > 0 && $('empty').hidden === false) $('empty').hidden = true;
  /** @type {PresenceUpdate[]} */
  const applied = [];
  for (const id of written) {
    const updates = unwritten.get(id);
    if (!updates) continue;
    for (const u of updates) applied.push(u);
    unwritten.delete(id);
  }
  if (applied.length > 0) window.dispatchEvent(new CustomEvent('presence:rendered', { detail: { updates: applied } }));
  // Cards further from the screen are written a few a frame until none waits.
  if (view.behind) requestFrame();
}

function renderTotals() {
  const t = board.totals();
  setText($('stat-active'), fullNumber(t.active));
  setText($('stat-idle'), fullNumber(t.idle));
  setText($('stat-offline'), fullNumber(t.offline));
  setText($('stat-sessions'), fullNumber(t.sessions));
  setText($('stat-tools'), fullNumber(t.tools));
  setText($('stat-tokens'), compactNumber(t.tokens));
  if ($('stat-tokens').title !== fullNumber(t.tokens)) $('stat-tokens').title = fullNumber(t.tokens);
  setText($('stat-dashboards'), dashboards === null ? '–' : fullNumber(dashboards));
  const title = `${t.active} active · Agent presence`;
  if (document.title !== title) document.title = title;
}

/** @param {HTMLElement} el @param {string} text */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function queueTransitions() {
  for (const t of board.takeTransitions()) pendingAnnouncements.push(`${t.agentId} is now ${STATUS_LABEL[t.to].toLowerCase()}`);
  flushAnnouncements();
}

function flushAnnouncements() {
  if (pendingAnnouncements.length === 0 || Date.now() - lastAnnouncedAt < ANNOUNCE_EVERY_MS) return;
  const items = pendingAnnouncements;
  pendingAnnouncements = [];
  lastAnnouncedAt = Date.now();
  const shown = items.slice(0, 3).join('; ');
  announce(items.length > 3 ? `${shown}; and ${items.length - 3} more status changes.` : `${shown}.`);
}

/** @param {string} text */
function announce(text) {
  $('announcer').textContent = text;
}

/** @param {unknown} msg */
function onUpdate(msg) {
  if (!isPresenceUpdate(msg)) return;
  receivedThisSecond++;
  lastUpdateAt = Date.now();
  board.applyUpdate(msg);
  const list = unwritten.get(msg.agent_id);
  if (list) list.push(msg);
  else unwritten.set(msg.agent_id, [msg]);
  requestFrame();
}

/** @param {import('./board.js').PresenceList} list */
function onSnapshot(list) {
  if (typeof list.dashboards === 'number') dashboards = list.dashboards;
  board.applySnapshot(list);
  if (list.agents.length === 0) $('empty').hidden = false;
  requestFrame();
}

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  syncing: 'Catching up…',
  live: 'Live',
  reconnecting: 'Reconnecting',
  unauthorized: 'Token refused',
  refused: 'Refused by the hub',
};

/** @param {ConnectionState} s */
function onState(s) {
  const prev = connState.state;
  connState = s;
  const el = $('connection');
  el.dataset.state = s.state;
  setText(q(el, '.conn-text'), CONNECTION_TEXT[s.state]);
  renderConnectionDetail();
  document.body.dataset.connection = s.state;
  if (s.state !== prev && (s.state === 'live' || s.state === 'reconnecting'))
    announce(s.state === 'live' ? 'Connected: live updates.' : 'Connection lost; reconnecting.');
  if (s.state === 'unauthorized') {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenForm(s.why);
  } else if (s.state === 'refused') {
    showNotice(
      'The hub refused this dashboard',
      `${s.why}. The hub allows a limited number of dashboards per session; close one, or open this page with another ?session_id=, then try again.`,
    );
  } else if (s.state === 'live') {
    $('notice').hidden = true;
  }
}

function renderConnectionDetail() {
  const detail = q($('connection'), '.conn-detail');
  if (connState.state === 'reconnecting') {
    const s = Math.max(0, Math.ceil((connState.at - Date.now()) / 1000));
    setText(detail, `in ${s} s · attempt ${connState.attempt} · ${connState.why}`);
  } else if (connState.state === 'live') {
    setText(detail, lastUpdateAt ? `last update ${relativeTime(Date.now() - lastUpdateAt)}` : 'no updates yet');
  } else setText(detail, '');
}

/** @param {ParentNode} root @param {string} sel */
const q = (root, sel) => /** @type {HTMLElement} */ (root.querySelector(sel));

/** @param {string} title @param {string} text */
function showNotice(title, text) {
  const n = $('notice');
  setText(q(n, '.notice-title'), title);
  setText(q(n, '.notice-text'), text);
  n.hidden = false;
}

/** @param {string} [error] */
function showTokenForm(error) {
  $('overview').hidden = true;
  $('agents').hidden = true;
  const form = /** @type {HTMLFormElement} */ ($('token-form'));
  form.hidden = false;
  setText($('token-error'), error ?? '');
  const input = /** @type {HTMLInputElement} */ ($('token-input'));
  input.setAttribute('aria-invalid', error ? 'true' : 'false');
  input.focus();
}

/** @param {string} token */
function start(token) {
  $('token-form').hidden = true;
  $('overview').hidden = false;
  $('agents').hidden = false;
  connection?.stop();
  connection = new PresenceConnection({ base, token, sessionId: params.get('session_id'), onUpdate, onSnapshot, onState });
  connection.start();
}

function everySecond() {
  rateWindow.push(receivedThisSecond);
  receivedThisSecond = 0;
  if (rateWindow.length > 5) rateWindow.shift();
  setText($('stat-rate'), fullNumber(Math.round(rateWindow.reduce((a, b) => a + b, 0) / rateWindow.length)));
  view.tick(Date.now());
  renderConnectionDetail();
  flushAnnouncements();
}

function applyFilter() {
  const filter = /** @type {HTMLInputElement} */ ($('filter')).value;
  const hideOffline = /** @type {HTMLInputElement} */ ($('hide-offline')).checked;
  const { shown, total } = view.setFilter(filter, hideOffline);
  setText($('filter-count'), shown === total ? '' : `Showing ${shown} of ${total} agents`);
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = /** @type {HTMLInputElement} */ ($('token-input')).value.trim();
  if (token === '') return showTokenForm('Enter an agent token.');
  sessionStorage.setItem(TOKEN_KEY, token);
  start(token);
});
q($('notice'), '.notice-retry').addEventListener('click', () => {
  $('notice').hidden = true;
  connection?.start();
});
$('filter').addEventListener('input', applyFilter);
$('hide-offline').addEventListener('change', applyFilter);
/** @type {HTMLInputElement} */ ($('filter')).value = params.get('filter') ?? '';
/** @type {HTMLInputElement} */ ($('hide-offline')).checked = params.get('hide_offline') === '1';
view.setFilter(/** @type {HTMLInputElement} */ ($('filter')).value, /** @type {HTMLInputElement} */ ($('hide-offline')).checked);
setInterval(everySecond, 1000);
fetch(new URL('api/hub', base))
  .then((r) => (r.ok ? r.json() : null))
  .then((info) => info && typeof info.name === 'string' && setText($('hub-name'), `Hub: ${info.name}`))
  .catch(() => undefined);

const token = params.get('token') ?? sessionStorage.getItem(TOKEN_KEY);
if (token) start(token);
else showTokenForm();
