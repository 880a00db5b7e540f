/**
 * A demand model's price response, checked row by row: the slope of its
 * predicted demand in the price (an elasticity, d log ŷ / d log p) around each
 * row's price, and how often demand rises with price (never, for a model fit
 * to price with).
 *
 * @module
 */
import type { DemandModel } from "../demand/model.ts";
import type { TrainingRow } from "../demand/rolling.ts";

/** What {@linkcode priceResponseCheck} found. */
export interface PriceResponseCheck {
  /** Rows checked. */
  rows: number;
  /** Mean slope d log ŷ / d log p over the rows where both predictions are positive. */
  mean_slope: number;
  /** Median of those slopes. */
  median_slope: number;
  /** Share of rows on which predicted demand at the higher price exceeds that at the lower one. */
  rising_share: number;
  /** The slope per row, in row order (NaN where a prediction is not positive). */
  slopes: Float64Array;
}

/**
 * Predicts each row's demand a step below and above its price and measures the
 * slope between them on the log-log scale.
 *
 * @param model The model to check.
 * @param rows Rows with a snapshot and a price (e.g. a candidate's holdout).
 * @param options `step`: the relative price step each side (default 0.05).
 * @returns The slopes, their mean and median, and the share of rows where demand rises.
 * @throws {RangeError} When `step` is not in (0, 0.5].
 *
 * @example Usage
 * ```ts
 * import { priceResponseCheck } from "./price_check.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * // A constant-elasticity model (-2) and one whose demand rises with price.
 * const curve = (e: number): DemandModel => ({
 *   kind: "elasticity", version: `e${e}`, explain: () => [],
 *   predict: (_s, prices) => prices.map((p) => 10 * (p / 3) ** e),
 * });
 * const rows = [2.5, 3, 3.5].map((price) => ({ price, snapshot: {} }) as unknown as TrainingRow);
 * const down = priceResponseCheck(curve(-2), rows);
 * assert.ok(Math.abs(down.mean_slope + 2) < 1e-9);
 * assert.equal(down.rising_share, 0);
 * assert.equal(priceResponseCheck(curve(0.5), rows).rising_share, 1);
 * ```
 */
export function priceResponseCheck(
  model: DemandModel,
  rows: readonly Pick<TrainingRow, "snapshot" | "price">[],
  options: { step?: number } = {},
): PriceResponseCheck {
  const step = options.step ?? 0.05;
  if (!(step > 0 && step <= 0.5)) {
    throw new RangeError(`Cannot check a price response with step ${step}: expected (0, 0.5]`);
  }
  const span = Math.log(1 + step) - Math.log(1 - step);
  const slopes = new Float64Array(rows.length);
  let rising = 0;
  rows.forEach((r, i) => {
    const [lo, hi] = model.predict(r.snapshot, [r.price * (1 - step), r.price * (1 + step)]);
    if (hi > lo * (1 + 1e-9) + 1e-12) rising++;
    slopes[i] = lo > 0 && hi > 0 ? (Math.log(hi) - Math.log(lo)) / span : NaN;
  });
  const finite = [...slopes].filter(Number.isFinite).sort((a, b) => a - b);
  const h = finite.length >> 1;
  return {
    rows: rows.length,
    mean_slope: finite.length ? finite.reduce((s, x) => s + x, 0) / finite.length : NaN,
    median_slope: !finite.length
      ? NaN
      : finite.length % 2
      ? finite[h]
      : (finite[h - 1] + finite[h]) / 2,
    rising_share: rows.length ? rising / rows.length : 0,
    slopes,
  };
}
