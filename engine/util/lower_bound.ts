/**
 * Binary search over a sorted range, given only a test on an index.
 *
 * @module
 */

/**
 * The first index `i` in `[0, length)` for which `isBefore(i)` is false, or
 * `length` when it holds everywhere. `isBefore` must be true on a prefix of the
 * range and false after it (for a sorted array `a` and a target `t`:
 * `(i) => a[i] < t` finds the first element `>= t`; `(i) => a[i] <= t` the first
 * element `> t`). Calls `isBefore` about log2(length) times.
 *
 * @example First element >= a target, and the insertion point after equal ones
 * ```ts
 * import assert from "node:assert/strict";
 * import { lowerBound } from "./lower_bound.ts";
 *
 * const days = [3, 5, 5, 9];
 * assert.equal(lowerBound(days.length, (i) => days[i] < 5), 1);
 * assert.equal(lowerBound(days.length, (i) => days[i] <= 5), 3);
 * assert.equal(lowerBound(days.length, (i) => days[i] < 10), 4);
 * assert.equal(lowerBound(0, () => true), 0);
 * ```
 */
export function lowerBound(length: number, isBefore: (i: number) => boolean): number {
  let lo = 0, hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
