// @ts-check
/** Text the dashboard shows for times and counters. */

/**
 * "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago": coarse enough to read from across a room.
 * @param {number} ageMs
 */
export function relativeTime(ageMs) {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

const whole = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 1,234 @param {number} n */
export const fullNumber = (n) => whole.format(n);

/** 150K, 1.2M: the full figure goes in a title. @param {number} n */
export const compactNumber = (n) => (n < 10_000 ? whole.format(n) : compact.format(n));
