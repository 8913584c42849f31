/**
 * Coded errors. Every code is listed in docs/errors.md; the CLI prints `Error: <message>` and exits 2
 * for harness errors (the hub could not be tested), never a stack trace.
 */
export const ERROR_CODES = {
  HUBPROOF_ERR_TARGET_INVALID: 'The target file does not match the schema; fix the named field.',
  HUBPROOF_ERR_TARGET_UNREADABLE: 'The target file cannot be read; check the path.',
  HUBPROOF_ERR_TARGET_UNREACHABLE: 'The hub did not answer; check that it runs and the URLs in the target file.',
  HUBPROOF_ERR_CONFIG_INVALID: 'The hub config does not match the schema; fix the named field.',
  HUBPROOF_ERR_USAGE: 'The command line is wrong; see --help.',
  HUBPROOF_ERR_EXPECT_INVALID: 'The known-deviations file (--expect) is malformed; fix the named entry.',
  HUBPROOF_ERR_NOT_BUILT: 'The command exists but is not built yet.',
  HUBPROOF_ERR_SELECTOR: 'A selector matches no requirement; list them with `hubproof spec`.',
  HUBPROOF_ERR_TIMEOUT: 'A wait passed its deadline.',
  HUBPROOF_ERR_PORT_IN_USE: 'The port is taken; pick another or use --port 0.',
  HUBPROOF_ERR_SCENARIO: 'Unknown load scenario or bad scenario override.',
  HUBPROOF_ERR_REDIS_UNREACHABLE: 'The hub cannot reach its Redis (--redis); start redis-server there or fix the URL.',
  HUBPROOF_ERR_REDIS_MISSING: 'hub --cluster needs redis-server on PATH; install it (apt-get install redis-server).',
  HUBPROOF_ERR_INCONCLUSIVE: 'certify reached no verdict: load figures invalid (generator saturated) or no MUST ran.',
  HUBPROOF_ERR_MERGE: 'The reports cannot be merged: not load reports, or of different tests or scenarios.',
  HUBPROOF_ERR_SHARD: 'The shards of a sharded load run did not all start.',
  HUBPROOF_ERR_K6: 'k6 is missing from PATH, too old, or did not write its report.',
  HUBPROOF_ERR_SQLITE_NATIVE: "The reference hub cannot load better-sqlite3's native module: the install skipped its build.",
  HUBPROOF_ERR_BROWSER: 'A measuring page failed to load or to follow the hub.',
  HUBPROOF_ERR_BROWSER_UNAVAILABLE: 'Chromium or playwright-core is missing, or Chromium did not start: browser work is not covered.',
  HUBPROOF_ERR_CREDENTIALS_REJECTED:
    'hubproof init: the hub refused the app key, the app id or secret, or an agent token; the message says which.',
  HUBPROOF_ERR_NO_PROFILE: 'hubproof init: the URL answers, but not as a Pusher, sync or agent-presence hub.',
  HUBPROOF_ERR_REPORT_SCHEMA: 'A report does not match its published JSON Schema, so it was not written (a hubproof bug).',
  HUBPROOF_ERR_DRIVER: 'The client driver of hubproof client did not start or does not speak the driver protocol.',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class HubproofError extends Error {
  override readonly name = 'HubproofError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The Pusher error/close code, where one applies. */
    readonly pusherCode?: number,
  ) {
    super(message);
  }
}
