import { HubproofError } from '../spec/errors.ts';

export interface NumberOptionRules {
  /** Whole numbers only (default false). */
  integer?: boolean;
  /** Smallest accepted value, inclusive; without it the value must be > 0. */
  min?: number;
}

/** Parses a numeric command-line option; absent → undefined, invalid → HUBPROOF_ERR_USAGE naming the flag. */
export function numberOption(name: string, value: string | undefined, rules: NumberOptionRules = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const tooSmall = rules.min === undefined ? !(n > 0) : n < rules.min;
  if (value.trim() === '' || !Number.isFinite(n) || tooSmall || (rules.integer && !Number.isInteger(n))) {
    const kind = rules.integer ? 'an integer' : 'a number';
    const bound = rules.min === undefined ? '> 0' : `>= ${rules.min}`;
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--${name} must be ${kind} ${bound}, got "${value}"`);
  }
  return n;
}
