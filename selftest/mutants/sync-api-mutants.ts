/**
 * Mutants that break the sync API's stored guarantees: idempotent retries, history and persistence.
 */
import { editHistory, proxyMutant } from './proxy-mutant.ts';
import type { Mutant } from './types.ts';

export const reEmitOnRetry: Mutant = proxyMutant({
  name: 're-emit-on-retry',
  breaks: 'sync/idempotency/2',
  selectors: ['sync/idempotency/2'],
  describe:
    'Performs a retried request again (its used Idempotency-Key is ignored), so the event is sent a second time with a fresh event_id',
  hooks: () => {
    const seen = new Set<string>();
    return {
      http: {
        request(req) {
          const key = req.headers['idempotency-key'];
          if (typeof key !== 'string') return;
          // Same agent, same request, same key: the correct hub answers from its idempotency store.
          const id = `${String(req.headers.authorization)} ${req.method} ${req.url} ${key}`;
          if (seen.has(id)) delete req.headers['idempotency-key'];
          else seen.add(id);
        },
      },
    };
  },
});

export const historyRepeatsEventId: Mutant = proxyMutant({
  name: 'history-repeats-event-id',
  breaks: 'sync/idempotency/5',
  selectors: ['sync/idempotency/5'],
  describe: 'Lists the first event of every history page twice, the copy with the next event’s seq (one event_id stored twice)',
  hooks: () => ({
    http: {
      response: editHistory((page) => {
        const [first, second] = page.events;
        if (first && second) page.events.splice(1, 0, { ...first, seq: second.seq });
      }),
    },
  }),
});

export const historySkipsEvent: Mutant = proxyMutant({
  name: 'history-skips-event',
  breaks: 'sync/history/1',
  selectors: ['sync/history/1'],
  describe: 'Leaves the second event out of every history page (an off-by-one in paging)',
  hooks: () => ({
    http: {
      response: editHistory((page) => {
        if (page.events.length >= 2) page.events.splice(1, 1);
      }),
    },
  }),
});

/** The seq the history-drops-fixed-seq mutant strips from every page. */
const FIXED_SEQ = 3;

export const historyDropsFixedSeq: Mutant = proxyMutant({
  name: 'history-drops-fixed-seq',
  breaks: 'sync/history/1',
  selectors: ['sync/history/1'],
  describe: `Strips the event with seq ${FIXED_SEQ} from every history response (the stored history stays self-consistent minus one event)`,
  hooks: () => ({
    http: {
      response: editHistory((page) => {
        page.events = page.events.filter((e) => e.seq !== FIXED_SEQ);
      }),
    },
  }),
});

export const restartLosesEvents: Mutant = proxyMutant({
  name: 'restart-loses-events',
  breaks: 'sync/delivery/2',
  selectors: ['sync/delivery/2'],
  describe: 'Comes back from a restart with an empty database (a fresh data dir): every stored event is gone',
  upstream: { freshOnRestart: true },
  hooks: () => ({}),
});
