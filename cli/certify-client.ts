/**
 * `hubproof certify --client DRIVER`: a client library's certificate. One `hubproof client` run of the
 * profile the driver speaks (pusher-js and laravel-echo: pusher-client; dashboard: presence-client;
 * reference-agent or `--profile sync-client`: sync-client), folded into the certificate hubs get:
 * certify.json (schema 1.2, with `client`), junit.xml and index.html in --out, the same verdict rules and
 * exit codes. A client has no load run, so the hub's load flags are refused here.
 */
import { resolve } from 'node:path';
import { clientCertifyReport } from '../certify/client-certificate.ts';
import { writeCertify } from '../certify/write-certify.ts';
import { certifyText } from '../reports/certify-terminal.ts';
import { certifyMarkdown } from '../reports/markdown.ts';
import { HubproofError } from '../spec/errors.ts';
import { planClientRun, type ClientFlags } from './client-run.ts';
import { writeText } from './write-text.ts';

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

export interface ClientCertifyFlags extends ClientFlags {
  out: string;
  markdown?: string | undefined;
}

export async function certifyClient(values: ClientCertifyFlags, selectors: string[], concurrency: number | undefined): Promise<number> {
  const plan = await planClientRun(values, selectors, concurrency);
  const startedAt = new Date();
  const conformance = await plan.run();
  const report = clientCertifyReport({
    conformance,
    profile: plan.profile,
    options: { strict: values.strict ?? false, selectors },
    startedAt,
  });
  const files = writeCertify({ report, conformance }, resolve(values.out));
  if (values.markdown) writeText(values.markdown, certifyMarkdown(report));
  process.stdout.write(certifyText(report, files));
  if (report.exitCode === 2)
    throw new HubproofError(
      'HUBPROOF_ERR_INCONCLUSIVE',
      `no verdict: ${report.reasons[0] ?? 'see the report'}; give the harness what the skipped cases need (see "not covered")`,
    );
  return report.exitCode;
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
