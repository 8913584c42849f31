/** Stand-in for the `k6` module (unused by the scripts beyond these). */
export function sleep(): void {
  throw new Error('sleep() is not provided by the k6 stand-in');
}
export function check(): boolean {
  return true;
}
