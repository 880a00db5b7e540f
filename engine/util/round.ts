/**
 * Rounding to a number of decimals, the one rule every record and report uses:
 * `Math.round(x * 10^digits) / 10^digits`. Halves go up (toward +∞), as with
 * `Math.round`; non-finite values come back unchanged.
 *
 * Two variants differ only in the sign of a zero result. {@linkcode round} keeps
 * `Math.round`'s negative zero (`round(-1e-9, 6)` is `-0`);
 * {@linkcode roundNoNegativeZero} gives `0` instead, for numbers that must read the
 * same whichever side of zero they came from (feature snapshots, backtest reports).
 *
 * @module
 */

/**
 * Rounds `x` to `digits` decimals: `Math.round(x * 10 ** digits) / 10 ** digits`.
 * A tiny negative value rounds to `-0`, as `Math.round` gives it.
 *
 * @example Round to six decimals
 * ```ts
 * import assert from "node:assert/strict";
 * import { round } from "./round.ts";
 *
 * assert.equal(round(0.1234565, 6), 0.123457);
 * assert.equal(round(2.5, 0), 3);
 * assert.equal(round(-2.5, 0), -2);
 * assert.ok(Object.is(round(-1e-9, 6), -0));
 * ```
 */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Rounds `x` to `digits` decimals like {@linkcode round}, but a result of
 * negative zero becomes `0`.
 *
 * @example Round money to cents without a negative zero
 * ```ts
 * import assert from "node:assert/strict";
 * import { roundNoNegativeZero } from "./round.ts";
 *
 * assert.equal(roundNoNegativeZero(12.345678, 2), 12.35);
 * assert.ok(Object.is(roundNoNegativeZero(-0.001, 2), 0));
 * ```
 */
export function roundNoNegativeZero(x: number, digits: number): number {
  const r = round(x, digits);
  return Object.is(r, -0) ? 0 : r;
}
