/**
 * `hubproof certify --client DRIVER…`: a client library's certificate. One `hubproof client` run of the
 * profile the driver speaks (pusher-js and laravel-echo: pusher-client; dashboard: presence-client;
 * reference-agent or `--profile sync-client`: sync-client), folded into the certificate hubs get:
 * certify.json (schema 1.2, with `client`), junit.xml and index.html in --out, the same verdict rules and
 * exit codes. Several clients get one each in a folder of their own and a page comparing them. A client
 * has no load run, so the hub's load flags are refused here.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clientCertifyReport } from '../certify/client-certificate.ts';
import { writeCertify } from '../certify/write-certify.ts';
import { certifyText } from '../reports/certify-terminal.ts';
import { clientMatrixHtml } from '../reports/client-matrix-html.ts';
import { clientMatrixText } from '../reports/client-matrix-text.ts';
import { clientMatrix } from '../reports/model/client-matrix.ts';
import type { CertifyReport } from '../reports/model/certify-report.ts';
import { certifyMarkdown } from '../reports/markdown.ts';
import { HubproofError } from '../spec/errors.ts';
import { planClientRun, type ClientFlags, type ClientRunPlan } from './client-run.ts';
import { writeText } from './write-text.ts';

import pkg from '../package.json' with { type: 'json' };

/** Flags of a hub's certificate that mean nothing for a client's: given with --client, exit 2. */
export const HUB_ONLY_FLAGS = [
  'target',
  'cluster',
  'scenario',
  'set',
  'load-duration',
  'soak',
  'soak-duration',
  'max-driver-lag',
  'max-driver-cpu',
  'max-machine-cpu',
  'seed',
  'num-runs',
  'max-timer-wait',
] as const;
/** Flags only a client's certificate takes: given without --client, exit 2. */
export const CLIENT_ONLY_FLAGS = ['profile', 'client-path', 'client-url', 'concurrency'] as const;

export interface ClientCertifyFlags extends Omit<ClientFlags, 'driver' | 'client-path'> {
  /** --client, repeatable. */
  client: string[];
  /** --client-path, repeatable with one --client: one client per path. */
  'client-path'?: string[] | undefined;
  out: string;
  markdown?: string | undefined;
}

/**
 * One certificate per client, in --out for one client; for several, each in its own folder under --out
 * and a comparison page (index.html) beside them. Every client is planned (flags, selectors, driver
 * checked) before the first runs; they run one after another (each runs its cases a few at a time).
 */
export async function certifyClient(values: ClientCertifyFlags, selectors: string[], concurrency: number | undefined): Promise<number> {
  const subjects = clientSubjects(values.client, values['client-path'] ?? []);
  const plans: ClientRunPlan[] = [];
  for (const s of subjects)
    plans.push(await planClientRun({ ...values, driver: s.driver, 'client-path': s.clientPath }, selectors, concurrency));
  const profiles = new Set(plans.map((p) => p.profile));
  if (profiles.size > 1)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `the clients speak different profiles (${[...profiles].join(', ')}): certify clients of one profile together`,
    );
  const out = resolve(values.out);
  if (plans.length === 1) {
    const { report, files } = await certifyOne(plans[0]!, values, selectors, out);
    if (values.markdown) writeText(values.markdown, certifyMarkdown(report));
    process.stdout.write(certifyText(report, files));
    return finish(report.exitCode, report.reasons);
  }
  const startedAt = new Date().toISOString();
  const done: Array<{ report: CertifyReport; dir: string }> = [];
  for (const [i, plan] of plans.entries()) {
    const dir = `${i + 1}-${slug(subjects[i]!.clientPath ?? plan.driver)}`;
    const { report } = await certifyOne(plan, values, selectors, join(out, dir));
    done.push({ report, dir });
  }
  const matrix = clientMatrix(done);
  const page = join(out, 'index.html');
  writeFileSync(page, clientMatrixHtml(matrix, { harness: `hubproof ${pkg.version}`, startedAt }));
  if (values.markdown) writeText(values.markdown, done.map((d) => certifyMarkdown(d.report)).join('\n'));
  process.stdout.write(clientMatrixText(matrix, page));
  return finish(matrix.exitCode, []);
}

async function certifyOne(plan: ClientRunPlan, values: ClientCertifyFlags, selectors: string[], dir: string) {
  const startedAt = new Date();
  const conformance = await plan.run();
  const report = clientCertifyReport({
    conformance,
    profile: plan.profile,
    options: { strict: values.strict ?? false, selectors },
    startedAt,
  });
  return { report, files: writeCertify({ report, conformance }, dir) };
}

function finish(exitCode: 0 | 1 | 2, reasons: readonly string[]): number {
  if (exitCode === 2)
    throw new HubproofError(
      'HUBPROOF_ERR_INCONCLUSIVE',
      `no verdict: ${reasons[0] ?? 'a client had none, see its report'}; give the harness what the skipped cases need (see "not covered")`,
    );
  return exitCode;
}

/** Several --client, or one --client with several --client-path (one client per path); not both. */
export function clientSubjects(clients: readonly string[], paths: readonly string[]): Array<{ driver: string; clientPath?: string }> {
  if (paths.length > 0 && clients.length > 1)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `--client-path with ${clients.length} --client values: give one --client (pusher-js or laravel-echo) with one --client-path per copy to compare`,
    );
  if (paths.length === 0) return clients.map((driver) => ({ driver }));
  return paths.map((clientPath) => ({ driver: clients[0]!, clientPath }));
}

/** A folder name from a driver or a path: `/tmp/old/node_modules/pusher-js` → `tmp-old-node_modules-pusher-js` (last 48 characters). */
function slug(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(-48)
      .replace(/^-+/, '') || 'client'
  );
}

/** Exit 2 for a flag given to the wrong kind of certificate, naming it. */
export function checkCertifyFlags(values: Record<string, unknown>): void {
  const given = (names: readonly string[]) => names.filter((n) => values[n] !== undefined && values[n] !== false);
  if (values.client !== undefined) {
    const wrong = given(HUB_ONLY_FLAGS);
    if (wrong.length)
      throw new HubproofError(
        'HUBPROOF_ERR_USAGE',
        `--${wrong[0]} is for a hub's certificate; a client's (--client) has no target, no load run and no seed: drop ${wrong.map((w) => `--${w}`).join(', ')}`,
      );
  } else {
    const wrong = given(CLIENT_ONLY_FLAGS);
    if (wrong.length)
      throw new HubproofError(
        'HUBPROOF_ERR_USAGE',
        `--${wrong[0]} is for a client's certificate: give --client DRIVER (pusher-js, laravel-echo, dashboard, reference-agent or "<command>")`,
      );
  }
}
