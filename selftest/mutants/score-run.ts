/**
 * Mutation score of the conformance suite: runs each mutant's selectors against it and records whether
 * the suite failed a case of exactly the requirement the mutant breaks ("caught"), plus a control run of
 * the same selectors against the unmutated hub behind the same relay. Shared by the self-test and
 * `npm run mutants`.
 */
import { runConformance, type RunOptions, type RunReport } from '../../conformance/runner.ts';
import { MUTANTS, startControl, type Mutant, type RunningMutant } from './index.ts';

/** Fixed so a run of the self-test is reproducible. */
export const MUTANT_SEED = 4242;
/**
 * The runner's default. Every run of the publish property has a subscriber that sees at least three
 * events of its channel, and the presence model opens with a user on two connections, so the stream
 * mutants are caught on the first runs whatever the seed (test/conformance/sync/publish-property.test.ts
 * checks seeds 1..10); the margin guards the other properties. Against a correct hub the extra runs
 * cost little (the control run stays ~15 s, heartbeat-bound).
 */
export const MUTANT_NUM_RUNS = 10;

export interface ScoreOptions {
  seed?: number;
  numRuns?: number;
  /** Progress of the conformance runs (default null: silent). */
  progress?: RunOptions['progress'];
  /** Called with each mutant's row as soon as it is known. */
  onRow?: (row: MutantScore) => void;
}

export interface MutantScore {
  mutant: string;
  breaks: string;
  describe: string;
  /** The suite failed a case whose requirement is `breaks`. */
  caught: boolean;
  /** Every requirement the suite failed against this mutant (what else it noticed). */
  failed: string[];
  /** The first failure on `breaks`, one line. */
  reason?: string;
  /** What the mutant's own judge found wrong with the run's story (caught only when empty). */
  problems: string[];
  durationMs: number;
  report: RunReport;
}

export async function runMutant(m: Mutant, opts: ScoreOptions = {}): Promise<MutantScore> {
  const running = await m.start();
  try {
    const report = await runConformance({
      target: running.target,
      ...(running.nodeControl ? { nodeControl: running.nodeControl } : {}),
      selectors: m.selectors,
      seed: opts.seed ?? MUTANT_SEED,
      numRuns: opts.numRuns ?? MUTANT_NUM_RUNS,
      strict: m.strict ?? false,
      progress: opts.progress ?? null,
      ...m.runOptions,
    });
    const problems = m.judge?.(report) ?? [];
    const failures = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
    // The requirement's own cases (lowest #n) first: other cases that also prove it come after them.
    const caseNo = (id: string) => Number(id.slice(id.lastIndexOf('#') + 1));
    const hit = failures.filter((r) => r.requirement === m.breaks).sort((a, b) => caseNo(a.id) - caseNo(b.id))[0];
    return {
      mutant: m.name,
      breaks: m.breaks,
      describe: m.describe,
      caught: hit !== undefined && problems.length === 0,
      failed: [...new Set(failures.map((r) => r.requirement))],
      ...(problems.length ? { reason: `told a wrong story: ${problems.join('; ')}` } : hit?.reason ? { reason: hit.reason } : {}),
      problems,
      durationMs: report.durationMs,
      report,
    };
  } finally {
    await running.close();
  }
}

/** Every selector of the given mutants, run once against the unmutated hub behind the relay. */
export async function runControl(
  mutants: readonly Mutant[] = MUTANTS,
  opts: ScoreOptions = {},
  start: () => Promise<RunningMutant> = startControl,
): Promise<RunReport> {
  const control = await start();
  try {
    return await runConformance({
      target: control.target,
      ...(control.nodeControl ? { nodeControl: control.nodeControl } : {}),
      selectors: [...new Set(mutants.flatMap((m) => m.selectors))],
      seed: opts.seed ?? MUTANT_SEED,
      numRuns: opts.numRuns ?? MUTANT_NUM_RUNS,
      // Strict, so the SHOULDs some mutants break are shown passing here, not skipped.
      strict: true,
      progress: opts.progress ?? null,
    });
  } finally {
    await control.close();
  }
}

export async function scoreMutants(mutants: readonly Mutant[] = MUTANTS, opts: ScoreOptions = {}): Promise<MutantScore[]> {
  const rows: MutantScore[] = [];
  for (const m of mutants) {
    const row = await runMutant(m, opts);
    rows.push(row);
    opts.onRow?.(row);
  }
  return rows;
}

/** A plain-text table: one line per mutant, then `mutation score: caught/total`. */
export function formatScoreTable(rows: readonly MutantScore[]): string {
  const head = ['mutant', 'breaks', 'result', 'also failed', 'time', 'why'];
  const body = rows.map((r) => [
    r.mutant,
    r.breaks,
    r.caught ? 'caught' : 'SURVIVED',
    r.failed.filter((f) => f !== r.breaks).join(' ') || '-',
    `${(r.durationMs / 1000).toFixed(1)} s`,
    clip(r.reason ?? '-', 90),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const caught = rows.filter((r) => r.caught).length;
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `mutation score: ${caught}/${rows.length} caught`,
  ].join('\n');
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
