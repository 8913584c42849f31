/**
 * Duplicate-todo detection as docs/protocol.md ("Conflicts") defines it: normalise titles, then
 * similarity = 1 - Levenshtein(a, b) / max(len a, len b).
 */

/** NFKC, lower case, every non-letter/digit to a space, whitespace collapsed, trimmed. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Levenshtein distance over code points, two rows of memory. */
export function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Array<number>(y.length + 1);
  let curr = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[y.length]!;
}

/** Similarity of two titles after normalisation, in [0, 1]; two empty titles are identical (1). */
export function titleSimilarity(a: string, b: string): number {
  const na = normalizeTitle(a);
  const nb = normalizeTitle(b);
  const len = Math.max(Array.from(na).length, Array.from(nb).length);
  if (len === 0) return 1;
  return 1 - levenshtein(na, nb) / len;
}

export const DEFAULT_CONFLICT_THRESHOLD = 0.85;

export function isDuplicateTitle(a: string, b: string, threshold = DEFAULT_CONFLICT_THRESHOLD): boolean {
  return titleSimilarity(a, b) >= threshold;
}

/**
 * Auto-resolution: keep the todo with the longer trimmed description; on a tie keep the earlier one.
 * Returns which of the two (by position) is kept.
 */
export function pickKept(earlier: { description: string }, later: { description: string }): 'earlier' | 'later' {
  return later.description.trim().length > earlier.description.trim().length ? 'later' : 'earlier';
}
