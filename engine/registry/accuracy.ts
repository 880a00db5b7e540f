/** Forecast accuracy measures. @module */
import type { Accuracy } from "../schema/models.ts";
import { round } from "../util/round.ts";

/** WAPE = Σ|y − ŷ| / Σy and bias = (Σŷ − Σy) / Σy; both 0 when nothing sold and nothing predicted. */
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
