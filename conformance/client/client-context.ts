/**
 * Builds the context a client case runs with: the wire log on the case clock, check helpers that throw
 * CheckFailure / CaseOutcome (as the hub cases' context does), deferred cleanup, and the starters of the
 * case's scripted hub and driver.
 */
import { show } from '../context.ts';
import { CaseOutcome, CheckFailure, type WireEntry } from '../types.ts';
import type { ClientCaseContext } from './client-case.ts';
import { DriverSession } from './driver/driver-session.ts';
import type { DriverSpec } from './driver/driver-spec.ts';
import { ScriptedHub } from './scripted-hub/scripted-hub.ts';

export interface ClientHarness {
  ctx: ClientCaseContext;
  wire: WireEntry[];
  /** Stops drivers and hubs (reverse order), then other deferred cleanups; never throws. */
  cleanup(): Promise<void>;
}

/** Wire entries per case before further ones are dropped. */
const MAX_WIRE = 5000;

export function createClientContext(init: { requirements: readonly string[]; signal: AbortSignal; driver: DriverSpec }): ClientHarness {
  const started = performance.now();
  const now = () => Math.round((performance.now() - started) * 10) / 10;
  const wire: WireEntry[] = [];
  let dropped = 0;
  const deferred: Array<() => void | Promise<void>> = [];
  const log: ClientCaseContext['log'] = (dir, conn, text) => {
    if (wire.length >= MAX_WIRE) return void dropped++;
    wire.push({ t: now(), dir, conn, text });
  };

  const ctx: ClientCaseContext = {
    requirements: init.requirements,
    signal: init.signal,
    now,
    log,
    note: (text) => log('note', '-', text),
    expect(condition, message) {
      if (!condition) throw new CheckFailure(message);
    },
    fail(message, detail) {
      throw new CheckFailure(message, show(detail?.expected), show(detail?.actual), detail?.counterexample, {
        ...(detail?.requirement ? { requirement: detail.requirement } : {}),
        ...(detail?.rootCause ? { rootCause: detail.rootCause } : {}),
      });
    },
    skip(reason) {
      throw new CaseOutcome('skipped', reason);
    },
    informational(reason) {
      throw new CaseOutcome('informational', reason);
    },
    defer: (fn) => void deferred.push(fn),
    async startHub(options = {}) {
      const hub = await ScriptedHub.start({ ...options, now, log, signal: init.signal });
      deferred.push(() => hub.close());
      log('note', 'hub', `scripted hub on ws://127.0.0.1:${hub.port}, auth endpoint ${hub.auth.url}`);
      return hub;
    },
    async startDriver() {
      const session = await DriverSession.start(init.driver, { now, log, signal: init.signal });
      deferred.push(() => session.close());
      return session;
    },
  };

  return {
    ctx,
    wire,
    async cleanup() {
      while (deferred.length > 0) {
        try {
          await Promise.race([deferred.pop()!(), new Promise((r) => setTimeout(r, 3000).unref())]);
        } catch (err) {
          log('note', '-', `cleanup failed: ${(err as Error).message}`);
        }
      }
      if (dropped > 0) wire.push({ t: now(), dir: 'note', conn: '-', text: `${dropped} more wire entries dropped` });
    },
  };
}
