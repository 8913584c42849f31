/**
 * `hubproof certify [--target file.json] [--out dir] [--strict] [--seed N] [--load-duration s] [selector…]`
 * The conformance suite plus a short load run, one report (certify.json, junit.xml, index.html).
 * `hubproof certify --client DRIVER [--profile P] [--client-path DIR] [--client-url URL]`: a client
 * library's certificate instead (cli/certify-client.ts).
 * Exit 0 certified, 1 a MUST failed or an SLO was breached, 2 the harness could not run or could not
 * trust its load figures (one `Error:` line).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CERTIFY_SCENARIOS, runCertify } from '../certify/run-certify.ts';
import { writeCertify } from '../certify/write-certify.ts';
import { certifyText } from '../reports/certify-terminal.ts';
import { certifyMarkdown } from '../reports/markdown.ts';
import { writeText } from './write-text.ts';
import { selectCases } from '../conformance/runner.ts';
import { HubproofError } from '../spec/errors.ts';
import { selectScenarios } from '../load/scenarios/index.ts';
import { loadTargetFile } from '../spec/target.ts';
import { deviationOptions } from './expect-option.ts';
import { CHECKS_HUB, clusterOption, withTarget } from './embedded-target.ts';
import { durationOption } from './duration-option.ts';
import { certifyClient, checkCertifyFlags } from './certify-client.ts';
import { numberOption as num } from './number-option.ts';

/** Where the report goes without --out (git-ignored). */
export const DEFAULT_OUT_DIR = 'reports/out';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      expect: { type: 'string' },
      'fail-on-fixed': { type: 'boolean', default: false },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'num-runs': { type: 'string' },
      'max-timer-wait': { type: 'string' },
      only: { type: 'string', multiple: true },
      'load-duration': { type: 'string' },
      scenario: { type: 'string' },
      set: { type: 'string', multiple: true },
      'max-driver-lag': { type: 'string' },
      'max-driver-cpu': { type: 'string' },
      'max-machine-cpu': { type: 'string' },
      cluster: { type: 'string' },
      markdown: { type: 'string' },
      soak: { type: 'boolean', default: false },
      'soak-duration': { type: 'string' },
      client: { type: 'string', multiple: true },
      profile: { type: 'string' },
      'client-path': { type: 'string', multiple: true },
      'client-url': { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  checkCertifyFlags(values);
  if (values.client !== undefined) {
    const concurrency = num('concurrency', values.concurrency, { integer: true, min: 1 });
    return certifyClient(
      { ...values, client: values.client, out: values.out ?? DEFAULT_OUT_DIR },
      [...positionals, ...(values.only ?? [])],
      concurrency,
    );
  }
  const seed = num('seed', values.seed, { integer: true, min: -0x80000000 });
  const numRuns = num('num-runs', values['num-runs'], { integer: true, min: 1 });
  const loadDurationS = num('load-duration', values['load-duration']);
  const maxTimerWait = num('max-timer-wait', values['max-timer-wait'], { min: 1 });
  const lag = num('max-driver-lag', values['max-driver-lag']);
  const cpu = num('max-driver-cpu', values['max-driver-cpu']);
  const machine = num('max-machine-cpu', values['max-machine-cpu']);
  const soakDurationS = durationOption('soak-duration', values['soak-duration']);
  const soak =
    values.soak || soakDurationS !== undefined ? { ...(soakDurationS !== undefined ? { durationS: soakDurationS } : {}) } : undefined;
  // A bad target file, selector or scenario exits 2 before anything runs (or a hub starts).
  const target = values.target ? loadTargetFile(values.target) : undefined;
  const cluster = clusterOption(values.cluster, values.target);
  const expected = deviationOptions(values.expect, values['fail-on-fixed']);
  const selectors = [...positionals, ...(values.only ?? [])];
  selectCases({ selectors });
  selectScenarios(values.scenario ?? CERTIFY_SCENARIOS);
  const out = resolve(values.out ?? DEFAULT_OUT_DIR);

  // One hub for both parts: what conformance certified is what load measured.
  const result = await withTarget(target, { ...CHECKS_HUB, cluster }, (hub) =>
    runCertify({
      ...hub,
      targetPath: values.target,
      ...expected,
      selectors,
      strict: values.strict,
      seed,
      numRuns,
      ...(maxTimerWait !== undefined ? { maxTimerWaitMs: maxTimerWait * 1000 } : {}),
      scenarios: values.scenario,
      loadDurationS,
      loadSet: values.set,
      ...(soak ? { soak } : {}),
      driverLimits: {
        ...(lag !== undefined ? { maxLoopLagMs: lag, maxSendLagMs: lag } : {}),
        ...(cpu !== undefined ? { maxCpuShare: cpu } : {}),
        ...(machine !== undefined ? { maxMachineShare: machine } : {}),
      },
    }),
  );
  const files = writeCertify(result, out);
  const r = result.report;
  // Before the exit-2 error below: a job summary says why there is no verdict too.
  if (values.markdown) writeText(values.markdown, certifyMarkdown(r));
  process.stdout.write(certifyText(r, files));
  if (r.exitCode === 2) {
    throw new HubproofError(
      'HUBPROOF_ERR_INCONCLUSIVE',
      `no verdict: ${r.reasons[0] ?? 'see the report'}${r.reasons.length > 1 ? ` (+${r.reasons.length - 1} more)` : ''}; rerun on a quieter machine (or the hub on another host), or give the target what the skipped cases need`,
    );
  }
  return r.exitCode;
}
