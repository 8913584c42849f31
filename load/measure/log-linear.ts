/**
 * Fixed log-linear latency buckets over whole milliseconds, the mergeable histogram of the k6 scripts (k6's
 * clock is Date.now(), so its latencies are whole ms): one bucket per ms below 32 ms, then 16 buckets per
 * doubling (each ≤ 1/16 = 6.25 % of its value wide) up to 2^20 ms; longer latencies land in the last
 * bucket. The scripts count arrivals per bucket in k6 Counters, which sum across k6 instances, so the
 * percentiles of any number of instances merge exactly to bucket precision. Pure: k6 imports it too.
 */
export const SUB_BUCKETS = 16;
const LINEAR = 2 * SUB_BUCKETS;
const FIRST_OCTAVE = 5; // 2^5 = 32 = LINEAR
const LAST_OCTAVE = 19; // buckets end at 2^20 ms (~17 min)
export const BUCKET_COUNT = LINEAR + (LAST_OCTAVE - FIRST_OCTAVE + 1) * SUB_BUCKETS;

/** The bucket of a latency in ms (fractions are truncated, negatives count as 0). */
export function bucketOf(ms: number): number {
  const v = ms > 0 ? Math.floor(ms) : 0;
  if (v < LINEAR) return v;
  const octave = 31 - Math.clz32(v);
  if (octave > LAST_OCTAVE) return BUCKET_COUNT - 1;
  const shift = octave - 4;
  return LINEAR + (octave - FIRST_OCTAVE) * SUB_BUCKETS + ((v >>> shift) - SUB_BUCKETS);
}

/** The lowest and highest whole ms of bucket `i` (inclusive). */
export function bucketBounds(i: number): [number, number] {
  if (i < LINEAR) return [i, i];
  const octave = FIRST_OCTAVE + Math.floor((i - LINEAR) / SUB_BUCKETS);
  const shift = octave - 4;
  const lo = (SUB_BUCKETS + ((i - LINEAR) % SUB_BUCKETS)) << shift;
  return [lo, lo + (1 << shift) - 1];
}

/** Bucket index → count; only non-empty buckets need be present. */
export type BucketCounts = Record<string, number>;

export function totalCount(c: BucketCounts): number {
  let n = 0;
  for (const k in c) n += c[k]!;
  return n;
}

/**
 * The value at percentile `p` (0…100): the highest ms of the bucket holding the sample of rank ⌈p·n/100⌉
 * (as an HDR histogram reports its highest equivalent value); 0 when empty.
 */
export function valueAtPercentile(c: BucketCounts, p: number): number {
  const n = totalCount(c);
  if (n === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  const keys = Object.keys(c)
    .map(Number)
    .sort((a, b) => a - b);
  let seen = 0;
  for (const k of keys) {
    seen += c[String(k)]!;
    if (seen >= rank) return bucketBounds(k)[1];
  }
  return bucketBounds(keys[keys.length - 1]!)[1];
}

/** Adds `from` into `into`. */
export function addCounts(into: BucketCounts, from: BucketCounts): BucketCounts {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k]!;
  return into;
}
