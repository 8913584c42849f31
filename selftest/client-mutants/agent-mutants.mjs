#!/usr/bin/env node
// @ts-check
/**
 * Mutant agents: hubproof's reference agent with one rule of profile sync-client broken, each a subclass
 * overriding one method (`--mutant NAME`; `reference` is the reference agent itself). Run as a
 * `--driver` command like any third-party agent driver; agent-mutants.ts says which rule each breaks.
 */
import { randomUUID } from 'node:crypto';
import { driverArgs, emit, orExit, serveDriver } from '../../conformance/client/drivers/driver-io.mjs';
import { agentHandlers, ReferenceAgent } from '../../conformance/client/drivers/reference-agent.mjs';

/** @type {Record<string, typeof ReferenceAgent>} */
export const AGENT_MUTANTS = {
  reference: ReferenceAgent,
  /**
   * Not a mutant: an agent whose 1.6 s back-off ceiling cannot be set. It ignores join.backoffCapMs and
   * reports its own in joined, as the protocol asks, so it must pass sync-client/backoff/2.
   */
  'fixed-ceiling': class extends ReferenceAgent {
    /** @param {ConstructorParameters<typeof ReferenceAgent>} args */
    constructor(...args) {
      super(...args);
      this.backoffCapMs = 1600;
    }
  },
  /** Retries at once, however often the hub refuses or answers 5xx. */
  'no-backoff': class extends ReferenceAgent {
    retryDelay() {
      return 0;
    }
  },
  /** Backs off exponentially but without a ceiling: the gaps keep doubling however long the outage. */
  'backoff-without-cap': class extends ReferenceAgent {
    /** @param {number} ms */
    capDelay(ms) {
      return ms;
    }
  },
  /** Sends every attempt of a create with a fresh Idempotency-Key. */
  'new-key-per-attempt': class extends ReferenceAgent {
    keyForAttempt() {
      return randomUUID();
    }
  },
  /** Never heartbeats. */
  'no-heartbeat': class extends ReferenceAgent {
    startHeartbeat() {}
  },
  /** Resubscribes after a drop but never reads history: hands on live events only. */
  'no-catch-up': class extends ReferenceAgent {
    /** @param {string} event @param {any} data */
    onLive(event, data) {
      this.deliver(event, data);
    }
    async catchUp() {}
  },
  /** Hands conflict events on but keeps creating as if nothing happened. */
  'ignores-conflicts': class extends ReferenceAgent {
    onConflict() {}
  },
  /** Stops heartbeating and closes the stream when done, without DELETE. */
  'no-leave': class extends ReferenceAgent {
    async leave() {
      this.stop();
      this.emit({ type: 'left', agent: this.name });
    }
  },
};

const args = await orExit(() => driverArgs(process.argv.slice(2)));
const name = args.mutant ?? 'reference';
const Agent = AGENT_MUTANTS[name];
if (!Agent) {
  process.stderr.write(`driver: unknown mutant ${name}; known: ${Object.keys(AGENT_MUTANTS).join(', ')}\n`);
  process.exit(2);
}
const { shutdown, ...handlers } = agentHandlers(Agent, emit);
serveDriver({ driver: `agent-mutant ${name}`, library: `reference agent, mutant ${name}`, version: '1' }, handlers, shutdown);
