/**
 * `runCertify(options)`: the conformance suite (runConformance) and then a short load run (runLoad)
 * against one and the same hub, folded into one CertifyReport. It starts no hub: `hubproof certify`
 * hands it the embedded one (fast timings so timing rules run in seconds, a child process so hub and
 * driver CPU are measured apart) or the user's target. Never exits the process; harness errors throw
 * HubproofError.
 */
import { runConformance, type RunOptions, type RunReport } from '../conformance/runner.ts';
import type { DriverLimits } from '../load/driver/driver-monitor.ts';
import type { Progress } from '../load/progress.ts';
import type { LoadReport } from '../load/report-types.ts';
import { runLoad } from '../load/run-load.ts';
import { findScenario, selectScenarios, type ScenarioOverrides } from '../load/scenarios/index.ts';
import type { CertifyReport } from '../reports/model/certify-report.ts';
import { certifyReport } from './matrix.ts';
import { scenariosToConfirm, secondWindows } from './confirm-breaches.ts';
import { createProgress } from '../load/progress.ts';

/**
 * The load part of a certification: the four everyday scenarios, each a few seconds, and the browser
 * scenario (skipped, with the reason, when the target does not claim agent-presence or there is no
 * Chromium).
 */
export const CERTIFY_SCENARIOS = 'fanout,presence,agents,connections,browser';
/** Seconds measured per scenario (after its own warm-up): short, so certify stays a CI step. */
export const CERTIFY_LOAD_DURATION_S = 3;

/**
 * The conformance options certify passes through (the hub, `restart` and `embedded` go to both parts);
 * with `strict`, a SHOULD miss also fails certification.
 */
export interface CertifyOptions extends Pick<
  RunOptions,
  | 'target'
  | 'restart'
  | 'nodeControl'
  | 'embedded'
  | 'targetPath'
  | 'selectors'
  | 'strict'
  | 'seed'
  | 'numRuns'
  | 'deviations'
  | 'failOnFixed'
  | 'maxTimerWaitMs'
  | 'singleNodeBecause'
> {
  /** Load scenarios, comma-separated (default CERTIFY_SCENARIOS). */
  scenarios?: string;
  /** Seconds per load scenario (default CERTIFY_LOAD_DURATION_S). */
  loadDurationS?: number;
  /** Extra `key=value` scenario overrides (as `hubproof load --set`). */
  loadSet?: string[];
  /** Adds the soak scenario (docs/soak.md), measured `durationS` after its warm-up (default: the scenario's). */
  soak?: { durationS?: number };
  driverLimits?: Partial<DriverLimits>;
  /** Conformance progress (default stderr; null silences both parts). */
  progress?: RunOptions['progress'];
  /** Load progress (default stderr; false silences). */
  loadProgress?: Progress | false;
}

export interface CertifyResult {
  report: CertifyReport;
  conformance: RunReport;
  load: LoadReport;
}

export async function runCertify(o: CertifyOptions): Promise<CertifyResult> {
  const chosen = o.scenarios ?? CERTIFY_SCENARIOS;
  const scenarios = o.soak && !selectScenarios(chosen).some((x) => x.kind === 'soak') ? `${chosen},soak` : chosen;
  const loadDurationS = o.loadDurationS ?? CERTIFY_LOAD_DURATION_S;
  // The browser scenario is sized for this machine by runLoad (load/browser/browser-size.ts), as for `hubproof load`.
  // The soak keeps its own length: the few seconds of the other scenarios would show nothing.
  const soakSet = o.soak ? [`soak:durationS=${o.soak.durationS ?? findScenario('soak').durationS}`] : [];
  const overrides: ScenarioOverrides = { durationS: loadDurationS, set: [...soakSet, ...(o.loadSet ?? [])] };
  // Validate the load selection before spending minutes on conformance.
  selectScenarios(scenarios);

  const startedAt = new Date();
  const t0 = performance.now();
  const conformance = await runConformance({
    target: o.target,
    restart: o.restart,
    nodeControl: o.nodeControl,
    embedded: o.embedded,
    targetPath: o.targetPath,
    selectors: o.selectors,
    strict: o.strict,
    seed: o.seed,
    numRuns: o.numRuns,
    progress: o.progress,
    deviations: o.deviations,
    failOnFixed: o.failOnFixed,
    ...(o.maxTimerWaitMs !== undefined ? { maxTimerWaitMs: o.maxTimerWaitMs } : {}),
    ...(o.singleNodeBecause ? { singleNodeBecause: o.singleNodeBecause } : {}),
  });
  const t1 = performance.now();
  const loadProgress = o.progress === null ? false : (o.loadProgress ?? createProgress());
  const measure = (names: string) =>
    runLoad({ target: o.target, embedded: o.embedded, scenarios: names, overrides, driverLimits: o.driverLimits, progress: loadProgress });
  const load = await measure(scenarios);
  // A latency breach counts once a second window repeats it (certify/confirm-breaches.ts).
  const again = scenariosToConfirm(load);
  let seconds: ReturnType<typeof secondWindows> | undefined;
  if (again.length) {
    if (loadProgress)
      loadProgress.note(
        `certify: ${again.join(', ')} breached a latency SLO; measuring ${again.length === 1 ? 'it' : 'them'} once more to confirm`,
      );
    seconds = secondWindows(load, await measure(again.join(',')));
  }
  const t2 = performance.now();

  const report = certifyReport({
    conformance,
    load,
    ...(seconds ? { seconds } : {}),
    options: {
      strict: o.strict ?? false,
      selectors: o.selectors ?? [],
      scenarios: scenarios.split(',').map((s) => s.trim()),
      loadDurationS,
    },
    startedAt,
    durationsMs: { total: Math.round(t2 - t0), conformance: Math.round(t1 - t0), load: Math.round(t2 - t1) },
  });
  return { report, conformance, load };
}
