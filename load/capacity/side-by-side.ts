/**
 * Capacity side by side: `hubproof load --scenario capacity --target A --target B --repeat N`. The hubs'
 * searches are interleaved round by round, and the order alternates (A B, B A, A B…), so slow drift of a
 * noisy machine falls on both; the comparison is a ratio from one session: per round hub ÷ first hub, their
 * median and range, beside each hub's own median and range.
 */
import type { TargetFile } from '../../spec/target.ts';
import { emptyReport, judgeReport } from '../report-verdict.ts';
import type { CapacitySearch, LoadReport, ScenarioResult } from '../report-types.ts';
import { runLoad, type LoadOptions } from '../run-load.ts';
import type { Progress } from '../progress.ts';
import { capacitySpread } from './spread.ts';
import { medianRate } from './search.ts';

export interface SideBySideHub {
  name: string;
  /** The load report of this hub: its median search's figures, every search under capacity.runs. */
  report: LoadReport;
}

export interface CapacityRatio {
  /** Hub compared, to the first hub. */
  of: string;
  to: string;
  /** Per round, this hub's figure ÷ the first hub's (null: either held nothing). */
  perRound: Array<number | null>;
  median: number | null;
  min: number | null;
  max: number | null;
}

export interface CapacityComparison {
  tool: 'hubproof';
  kind: 'capacity-comparison';
  generatedAt: string;
  driver: LoadReport['driver'];
  rounds: number;
  /** The order the hubs ran in, per round. */
  order: string[][];
  hubs: SideBySideHub[];
  ratios: CapacityRatio[];
  verdict: LoadReport['verdict'];
}

export interface SideBySideOptions extends Pick<LoadOptions, 'overrides' | 'driverLimits'> {
  targets: TargetFile[];
  rounds: number;
  progress: Progress;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

export async function runSideBySide(o: SideBySideOptions): Promise<CapacityComparison> {
  const names = uniqueNames(o.targets.map((t) => t.name));
  const runs: ScenarioResult[][] = o.targets.map(() => []);
  const reports: LoadReport[][] = o.targets.map(() => []);
  const order: string[][] = [];
  for (let round = 0; round < o.rounds; round++) {
    const idx = o.targets.map((_, i) => i);
    if (round % 2 === 1) idx.reverse();
    order.push(idx.map((i) => names[i]!));
    for (const i of idx) {
      o.progress.note(`capacity side by side: round ${round + 1} of ${o.rounds}, ${names[i]}`);
      const set = [...(o.overrides?.set ?? []), 'capacity:repeat=1'];
      const r = await runLoad({
        target: o.targets[i]!,
        scenarios: 'capacity',
        overrides: { ...o.overrides, set },
        driverLimits: o.driverLimits,
        progress: o.progress,
      });
      reports[i]!.push(r);
      const s = r.scenarios[0];
      if (s) runs[i]!.push(s);
      o.progress.note(`capacity side by side: ${names[i]} → ${s?.capacity?.lastGoodRate ?? 'none'}/s`);
    }
  }
  const hubs = o.targets.map((_, i) => ({ name: names[i]!, report: combine(reports[i]!, runs[i]!) }));
  const figures = runs.map((rs) => rs.map((s) => s.capacity?.lastGoodRate ?? null));
  const ratios = hubs.slice(1).map((h, k): CapacityRatio => ({ of: h.name, to: names[0]!, ...roundRatios(figures[k + 1]!, figures[0]!) }));
  const verdicts = hubs.map((h) => h.report.verdict);
  return {
    tool: 'hubproof',
    kind: 'capacity-comparison',
    generatedAt: new Date().toISOString(),
    driver: hubs[0]!.report.driver,
    rounds: o.rounds,
    order,
    hubs,
    ratios,
    verdict: verdicts.includes('fail') ? 'fail' : verdicts.includes('invalid') ? 'invalid' : 'pass',
  };
}

/** One hub's report from its searches: the median search's figures, every search and the spread under capacity. */
export function combine(reports: LoadReport[], runs: ScenarioResult[]): LoadReport {
  const first = reports[0]!;
  if (runs.length === 0) return first;
  const figures = runs.map((s) => s.capacity?.lastGoodRate ?? null);
  const median = medianRate(figures);
  const chosen = runs.find((s) => (s.capacity?.lastGoodRate ?? null) === median) ?? runs[0]!;
  const resolution = chosen.capacity?.resolution ?? chosen.scenario.resolution;
  // A search only: each round's figures also carry their resolution, which belongs to the whole.
  const searches: CapacitySearch[] = runs.map((s, k) => {
    const { resolution: _r, runs: _runs, spread: _spread, ...search } = s.capacity!;
    return { ...search, steps: search.steps.map((st) => ({ ...st, run: k })) };
  });
  const spread = capacitySpread(figures, resolution);
  const scenario: ScenarioResult = {
    ...chosen,
    capacity: { ...chosen.capacity!, runs: searches, spread, resolution },
    notes: [
      ...chosen.notes,
      `${spread.runs} searches interleaved with the other hub's: ${figures.map((x) => (x === null ? 'none' : `${x}/s`)).join(', ')}; median ${spread.median ?? 'none'}/s, range ${spread.min ?? 'none'}–${spread.max ?? 'none'}/s, ${spread.withinOneStep ? 'within' : 'NOT within'} one step of each other`,
    ],
  };
  const out = emptyReport(first.generator, first.target, first.driver);
  out.scenarios = [scenario];
  out.errors = reports.flatMap((r) => r.errors);
  out.skipped = first.skipped;
  return judgeReport(out);
}

/** Round by round, `of` ÷ `to` (figures of the same rounds), their median and range. */
export function roundRatios(
  of: Array<number | null>,
  to: Array<number | null>,
): Pick<CapacityRatio, 'perRound' | 'median' | 'min' | 'max'> {
  const perRound = of.map((x, round) => {
    const base = to[round];
    return x === null || base === null || base === undefined || base === 0 ? null : r2(x / base);
  });
  const known = perRound.filter((x): x is number => x !== null);
  return {
    perRound,
    median: known.length > 0 && known.length === perRound.length ? medianOf(known) : null,
    min: known.length ? Math.min(...known) : null,
    max: known.length ? Math.max(...known) : null,
  };
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : r2((s[m - 1]! + s[m]!) / 2);
}

/** Target names as the report shows them: `a`, `b`, or `a`, `a (2)` when two files share one. */
function uniqueNames(names: string[]): string[] {
  return names.map((n, i) => (names.indexOf(n) === i ? n : `${n} (${i + 1})`));
}
