/**
 * After the run: what the hub's HTTP API still shows of it, each leftover named with what hubproof knows
 * about the clients that were there ("presence-soak-r1-17 still lists user u-3 (its connection was
 * destroyed 94 s ago)"). Polls until nothing is left or the deadline passes.
 */
import type { LeaveHistory } from './cycle.ts';
import type { ChannelInfo, HubApi } from './hub-api.ts';
import type { LeaveKind } from './soak-types.ts';

const HOW: Record<LeaveKind, string> = {
  close: 'closed with a close frame',
  unsubscribe: 'unsubscribed and closed',
  destroy: 'destroyed',
  unresponsive: 'stopped answering',
};

/** This run's occupied channels (public, private with probes, presence); undefined when the API did not answer. */
export async function runChannels(api: HubApi, run: string): Promise<ChannelInfo[] | undefined> {
  const lists = await Promise.all([`soak-${run}-`, `private-soak-${run}-`, `presence-soak-${run}-`].map((p) => api.channels(p)));
  if (lists.some((l) => l === undefined)) return undefined;
  return lists.flat() as ChannelInfo[];
}

export interface ReturnCheck {
  /** ms after `from` when nothing was left, or null. */
  cleanAfterMs: number | null;
  leftovers: string[];
}

/** Polls every `pollMs` until the run has left nothing, or `deadline` (performance.now()) passes; then names what is left. */
export async function awaitReturn(
  api: HubApi,
  run: string,
  history: LeaveHistory,
  from: number,
  deadline: number,
  pollMs = 250,
): Promise<ReturnCheck> {
  let last: ChannelInfo[] | undefined;
  for (;;) {
    last = await runChannels(api, run);
    if (last && last.length === 0) return { cleanAfterMs: performance.now() - from, leftovers: [] };
    if (performance.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  if (!last) return { cleanAfterMs: null, leftovers: ["the hub's HTTP API did not answer the leftover check"] };
  return { cleanAfterMs: null, leftovers: await nameLeftovers(api, last, history) };
}

export async function nameLeftovers(api: HubApi, channels: ChannelInfo[], history: LeaveHistory, now = Date.now()): Promise<string[]> {
  const out: string[] = [];
  for (const ch of channels) {
    const past = history.get(ch.name) ?? [];
    if (ch.name.startsWith('presence-')) {
      const users = (await api.users(ch.name)) ?? [];
      for (const u of users) {
        const h = past.filter((p) => p.user === u).at(-1);
        out.push(`${ch.name} still lists user ${u}${h ? ` (its connection was ${HOW[h.kind]} ${ago(now, h.at)} ago)` : ''}`);
      }
      if (users.length > 0) continue;
    }
    const subs = ch.subscriptions === null ? '' : ` with ${ch.subscriptions} subscription(s)`;
    const kinds = [...new Set(past.map((p) => HOW[p.kind]))];
    const when = past.length ? ` (its clients left ${ago(now, Math.max(...past.map((p) => p.at)))} ago: ${kinds.join(', ')})` : '';
    out.push(`${ch.name} still occupied${subs}${when}`);
  }
  return out;
}

const ago = (now: number, at: number): string => `${Math.max(0, Math.round((now - at) / 100) / 10)} s`;
