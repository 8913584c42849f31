/**
 * Mutant agents (agent-mutants.mjs): the reference agent with one rule of profile sync-client broken.
 * Each must miss exactly the rule it breaks and nothing else; `reference` must pass everything. Data,
 * shared by the self-test and `npm run mutants:client`.
 */
import { fileURLToPath } from 'node:url';
import { driverSpec, type DriverSpec } from '../../conformance/client/driver/driver-spec.ts';

export interface AgentMutant {
  name: string;
  /** The requirement it violates. */
  breaks: string;
  describe: string;
}

const DRIVER = fileURLToPath(new URL('./agent-mutants.mjs', import.meta.url));

export function agentMutantDriver(name: string): DriverSpec {
  return driverSpec(`"${process.execPath}" "${DRIVER}" --mutant ${name}`);
}

export const AGENT_MUTANTS: readonly AgentMutant[] = [
  { name: 'no-backoff', breaks: 'sync-client/backoff/1', describe: 'retries a refused connection or a 5xx at once' },
  { name: 'backoff-without-cap', breaks: 'sync-client/backoff/2', describe: 'backs off exponentially with no ceiling' },
  {
    name: 'new-key-per-attempt',
    breaks: 'sync-client/idempotency/1',
    describe: 'sends each attempt of a create with a fresh Idempotency-Key',
  },
  { name: 'no-heartbeat', breaks: 'sync-client/heartbeat/1', describe: 'never heartbeats' },
  { name: 'no-catch-up', breaks: 'sync-client/catch-up/1', describe: 'resubscribes after a drop but never reads history' },
  {
    name: 'ignores-conflicts',
    breaks: 'sync-client/conflicts/1',
    describe: 'hands conflict events on but keeps creating while a conflict is unresolved',
  },
  { name: 'no-leave', breaks: 'sync-client/leave/1', describe: 'closes the stream when done without DELETE …/participants/{pid}' },
];
