// @ts-check
/**
 * The agent cards, grouped by session. A card is created once per agent and updated in place (only the
 * fields whose text changed are written). Cards on or near the screen are written in the frame their
 * update arrives; cards further away wait, and a few of them are written each frame (oldest first) or
 * as soon as they scroll near, so a wall of 200 agents at 1000 updates/s costs what the screen shows,
 * while off-screen cards (and what a screen reader reads from them) stay at most about a second behind.
 * Sessions are ordered by name and cards by agent id: nothing jumps around when an agent changes status.
 */
import { compactNumber, fullNumber, relativeTime } from './format.js';

/** @typedef {import('./board.js').AgentPresence} AgentPresence */
/** @typedef {import('./board.js').Board} Board */

export const STATUS_LABEL = { active: 'Active', idle: 'Idle', offline: 'Offline' };
const NO_SESSION = '\u0000';
/** claude-2 before claude-10. */
const byName = new Intl.Collator('en', { numeric: true }).compare;
/** Cards off screen written per frame: 360/s at 60 fps, so each of 200 is refreshed within about a second. */
const OFFSCREEN_PER_FRAME = 6;
/** "Near the screen": within a tenth of a viewport height of it. */
const NEAR_MARGIN = '10% 0px';

/**
 * @typedef {{ root: HTMLElement, icon: HTMLElement, label: HTMLElement, feature: HTMLElement, tool: HTMLElement,
 *   tools: HTMLElement, tokens: HTMLElement, session: HTMLElement, activity: HTMLTimeElement,
 *   sessionKey: string, activityMs: number, presence: AgentPresence | null, status: string }} Card
 * @typedef {{ root: HTMLElement, name: HTMLElement, meta: HTMLElement, cards: HTMLElement, key: string }} Group
 */

/** @param {ParentNode} root @param {string} sel */
const q = (root, sel) => /** @type {HTMLElement} */ (root.querySelector(sel));

/** @param {HTMLElement} el @param {string} text */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** For values a narrow card may cut short: the whole value stays in the tooltip. @param {HTMLElement} el @param {string} text */
function setTextAndTitle(el, text) {
  if (el.textContent === text) return;
  el.textContent = text;
  el.title = text;
}

export class BoardView {
  /**
   * @param {{ container: HTMLElement, cardTemplate: HTMLTemplateElement, sessionTemplate: HTMLTemplateElement,
   *   onNear: () => void }} o onNear: a card with a waiting update came near the screen (render soon)
   */
  constructor(o) {
    this.o = o;
    /** @type {Map<string, Card>} */
    this.cards = new Map();
    /** @type {Map<string, Group>} */
    this.groups = new Map();
    this.filter = '';
    this.hideOffline = false;
    this.nextId = 0;
    /** Agents whose card is on or near the screen. @type {Set<string>} */
    this.near = new Set();
    /** Agents with an update not yet written, in the order they first waited. @type {Set<string>} */
    this.waiting = new Set();
    this.io = new IntersectionObserver((entries) => this.onIntersect(entries), { rootMargin: NEAR_MARGIN });
  }

  /** Whether some card still waits for its update to be written. */
  get behind() {
    return this.waiting.size > 0;
  }

  /**
   * Writes the changed cards that are near the screen, and a few of those further away.
   * @param {Board} board
   * @param {Iterable<string>} changed agents changed since the last frame
   * @returns {string[]} the agents whose card this frame wrote
   */
  render(board, changed) {
    for (const id of changed) this.waiting.add(id);
    /** @type {string[]} */
    const now = [];
    let far = 0;
    for (const id of this.waiting) {
      if (!this.cards.has(id) || this.near.has(id)) now.push(id);
      else if (far < OFFSCREEN_PER_FRAME) {
        now.push(id);
        far++;
      }
    }
    const touched = new Set();
    for (const id of now) {
      this.waiting.delete(id);
      const entry = board.agents.get(id);
      if (!entry) continue;
      const card = this.cards.get(id) ?? this.createCard(id);
      const before = card.sessionKey;
      this.fill(card, entry.presence);
      touched.add(card.sessionKey);
      if (before !== card.sessionKey) touched.add(before);
    }
    for (const key of touched) this.updateGroup(key, board);
    return now;
  }

  /** Re-renders the ticking parts of the cards on screen: relative times. @param {number} now */
  tick(now) {
    for (const id of this.near) {
      const c = this.cards.get(id);
      if (c) setText(c.activity, relativeTime(now - c.activityMs));
    }
  }

  /** @param {IntersectionObserverEntry[]} entries */
  onIntersect(entries) {
    let wake = false;
    for (const e of entries) {
      const id = /** @type {HTMLElement} */ (e.target).dataset.agent ?? '';
      if (e.isIntersecting) {
        this.near.add(id);
        const c = this.cards.get(id);
        if (c) setText(c.activity, relativeTime(Date.now() - c.activityMs));
        if (this.waiting.has(id)) wake = true;
      } else this.near.delete(id);
    }
    if (wake) this.o.onNear();
  }

  /**
   * @param {string} filter
   * @param {boolean} hideOffline
   * @returns {{ shown: number, total: number }}
   */
  setFilter(filter, hideOffline) {
    this.filter = filter.trim().toLowerCase();
    this.hideOffline = hideOffline;
    let shown = 0;
    for (const c of this.cards.values()) if (this.applyFilter(c)) shown++;
    for (const g of this.groups.values()) g.root.hidden = !anyShown(g);
    return { shown, total: this.cards.size };
  }

  /** @param {Card} c @returns {boolean} shown */
  applyFilter(c) {
    const hide = (this.hideOffline && c.status === 'offline') || (this.filter !== '' && !searchText(c.presence).includes(this.filter));
    if (c.root.hidden !== hide) c.root.hidden = hide;
    return !hide;
  }

  /** @param {string} id */
  createCard(id) {
    const root = /** @type {HTMLElement} */ (
      /** @type {DocumentFragment} */ (this.o.cardTemplate.content.cloneNode(true)).firstElementChild
    );
    const heading = q(root, '.agent-id');
    heading.id = `agent-${this.nextId++}`;
    heading.textContent = id;
    heading.title = id;
    root.setAttribute('aria-labelledby', heading.id);
    root.dataset.agent = id;
    // Near until the observer says otherwise: a new card is written at once.
    this.near.add(id);
    this.io.observe(root);
    /** @type {Card} */
    const card = {
      root,
      icon: q(root, '.status-icon'),
      label: q(root, '.status-label'),
      feature: q(root, '.f-feature'),
      tool: q(root, '.f-tool'),
      tools: q(root, '.f-tools'),
      tokens: q(root, '.f-tokens'),
      session: q(root, '.f-session'),
      activity: /** @type {HTMLTimeElement} */ (q(root, '.f-activity')),
      sessionKey: '',
      activityMs: 0,
      presence: null,
      status: '',
    };
    this.cards.set(id, card);
    return card;
  }

  /** @param {Card} c @param {AgentPresence} p */
  fill(c, p) {
    if (c.status !== p.status) {
      c.status = p.status;
      c.root.dataset.status = p.status;
      c.icon.dataset.status = p.status;
      c.label.textContent = STATUS_LABEL[p.status];
    }
    setTextAndTitle(c.feature, p.current_feature_id ?? '—');
    setTextAndTitle(c.tool, p.last_tool_name ?? '—');
    setText(c.tools, fullNumber(p.total_tools_executed));
    setText(c.tokens, compactNumber(p.total_cost_tokens));
    if (c.tokens.title !== fullNumber(p.total_cost_tokens)) c.tokens.title = fullNumber(p.total_cost_tokens);
    setTextAndTitle(c.session, p.session_id ?? '—');
    if (c.activity.dateTime !== p.last_activity) {
      c.activity.dateTime = p.last_activity;
      c.activityMs = Date.parse(p.last_activity);
      setText(c.activity, relativeTime(Date.now() - c.activityMs));
    }
    c.presence = p;
    const key = p.session_id ?? NO_SESSION;
    if (key !== c.sessionKey) {
      c.sessionKey = key;
      insertSorted(this.group(key).cards, c.root, (el) => byName(el.dataset.agent ?? '', p.agent_id));
    }
    this.applyFilter(c);
  }

  /** @param {string} key */
  group(key) {
    let g = this.groups.get(key);
    if (g) return g;
    const root = /** @type {HTMLElement} */ (
      /** @type {DocumentFragment} */ (this.o.sessionTemplate.content.cloneNode(true)).firstElementChild
    );
    const name = q(root, '.session-name');
    name.id = `session-${this.nextId++}`;
    name.textContent = key === NO_SESSION ? 'No session' : key;
    root.setAttribute('aria-labelledby', name.id);
    root.dataset.session = key;
    g = { root, name, meta: q(root, '.session-meta'), cards: q(root, '.cards'), key };
    this.groups.set(key, g);
    insertSorted(this.o.container, root, (el) => bySession(el.dataset.session ?? '', key));
    return g;
  }

  /** @param {string} key @param {Board} board */
  updateGroup(key, board) {
    const g = this.groups.get(key);
    if (!g) return;
    if (g.cards.childElementCount === 0) {
      g.root.remove();
      this.groups.delete(key);
      return;
    }
    let active = 0;
    for (const el of g.cards.children) {
      const id = /** @type {HTMLElement} */ (el).dataset.agent ?? '';
      if (board.agents.get(id)?.presence.status === 'active') active++;
    }
    const n = g.cards.childElementCount;
    setText(g.meta, `${n} agent${n === 1 ? '' : 's'} · ${active} active`);
    const hidden = !anyShown(g);
    if (g.root.hidden !== hidden) g.root.hidden = hidden;
  }
}

/** @param {AgentPresence | null} p */
function searchText(p) {
  return p ? `${p.agent_id} ${p.current_feature_id ?? ''} ${p.last_tool_name ?? ''} ${p.session_id ?? ''}`.toLowerCase() : '';
}

/** @param {Group} g */
function anyShown(g) {
  for (const el of g.cards.children) if (!(/** @type {HTMLElement} */ (el).hidden)) return true;
  return false;
}

/** Sessions by name, "No session" last. @param {string} a @param {string} b */
function bySession(a, b) {
  if (a === b) return 0;
  if (a === NO_SESSION) return 1;
  if (b === NO_SESSION) return -1;
  return byName(a, b);
}

/**
 * Inserts (or moves) `el` into `parent` before the first other child that sorts after it.
 * @param {HTMLElement} parent
 * @param {HTMLElement} el
 * @param {(child: HTMLElement) => number} compareToEl > 0 when the child sorts after `el`
 */
function insertSorted(parent, el, compareToEl) {
  let before = null;
  for (const child of parent.children) {
    if (child !== el && compareToEl(/** @type {HTMLElement} */ (child)) > 0) {
      before = child;
      break;
    }
  }
  parent.insertBefore(el, before);
}
