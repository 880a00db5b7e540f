/**
 * Seeded synthetic count data with known structure, for tests and benchmarks:
 * units are Poisson with a log-mean that falls with price (elasticity -1.2) and
 * depends non-linearly on up to 11 more features. `deno task bench` times gbdt
 * and scikit-learn on the same rows of it.
 *
 * @module
 */
import { createRandom } from "../../util/random.ts";

/** A synthetic data set; `mean` is the true expected units of every row. */
export interface SyntheticDemand {
  readonly names: string[];
  readonly features: Float64Array[];
  readonly target: Float64Array;
  readonly mean: Float64Array;
}

/** Expected log units of a row `x` (price is feature 0, mapped to 0.5..2). */
export function syntheticLogMean(x: (k: number) => number, featureCount: number): number {
  const v = (k: number) => (k < featureCount ? x(k) : 0.5);
  const price = 0.5 + 1.5 * v(0);
  return 0.8 - 1.2 * Math.log(price) + 0.6 * Math.sin(6 * v(1)) + (v(2) > 0.5 ? 0.5 : 0) +
    0.4 * v(3) * v(4) - 0.3 * (v(5) - 0.5) ** 2 + 0.2 * v(6) - 0.2 * v(7) +
    0.1 * Math.sin(4 * v(8)) + 0.1 * v(9) * v(10) + 0.05 * v(11);
}

/** `rows` rows of `features` uniform(0, 1) columns (feature 0 is the price) and Poisson units. */
export function syntheticDemand(
  rows: number,
  options: { features?: number; seed?: number } = {},
): SyntheticDemand {
  const F = options.features ?? 12;
  const rand = createRandom(options.seed ?? 0);
  const features = Array.from({ length: F }, () => new Float64Array(rows));
  const target = new Float64Array(rows);
  const mean = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < F; f++) features[f][i] = rand();
    mean[i] = Math.exp(syntheticLogMean((k) => features[k][i], F));
    target[i] = _poisson(mean[i], rand);
  }
  const names = Array.from({ length: F }, (_, f) => (f === 0 ? "price" : `x${f}`));
  return { names, features, target, mean };
}

/** Poisson draw by inversion of the CDF (means here stay below ~30). */
function _poisson(mu: number, rand: () => number): number {
  const u = rand();
  let k = 0;
  let p = Math.exp(-mu);
  let cdf = p;
  while (u > cdf && k < 1000) {
    k++;
    p *= mu / k;
    cdf += p;
  }
  return k;
}
