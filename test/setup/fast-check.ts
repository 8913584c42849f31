/** Global fast-check settings for hubproof's own tests; runs are configurable with HUBPROOF_NUM_RUNS / HUBPROOF_SEED. */
import fc from 'fast-check';

const numRuns = Number(process.env.HUBPROOF_NUM_RUNS ?? 25);
const seed = process.env.HUBPROOF_SEED === undefined ? undefined : Number(process.env.HUBPROOF_SEED);
fc.configureGlobal({ numRuns, ...(seed === undefined ? {} : { seed }), interruptAfterTimeLimit: 20_000 });
