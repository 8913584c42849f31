import { HubproofError } from '../spec/errors.ts';

const UNIT_S: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/**
 * Parses a duration flag: seconds (`90`), or a number with a unit (`90s`, `30m`, `2h`, `1.5h`);
 * absent → undefined, invalid → HUBPROOF_ERR_USAGE naming the flag. Returns seconds.
 */
export function durationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(value);
  const seconds = m ? Number(m[1]) * UNIT_S[m[2] ?? '']! : NaN;
  if (!(seconds > 0))
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `--${name} must be a duration > 0: seconds (90) or with a unit (90s, 30m, 2h), got "${value}"`,
    );
  return seconds;
}
