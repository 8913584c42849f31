// @ts-check
/**
 * What the dashboard knows about each agent. Updates from the stream and snapshots from
 * GET /api/presence may arrive in either order around a reconnect, so each agent keeps the hub time of
 * the state shown (`asOf`: an update's `timestamp`, a snapshot's `timestamp`) and an older one is ignored.
 */

/**
 * @typedef {'active' | 'idle' | 'offline'} Status
 * @typedef {{ agent_id: string, status: Status, current_feature_id: string | null, last_tool_name: string | null,
 *   last_activity: string, total_tools_executed: number, total_cost_tokens: number, session_id: string | null }} AgentPresence
 * @typedef {{ type: 'presence_update', event_type: string, agent_id: string, presence: AgentPresence, timestamp: string }} PresenceUpdate
 * @typedef {{ agents: AgentPresence[], timestamp: string, dashboards?: number }} PresenceList
 * @typedef {{ agentId: string, from: Status, to: Status }} Transition
 * @typedef {{ active: number, idle: number, offline: number, sessions: number, tools: number, tokens: number }} Totals
 */

/** @param {unknown} m @returns {m is PresenceUpdate} */
export function isPresenceUpdate(m) {
  if (typeof m !== 'object' || m === null) return false;
  const u = /** @type {Record<string, unknown>} */ (m);
  const p = /** @type {Record<string, unknown> | null} */ (u.presence);
  return (
    u.type === 'presence_update' && typeof u.timestamp === 'string' && typeof p === 'object' && p !== null && typeof p.agent_id === 'string'
  );
}

/** @param {AgentPresence} a @param {AgentPresence} b */
function samePresence(a, b) {
  return (
    a.status === b.status &&
    a.last_activity === b.last_activity &&
    a.total_tools_executed === b.total_tools_executed &&
    a.total_cost_tokens === b.total_cost_tokens &&
    a.last_tool_name === b.last_tool_name &&
    a.current_feature_id === b.current_feature_id &&
    a.session_id === b.session_id
  );
}

export class Board {
  constructor() {
    /** @type {Map<string, { presence: AgentPresence, asOf: number }>} */
    this.agents = new Map();
    /** Agents changed since the last takeDirty(). @type {Set<string>} */
    this.dirty = new Set();
    /** Status changes since the last takeTransitions(). @type {Transition[]} */
    this.transitions = [];
  }

  /**
   * @param {AgentPresence} presence
   * @param {number} asOf hub time of this state, ms
   * @returns {boolean} whether it was newer than what the board had
   */
  apply(presence, asOf) {
    const prev = this.agents.get(presence.agent_id);
    if (prev && asOf < prev.asOf) return false;
    this.agents.set(presence.agent_id, { presence, asOf });
    // A snapshot repeats what most cards already show: only a real change costs a render.
    if (prev && samePresence(prev.presence, presence)) return true;
    this.dirty.add(presence.agent_id);
    if (prev && prev.presence.status !== presence.status) {
      this.transitions.push({ agentId: presence.agent_id, from: prev.presence.status, to: presence.status });
    }
    return true;
  }

  /** @param {PresenceUpdate} u */
  applyUpdate(u) {
    return this.apply(u.presence, Date.parse(u.timestamp));
  }

  /** @param {PresenceList} list */
  applySnapshot(list) {
    const asOf = Date.parse(list.timestamp);
    for (const a of list.agents) this.apply(a, asOf);
  }

  /** @returns {string[]} */
  takeDirty() {
    const ids = [...this.dirty];
    this.dirty.clear();
    return ids;
  }

  takeTransitions() {
    const t = this.transitions;
    this.transitions = [];
    return t;
  }

  /** @returns {Totals} */
  totals() {
    const t = { active: 0, idle: 0, offline: 0, sessions: 0, tools: 0, tokens: 0 };
    const sessions = new Set();
    for (const { presence: p } of this.agents.values()) {
      t[p.status]++;
      t.tools += p.total_tools_executed;
      t.tokens += p.total_cost_tokens;
      if (p.session_id !== null) sessions.add(p.session_id);
    }
    t.sessions = sessions.size;
    return t;
  }
}
