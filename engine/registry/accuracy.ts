/** Forecast accuracy measures. @module */
import type { Accuracy } from "../schema/models.ts";
import { round } from "../util/round.ts";

/**
 * Forecast accuracy: WAPE = Σ|y − ŷ| / Σy and bias = (Σŷ − Σy) / Σy, rounded to 6
 * decimals. When nothing sold the denominator is 1 (both 0 when nothing was predicted either).
 *
 * @param actual The units sold, y.
 * @param predicted The predictions, ŷ, one per actual.
 * @returns The WAPE and the bias.
 * @throws {RangeError} When the lengths differ.
 *
 * @example Usage
 * ```ts
 * import { accuracy } from "./accuracy.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(accuracy([10, 0, 5], [8, 1, 5]), { wape: 0.2, bias: -0.066667 });
 * assert.deepEqual(accuracy([0], [0]), { wape: 0, bias: 0 });
 * ```
 */
export function accuracy(actual: ArrayLike<number>, predicted: ArrayLike<number>): Accuracy {
  if (actual.length !== predicted.length) {
    throw new RangeError(
      `Cannot measure accuracy: ${actual.length} actuals but ${predicted.length} predictions`,
    );
  }
  let abs = 0, sumY = 0, sumP = 0;
  for (let i = 0; i < actual.length; i++) {
    abs += Math.abs(actual[i] - predicted[i]);
    sumY += actual[i];
    sumP += predicted[i];
  }
  const denom = sumY > 0 ? sumY : 1;
  return {
    wape: round(abs / denom, 6),
    bias: round((sumP - sumY) / denom, 6),
  };
}
