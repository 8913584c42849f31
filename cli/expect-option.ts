/** `--expect FILE` and `--fail-on-fixed`, shared by `conform` and `certify`: read and checked before anything runs. */
import { loadDeviations, type DeviationList } from '../conformance/deviations.ts';
import { HubproofError } from '../spec/errors.ts';

export function deviationOptions(
  path: string | undefined,
  failOnFixed: boolean | undefined,
): { deviations?: DeviationList; failOnFixed?: boolean } {
  if (path === undefined) {
    if (failOnFixed)
      throw new HubproofError('HUBPROOF_ERR_USAGE', '--fail-on-fixed needs --expect FILE (the known deviations it keeps honest)');
    return {};
  }
  return { deviations: loadDeviations(path), failOnFixed: failOnFixed ?? false };
}
