import { HubproofError } from '../spec/errors.ts';
export async function run(_argv: string[]): Promise<number> {
  throw new HubproofError('HUBPROOF_ERR_NOT_BUILT', '`hubproof spec` is not built yet');
}
