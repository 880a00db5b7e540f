/**
 * Seeded, counter-based randomness. Every draw is a pure function of a seed and
 * integer coordinates, so the same (seed, sku, day, stream) gives the same number
 * in any order of evaluation: the simulator uses this for common random numbers.
 *
 * @module
 */

/**
 * Mixes the bits of a 32-bit integer with the finaliser of MurmurHash3, so that
 * nearby inputs give unrelated outputs.
 *
 * @param x An integer; only its low 32 bits matter.
 * @returns An unsigned 32-bit integer.
 *
 * @example Usage
 * ```ts
 * import { mix32 } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mix32(0), 0);
 * assert.equal(mix32(1), mix32(1));
 * assert.notEqual(mix32(1), mix32(2));
 * ```
 */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A uniform number in (0, 1) that depends only on a seed and up to four integer
 * coordinates (e.g. SKU, day and stream): the same arguments give the same number,
 * whatever was drawn before.
 *
 * @param seed The seed.
 * @param a The first coordinate.
 * @param b The second coordinate. Default 0.
 * @param c The third coordinate. Default 0.
 * @param d The fourth coordinate. Default 0.
 * @returns A number strictly between 0 and 1.
 *
 * @example Usage
 * ```ts
 * import { uniformAt } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * const u = uniformAt(42, 7, 3);
 * assert.ok(u > 0 && u < 1);
 * assert.equal(uniformAt(42, 7, 3), u);
 * assert.notEqual(uniformAt(42, 7, 4), u);
 * ```
 */
export function uniformAt(seed: number, a: number, b = 0, c = 0, d = 0): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(a + 1, 0x27d4eb2d));
  h = mix32(h ^ Math.imul(b + 1, 0x165667b1));
  h = mix32(h ^ Math.imul(c + 1, 0x61c88647));
  h = mix32(h ^ Math.imul(d + 1, 0x7feb352d));
  return (h + 0.5) / 4294967296;
}

/**
 * A sequential seeded generator (mulberry32), for code that draws in a fixed order.
 *
 * @param seed The seed; only its low 32 bits matter.
 * @returns A function that gives the next number in (0, 1) on each call.
 *
 * @example Usage
 * ```ts
 * import { createRandom } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * const a = createRandom(7), b = createRandom(7);
 * const draws = [a(), a(), a()];
 * assert.deepEqual([b(), b(), b()], draws);
 * assert.ok(draws.every((u) => u > 0 && u < 1));
 * ```
 */
export function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * The inverse of the standard normal CDF, by Acklam's rational approximation
 * (absolute error below 1.2e-9).
 *
 * @param p A probability in (0, 1).
 * @returns The z with P(Z <= z) = p.
 * @throws {RangeError} When `p` is not strictly between 0 and 1.
 *
 * @example Usage
 * ```ts
 * import { normalQuantile } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalQuantile(0.5), 0);
 * assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
 * assert.throws(() => normalQuantile(1), RangeError);
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new RangeError(`Cannot take the normal quantile of ${p}: it must lie in (0, 1)`);
  }
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155211232,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * A gamma variate with mean 1, from a uniform, by the Wilson–Hilferty cube
 * transform of a normal quantile. Monotone in `u`, which keeps simulated outcomes
 * coupled across strategies.
 *
 * @param shape The gamma shape (> 0); the variance is 1 / shape.
 * @param u A uniform number in (0, 1).
 * @returns A non-negative number, larger for larger `u`.
 * @throws {RangeError} When `u` is not strictly between 0 and 1.
 *
 * @example Usage
 * ```ts
 * import { gammaMeanOne } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(gammaMeanOne(2, 0.2) < gammaMeanOne(2, 0.8));
 * assert.ok(Math.abs(gammaMeanOne(1e6, 0.5) - 1) < 1e-3); // a large shape is nearly constant
 * ```
 */
export function gammaMeanOne(shape: number, u: number): number {
  const z = normalQuantile(u);
  const v = 1 / (9 * shape);
  const g = 1 - v + z * Math.sqrt(v);
  return g <= 0 ? 0 : g * g * g;
}

/**
 * The Poisson quantile: the smallest k with P(X <= k) >= u. Monotone in both
 * `mean` and `u`; means above 400 use the normal approximation with continuity
 * correction.
 *
 * @param mean The Poisson mean (>= 0, finite).
 * @param u A uniform number in (0, 1).
 * @returns A count.
 * @throws {RangeError} When `mean` is negative, NaN or infinite.
 *
 * @example Usage
 * ```ts
 * import { poissonQuantile } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(poissonQuantile(0, 0.9), 0);
 * assert.equal(poissonQuantile(3, 0.5), 3);
 * assert.ok(poissonQuantile(3, 0.1) <= poissonQuantile(3, 0.9));
 * ```
 */
export function poissonQuantile(mean: number, u: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) {
    throw new RangeError(`Cannot draw a Poisson count with mean ${mean}`);
  }
  if (mean === 0) return 0;
  if (mean > 400) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalQuantile(u) - 0.5));
  }
  let p = Math.exp(-mean);
  let cdf = p;
  let k = 0;
  while (cdf < u && k < 10_000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/**
 * A negative binomial count as a gamma–Poisson mixture: mean `mean`, variance
 * mean + mean²/shape.
 *
 * @param mean The mean count (>= 0).
 * @param shape The gamma shape (> 0); smaller means more overdispersion.
 * @param u1 The uniform in (0, 1) that draws the gamma factor.
 * @param u2 The uniform in (0, 1) that draws the Poisson count.
 * @returns A count.
 * @throws {RangeError} When a uniform lies outside (0, 1) or `mean` is not a finite number >= 0.
 *
 * @example Usage
 * ```ts
 * import { negativeBinomialQuantile, uniformAt } from "./random.ts";
 * import assert from "node:assert/strict";
 *
 * const draws = Array.from(
 *   { length: 2000 },
 *   (_, i) => negativeBinomialQuantile(5, 2, uniformAt(1, i, 0), uniformAt(1, i, 1)),
 * );
 * const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
 * assert.ok(Math.abs(mean - 5) < 0.5);
 * ```
 */
export function negativeBinomialQuantile(
  mean: number,
  shape: number,
  u1: number,
  u2: number,
): number {
  return poissonQuantile(mean * gammaMeanOne(shape, u1), u2);
}
