/**
 * Shares of counts, as histograms are compared.
 *
 * @module
 */

/**
 * Shares of counts (all zero when the total is zero).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { shares } from "./shares.ts";
 *
 * assert.deepEqual(shares([1, 3]), [0.25, 0.75]);
 * assert.deepEqual(shares([0, 0]), [0, 0]);
 * ```
 */
export function shares(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}
