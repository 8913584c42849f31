/**
 * Property checks against a live hub. Runs fast-check with the run's seed, numRuns and replay path;
 * each generated run gets a child context whose sockets are closed when the run ends. A failure throws
 * a PropertyFailure carrying seed, path and the shrunk counterexample, so the runner can print a
 * command that replays exactly that run.
 */
import fc from 'fast-check';
import { childContext } from './context.ts';
import { CaseAbortedError } from './clients/wait.ts';
import { CheckFailure, type CaseContext, type CheckScope } from './types.ts';

export class PropertyFailure extends CheckFailure {
  constructor(
    message: string,
    expected: string | undefined,
    actual: string | undefined,
    counterexample: unknown,
    readonly seed: number,
    readonly path: string | undefined,
    scope: CheckScope = {},
  ) {
    super(message, expected, actual, counterexample, scope);
  }
}

export interface CheckPropertyOptions {
  /**
   * Wall-clock budget for generation and shrinking together; past it fast-check stops and a failure
   * found so far is still reported. Keep it below the case's timeoutMs. Default 20 000 ms.
   */
  timeBudgetMs?: number;
  /** Upper bound on runs whatever `ctx.fc.numRuns` says (for expensive properties). */
  maxRuns?: number;
}

/**
 * Asserts `predicate` for values of `arbitrary`. The predicate fails by throwing (ctx.expect / ctx.fail)
 * or returning false; it receives a per-run context whose `defer`red cleanups run after each run.
 */
export async function checkProperty<T>(
  ctx: CaseContext,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T, runCtx: CaseContext) => Promise<boolean | void>,
  opts: CheckPropertyOptions = {},
): Promise<void> {
  let run = 0;
  const property = fc.asyncProperty(arbitrary, async (value) => {
    const n = ++run;
    ctx.note(`property run ${n} starts`);
    const child = childContext(ctx);
    try {
      return await predicate(value, child.ctx);
    } finally {
      await child.cleanup();
      // Stringified after the run: command sequences only show the commands actually executed.
      ctx.note(`property run ${n}: ${clipValue(fc.stringify(value))}`);
    }
  });
  const numRuns = Math.max(1, Math.min(ctx.fc.numRuns, opts.maxRuns ?? Infinity));
  const details = await fc.check(property, {
    seed: ctx.fc.seed,
    numRuns,
    ...(ctx.fc.path ? { path: ctx.fc.path } : {}),
    interruptAfterTimeLimit: opts.timeBudgetMs ?? 20_000,
    markInterruptAsFailure: false,
  });
  // A run cut short by the case deadline is the runner's timeout, not a counterexample.
  if (ctx.signal.aborted) throw new CaseAbortedError('case deadline passed during a property check');
  if (!details.failed) {
    ctx.note(
      `property held for ${details.numRuns} runs (seed ${details.seed})${details.interrupted ? ', stopped by its time budget' : ''}`,
    );
    return;
  }
  const inner = details.errorInstance;
  const value = details.counterexample?.length === 1 ? details.counterexample[0] : details.counterexample;
  // Command sequences read best as fast-check prints them: `[Join(u2),Join(u2)] /*replayPath=…*/`.
  const counterexample =
    value !== null && typeof value === 'object' && !Array.isArray(value) && Symbol.iterator in value ? fc.stringify(value) : value;
  const where = `after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s)`;
  const path = details.counterexamplePath ?? undefined;
  if (inner instanceof CheckFailure) {
    // Failures on other requirements found by the same check carry the same replay data. What the check
    // judged alongside is dropped: the property stopped at this run and shrank towards this failure, so
    // a requirement that did not fail in the shrunk run was not judged to the end (it reads `blocked`).
    const more = inner.more?.map(
      (m) =>
        new PropertyFailure(`${m.message} (${where})`, m.expected, m.actual, counterexample, details.seed, path, {
          requirement: m.requirement,
          ...(m.rootCause ? { rootCause: m.rootCause } : {}),
        }),
    );
    throw new PropertyFailure(`${inner.message} (${where})`, inner.expected, inner.actual, counterexample, details.seed, path, {
      requirement: inner.requirement,
      ...(more ? { more } : {}),
      ...(inner.rootCause ? { rootCause: inner.rootCause } : {}),
    });
  }
  const message = inner instanceof Error ? inner.message : 'the property returned false';
  throw new PropertyFailure(`${message} (${where})`, 'the property holds', message, counterexample, details.seed, path);
}

function clipValue(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
