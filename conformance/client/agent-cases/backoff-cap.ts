/**
 * sync-client/backoff/2: the agent's back-off stops growing at a ceiling of at most 5 s
 * (docs/protocol.md, "Back-off ceiling"). The case asks for a 500 ms ceiling through `join`, so that
 * showing the ceiling takes two seconds, not a minute.
 */
import { DependencyUnmet } from '../../types.ts';
import type { ClientCase } from '../client-case.ts';
import { joinedAgent } from './helpers.ts';
import { FIRST_GAP_MIN_MS } from './join-backoff.ts';

const CEILING = 'sync-client/backoff/2';
const BACKOFF = 'sync-client/backoff/1';
/** Silence after a failure that means the agent stopped retrying (backoff/1's "back within 5 s"). */
const STOPPED_MS = 5000;
/** What the case asks the agent for (`join.backoffCapMs`). */
export const CAP_ASKED_MS = 500;
/** The protocol's ceiling on the ceiling. */
const CEILING_MAX_MS = 5000;
/** Jitter around the ceiling and a loaded machine. */
const gapBound = (ceilingMs: number) => Math.round(ceilingMs * 1.25 + 750);
/**
 * Refused attempts in a row: the fewest n whose last gap an uncapped doubling from 0.1 s would stretch over
 * the bound (after n refusals the (n+1)th gap of such an agent is 0.1 s × 2ⁿ).
 */
export const failuresFor = (ceilingMs: number) => Math.floor(Math.log2(gapBound(ceilingMs) / FIRST_GAP_MIN_MS)) + 1;

const backoffCap: ClientCase = {
  requirement: CEILING,
  desc: `Asks the agent for a ${CAP_ASKED_MS} ms back-off ceiling, drops its event stream and refuses its next ${failuresFor(CAP_ASKED_MS)} stream connections; expects no gap from a failure to the next attempt over the ceiling × 1.25 + 0.75 s`,
  // An agent whose ceiling is fixed at the 5 s allowed needs about 20 s of refusals to show it.
  timeoutMs: 45_000,
  async run(ctx) {
    const { api, app } = await joinedAgent(ctx, {}, { backoffCapMs: CAP_ASKED_MS });
    const own = app.find('joined')!.obs.backoffCapMs;
    const ceiling = own ?? CAP_ASKED_MS;
    const whose = own === undefined ? `the ${CAP_ASKED_MS} ms asked for in join` : `its own ${own} ms (reported in joined)`;
    if (ceiling > CEILING_MAX_MS)
      return ctx.fail(`the agent’s back-off ceiling is ${own} ms`, {
        expected: `a ceiling of at most ${CEILING_MAX_MS} ms`,
        actual: `joined.backoffCapMs ${own}`,
      });
    const failures = failuresFor(ceiling);
    const bound = gapBound(ceiling);
    const from = api.of('stream').length;
    api.refuse('stream', failures);
    api.stream.dropAll();
    // The drop is the first failure; each refused attempt is the next.
    let failedAt = ctx.now();
    const gaps: number[] = [];
    for (let i = 0; i <= failures; i++) {
      // Long enough for one more doubling past the bound; silence beyond it is an agent that stopped retrying.
      const giveUp = Math.max(STOPPED_MS, Math.round(bound * 2.2));
      const next = await api.until(() => api.of('stream')[from + i], Math.max(0, failedAt + giveUp - ctx.now()));
      const shown = [...gaps, next ? Math.round(next.t - failedAt) : '…'].join(', ');
      if (!next)
        throw new DependencyUnmet(
          BACKOFF,
          `the agent made no attempt within ${giveUp} ms of failure ${i + 1}: it stopped retrying (gaps ${shown} ms)`,
        );
      if (next.t - failedAt > bound)
        return ctx.fail(`the agent waited ${Math.round(next.t - failedAt)} ms after failure ${i + 1}: its back-off grew past its ceiling`, {
          expected: `no gap over ${bound} ms (ceiling ${ceiling} ms × 1.25 + 750 ms), however many attempts fail`,
          actual: `gaps from each failure to the next attempt: ${shown} ms (ceiling ${whose})`,
        });
      gaps.push(Math.round(next.t - failedAt));
      if (next.outcome !== 'refused') break;
      failedAt = next.answeredAt ?? next.t;
    }
    ctx.note(`gaps from each failure to the next attempt: ${gaps.join(', ')} ms (ceiling ${whose}, bound ${bound} ms)`);
  },
};

export const backoffCapCases: readonly ClientCase[] = [backoffCap];
