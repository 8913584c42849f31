/**
 * Verify helpers: each compares what the hub did with what the requirement asks and, on a miss, throws
 * a CheckFailure whose Expected and Actual are drawn from the two values (plus where they differ), so a
 * case never restates its condition by hand. `message` is the one-line reason a report leads with.
 */
import type { z } from 'zod';
import { httpStatusCause } from './root-cause.ts';
import { CheckFailure, DependencyUnmet, type CheckScope } from './types.ts';

const CLIP = 500;

/** A value as Expected/Actual show it: JSON, so `"42"` and `42` differ on screen as they do in the check. */
export function display(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > CLIP ? `${text.slice(0, CLIP)}… (${text.length - CLIP} more chars)` : text;
}

/**
 * A value's JSON with every object's keys sorted, at any depth: one text per value whatever order a hub
 * wrote its keys in (JSON gives object members no order). Arrays keep theirs; a set compares with
 * expectSameSet. Strings are not opened: a `data` string is compared as the bytes it is.
 */
export function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/**
 * Structural equality as the wire sees it: primitives by `===`, objects and arrays by their JSON, object
 * keys in any order, array items in order.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return canonicalJson(a) === canonicalJson(b);
}

function fail(message: string, expected: string, actual: string, scope: CheckScope = {}): never {
  throw new CheckFailure(message, expected, actual, undefined, scope);
}

/** `actual` equals `expected` (sameValue: object keys in any order, arrays in order). Arrays name their first differing index. */
export function expectEqual(actual: unknown, expected: unknown, message: string): void {
  if (sameValue(actual, expected)) return;
  let where = '';
  if (Array.isArray(actual) && Array.isArray(expected)) {
    const i = Array.from({ length: Math.max(actual.length, expected.length) }, (_, k) => k).find(
      (k) => !sameValue(actual[k], expected[k]),
    )!;
    where = ` — first difference at index ${i}: ${i < actual.length ? display(actual[i]) : 'nothing'} where ${i < expected.length ? display(expected[i]) : 'nothing'} was expected`;
  }
  fail(message, display(expected), `${display(actual)}${where}`);
}

/** `actual` differs from `unexpected`. */
export function expectNotEqual(actual: unknown, unexpected: unknown, message: string): void {
  if (!sameValue(actual, unexpected)) return;
  fail(message, `anything but ${display(unexpected)}`, display(actual));
}

/** A dotted path (`details.todo_id`) into a value; undefined when a step is missing. */
function at(value: unknown, path: string): unknown {
  let v = value;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * Each listed field of `actual` (dotted paths allowed) equals its expected value; other fields are not
 * looked at. Actual shows the same fields, names those that differ, and shows the whole value when short.
 */
export function expectFields(actual: unknown, expected: Record<string, unknown>, message: string): void {
  const keys = Object.keys(expected);
  const wrong = keys.filter((k) => !sameValue(at(actual, k), expected[k]));
  if (wrong.length === 0) return;
  const isObject = actual !== null && typeof actual === 'object';
  const picked = isObject ? Object.fromEntries(keys.map((k) => [k, at(actual, k) ?? null])) : actual;
  // The whole value too, when it has more to say and is short enough to read.
  const whole =
    isObject && Object.keys(actual).some((k) => !keys.includes(k)) && display(actual).length <= 400 ? ` in ${display(actual)}` : '';
  fail(message, display(expected), `${display(picked)} — ${wrong.join(', ')} differ${wrong.length === 1 ? 's' : ''}${whole}`);
}

/**
 * `actual` holds exactly the items of `expected`, in any order, each as often (so a duplicate fails).
 * Actual names what is missing and what is extra.
 */
export function expectSameSet(actual: Iterable<unknown>, expected: Iterable<unknown>, message: string): void {
  const got = [...actual];
  const want = [...expected];
  const left = [...got];
  const missing: unknown[] = [];
  for (const w of want) {
    const i = left.findIndex((g) => sameValue(g, w));
    if (i < 0) missing.push(w);
    else left.splice(i, 1);
  }
  if (missing.length === 0 && left.length === 0) return;
  const diff = [
    missing.length ? `missing ${missing.map(display).join(', ')}` : '',
    left.length ? `extra ${left.map(display).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  fail(message, `${display(want)} in any order`, `${display(got)} — ${diff}`);
}

/** `actual` contains every one of `items`. */
export function expectIncludes(actual: Iterable<unknown>, items: readonly unknown[], message: string): void {
  const got = [...actual];
  const missing = items.filter((x) => !got.some((g) => sameValue(g, x)));
  if (missing.length === 0) return;
  fail(message, `including ${items.map(display).join(', ')}`, `${display(got)} — missing ${missing.map(display).join(', ')}`);
}

/** Every item of `actual` passes `test`; `rule` says what the test asks ("starts with private-"). */
export function expectEvery<T>(actual: readonly T[], test: (item: T) => boolean, rule: string, message: string): void {
  const bad = actual.filter((x) => !test(x));
  if (bad.length === 0) return;
  fail(message, `every item ${rule}`, `${display(actual)} — ${bad.map(display).join(', ')} ${bad.length === 1 ? 'does' : 'do'} not`);
}

/**
 * `actual` passes `test`; `rule` says what the test asks, as Expected shows it ("a code of class
 * dont-reconnect"). For checks no helper above names.
 */
export function expectThat<T>(actual: T, test: (value: T) => boolean, rule: string, message: string): void {
  if (test(actual)) return;
  fail(message, rule, display(actual));
}

/** No item of `actual` appears twice. */
export function expectDistinct(actual: readonly unknown[], message: string): void {
  const twice = actual.filter((x, i) => actual.findIndex((y) => sameValue(x, y)) !== i);
  if (twice.length === 0) return;
  fail(message, `${actual.length} distinct values`, `${display(actual)} — ${twice.map(display).join(', ')} more than once`);
}

/** `actual` is one of `allowed`. */
export function expectOneOf(actual: unknown, allowed: readonly unknown[], message: string): void {
  if (allowed.some((a) => sameValue(actual, a))) return;
  fail(message, allowed.length === 1 ? display(allowed[0]) : `one of ${allowed.map(display).join(', ')}`, display(actual));
}

/** `actual` is a string matching `pattern`. */
export function expectMatch(actual: unknown, pattern: RegExp, message: string): void {
  if (typeof actual === 'string' && pattern.test(actual)) return;
  fail(message, `a string matching ${pattern}`, display(actual));
}

export interface BoundOptions {
  /** Printed after numbers: `ms`, `MB`. */
  unit?: string;
  /** Where the bound comes from, printed beside it: `conflict_budget`. */
  bound?: string;
}

const num = (x: number, o: BoundOptions) => `${Number.isInteger(x) ? x : x.toFixed(x < 10 ? 3 : 1)}${o.unit ? ` ${o.unit}` : ''}`;
const named = (o: BoundOptions) => (o.bound ? ` (${o.bound})` : '');

function bounded(ok: boolean, actual: number, expected: string, message: string, o: BoundOptions): void {
  if (ok) return;
  fail(message, `${expected}${named(o)}`, Number.isFinite(actual) ? num(actual, o) : display(actual));
}

/** actual ≤ max */
export function expectAtMost(actual: number, max: number, message: string, o: BoundOptions = {}): void {
  bounded(actual <= max, actual, `≤ ${num(max, o)}`, message, o);
}

/** actual ≥ min */
export function expectAtLeast(actual: number, min: number, message: string, o: BoundOptions = {}): void {
  bounded(actual >= min, actual, `≥ ${num(min, o)}`, message, o);
}

/** actual < limit */
export function expectBelow(actual: number, limit: number, message: string, o: BoundOptions = {}): void {
  bounded(actual < limit, actual, `< ${num(limit, o)}`, message, o);
}

/** min ≤ actual ≤ max */
export function expectBetween(actual: number, min: number, max: number, message: string, o: BoundOptions = {}): void {
  bounded(actual >= min && actual <= max, actual, `${num(min, o)} … ${num(max, o)}`, message, o);
}

/** |actual − target| < tolerance */
export function expectNear(actual: number, target: number, tolerance: number, message: string, o: BoundOptions = {}): void {
  bounded(Math.abs(actual - target) < tolerance, actual, `${num(target, o)} ± ${num(tolerance, o)}`, message, o);
}

/** Nothing is there (undefined, null or false): a frame that must not arrive, a close that must not happen. */
export function expectAbsent(actual: unknown, what: string, message: string): void {
  if (actual === undefined || actual === null || actual === false) return;
  fail(message, `no ${what}`, display(actual));
}

/** Something is there; narrows `actual`. */
export function expectPresent<T>(actual: T, what: string, message: string): asserts actual is NonNullable<T> {
  if (actual !== undefined && actual !== null) return;
  fail(message, what, 'nothing');
}

/**
 * An HTTP answer with `status` (one of them, when several are fine). Actual shows the body's start; the
 * failure names what the status shows about the hub (an error answered 200, a refusal of a good request),
 * so every case the same behaviour failed lands in one root-cause group.
 */
export function expectStatus(res: { status: number; text: string }, status: number | readonly number[], what: string): void {
  const allowed = typeof status === 'number' ? [status] : status;
  if (allowed.includes(res.status)) return;
  fail(`${what} answered ${res.status}`, `HTTP ${allowed.join(' or ')}`, `${res.status} ${res.text.slice(0, 200)}`, {
    rootCause: httpStatusCause(res.status, allowed, res.text),
  });
}

/**
 * Runs every check, also those after one fails, then throws one CheckFailure naming every miss, so the
 * report shows each node (or answer) that was wrong, not the first. `what` leads the message; Expected
 * and Actual list the misses in order, numbered. A root cause every miss shares is kept. A blocked
 * check (DependencyUnmet) or an error that is not a check failure ends the run at once.
 */
export async function expectAll(what: string, checks: ReadonlyArray<() => unknown>): Promise<void> {
  const missed: CheckFailure[] = [];
  for (const check of checks) {
    try {
      await check();
    } catch (err) {
      if (!(err instanceof CheckFailure) || err instanceof DependencyUnmet) throw err;
      missed.push(err);
    }
  }
  if (missed.length === 0) return;
  if (missed.length === 1) throw missed[0]!;
  const causes = new Set(missed.map((f) => canonicalJson(f.rootCause)));
  const rootCause = causes.size === 1 ? missed[0]!.rootCause : undefined;
  const numbered = (pick: (f: CheckFailure) => string | undefined) => missed.map((f, i) => `(${i + 1}) ${pick(f) ?? '-'}`).join(' ');
  throw new CheckFailure(
    `${what}: ${missed.length} of ${checks.length} answers wrong — ${missed.map((f, i) => `(${i + 1}) ${f.message}`).join('; ')}`,
    numbered((f) => f.expected),
    numbered((f) => f.actual),
    undefined,
    rootCause ? { rootCause } : {},
  );
}

/**
 * The check cannot judge its requirement: `dependency`, a requirement it relies on (its `dependsOn`,
 * directly or through others), was not met. The row reads `blocked` by it, never `fail`; `message`
 * says what the hub did not do ("the hub never pinged an idle connection").
 */
export function blockedBy(dependency: string, message: string, scope: Pick<CheckScope, 'requirement' | 'rootCause'> = {}): never {
  throw new DependencyUnmet(dependency, message, scope);
}

/** Validates `value` with a zod `schema` and returns it parsed; a mismatch names the first bad field and its value. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  let actual: unknown = value;
  for (const k of issue.path)
    actual = actual && typeof actual === 'object' ? (actual as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
  throw new CheckFailure(
    `${what}: field \`${field}\` ${issue.message}`,
    `${field} matching the ${schema.meta()?.id ?? 'spec'} schema`,
    `${field} = ${JSON.stringify(actual)?.slice(0, 200) ?? 'undefined'}`,
  );
}
