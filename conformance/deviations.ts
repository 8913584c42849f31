/**
 * Known-deviation files (`--expect FILE` on `conform` and `certify`): a vendor lists the failures it
 * knows of, by case id (`pusher/http-auth/4#1`) or requirement id (`pusher/http-auth/4`, every case of
 * it), each with a reason and optionally a link. A listed miss becomes `expected-fail` (it does not fail
 * the run); a listed row that passes becomes `fixed` (reported loudly; `--fail-on-fixed` makes it fail
 * the run, so the file is kept honest). The format is documented in docs/known-deviations.md.
 *
 * A malformed file is a usage error (exit 2) naming the bad entry: not JSON, not an object, an id that
 * is neither a registered requirement nor a case, a missing or empty reason, a link that is not a URL.
 */
import { readFileSync } from 'node:fs';
import { withDeviation, type CaseResult, type Deviation } from '../reports/model/case-result.ts';
import { HubproofError } from '../spec/errors.ts';
import { REQUIREMENTS } from '../spec/requirements/index.ts';
import { ALL_CASES, assignCaseIds } from './cases/index.ts';

/** Listed id → its entry (the `key` is the listed id). */
export type DeviationList = ReadonlyMap<string, Deviation>;

/** The ids a file may name: every registered requirement and every case row id. */
function knownIds(): { requirements: Set<string>; cases: Set<string> } {
  return {
    requirements: new Set(REQUIREMENTS.map((r) => r.id)),
    cases: new Set(assignCaseIds(ALL_CASES).flatMap((c) => c.rows.map((r) => r.id))),
  };
}

function bad(path: string, what: string): never {
  throw new HubproofError('HUBPROOF_ERR_EXPECT_INVALID', `known-deviations file ${path}: ${what}`);
}

/** Parses and checks a known-deviations document; `path` only names it in errors. */
export function parseDeviations(text: string, path: string, ids = knownIds()): DeviationList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    bad(path, `not JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    bad(path, 'must be a JSON object of id → {"reason": "…", "link": "…"}');
  const out = new Map<string, Deviation>();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (key === '$comment') continue;
    if (!ids.requirements.has(key) && !ids.cases.has(key)) {
      const hint = key.includes('#')
        ? 'no such case (list them with `hubproof conform --dry-run`)'
        : 'no such requirement (list them with `hubproof spec`)';
      bad(path, `entry "${key}": ${hint}`);
    }
    const entry = typeof value === 'string' ? { reason: value } : value;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      bad(path, `entry "${key}": must be {"reason": "…"} (optionally "link")`);
    const { reason, link, ...rest } = entry as Record<string, unknown>;
    if (typeof reason !== 'string' || reason.trim() === '') bad(path, `entry "${key}": missing "reason" (say why the hub deviates)`);
    if (link !== undefined && (typeof link !== 'string' || !URL.canParse(link))) bad(path, `entry "${key}": "link" must be a URL`);
    const extra = Object.keys(rest);
    if (extra.length) bad(path, `entry "${key}": unknown field "${extra[0]}" (only "reason" and "link")`);
    out.set(key, { key, reason: reason.trim(), ...(typeof link === 'string' ? { link } : {}) });
  }
  return out;
}

export function loadDeviations(path: string, ids = knownIds()): DeviationList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    bad(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseDeviations(text, path, ids);
}

/** Each row as the list leaves it: the case id's entry wins over its requirement's. */
export function applyDeviations(results: readonly CaseResult[], list: DeviationList | undefined): CaseResult[] {
  if (!list || list.size === 0) return [...results];
  return results.map((r) => {
    const d = list.get(r.id) ?? list.get(r.requirement);
    return d ? withDeviation(r, d) : r;
  });
}
