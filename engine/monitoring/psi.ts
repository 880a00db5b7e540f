/**
 * The population stability index and the sampling noise it carries at a given
 * sample size, so that a small category is not called drifted by chance.
 *
 * @module
 */

/** Smallest share used in the logarithm, so that an empty bin does not give infinity. */
export const PSI_EPSILON = 1e-4;

/**
 * Shares of a small sample with half a pseudo-count in every bin the reference
 * uses (additive smoothing): an empty bin in a sample of 30 is chance, not
 * drift, and without smoothing it alone would add about 0.7 to the PSI.
 */
export function smoothedShares(
  counts: readonly number[],
  expected: readonly number[],
  alpha = 0.5,
): number[] {
  const used = expected.filter((e) => e > 0).length;
  const total = counts.reduce((a, b) => a + b, 0) + alpha * used;
  return counts.map((c, i) => (total > 0 ? (c + (expected[i] > 0 ? alpha : 0)) / total : 0));
}

/** PSI = Σ (a − e) · ln(a / e) over bins, shares floored at {@linkcode PSI_EPSILON}. */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) {
    throw new RangeError(
      `Cannot compute PSI: ${expected.length} expected bins but ${actual.length} actual bins`,
    );
  }
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], PSI_EPSILON);
    const a = Math.max(actual[i], PSI_EPSILON);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Upper quantile of the chi-square distribution (Wilson–Hilferty), for k ≥ 1 degrees of freedom. */
export function chiSquareQuantile(k: number, z: number): number {
  if (k < 1) return 0;
  const c = 2 / (9 * k);
  return k * Math.pow(Math.max(0, 1 - c + z * Math.sqrt(c)), 3);
}

/** Options of {@linkcode psiThreshold}. */
export interface PsiThresholdOptions {
  /** The PSI that counts as drift however large the sample. Default 0.25. */
  base?: number;
  /** Normal quantile of the false-alarm level of one test. Default 3.09 (one in a thousand). */
  z?: number;
}

/**
 * The PSI a scope must reach to count as drifted. For a sample of n from the
 * reference distribution, n·PSI is approximately chi-square with (bins − 1)
 * degrees of freedom, and the reference of m rows adds its own noise; so the
 * threshold is max(base, χ²(bins − 1, z) · (1/n + 1/m)). Bins with no
 * training share do not count as degrees of freedom.
 */
export function psiThreshold(
  n: number,
  m: number,
  usedBins: number,
  options: PsiThresholdOptions = {},
): number {
  const base = options.base ?? 0.25;
  if (n <= 0) return Infinity;
  const noise = chiSquareQuantile(usedBins - 1, options.z ?? 3.09) *
    (1 / n + (m > 0 ? 1 / m : 0));
  return Math.max(base, noise);
}
