/**
 * Poisson regression with a log link, fitted by iteratively reweighted least
 * squares: log E[y] = Xβ. With log price among the columns, its coefficient is
 * the own-price elasticity of a log-log demand model.
 *
 * @module
 */

/** A fitted Poisson regression. */
export interface PoissonFit {
  /** β, one per column of the design. */
  coefficients: Float64Array;
  /** Standard errors, inflated by the Pearson dispersion when it exceeds 1. */
  standardErrors: Float64Array;
  /** Pearson χ² / (rows − columns), at least 1 (1 when rows <= columns). */
  dispersion: number;
  /** IRLS iterations run. */
  iterations: number;
  /** Whether the largest coefficient change fell below the tolerance. */
  converged: boolean;
}

/** Options of {@linkcode fitPoisson}. */
export interface PoissonOptions {
  /** Maximum IRLS iterations. Default 25. */
  maxIterations?: number;
  /** Convergence tolerance on the largest coefficient change. Default 1e-7. */
  tolerance?: number;
  /** Ridge added to the diagonal (not the intercept) for numerical safety. Default 1e-6. */
  ridge?: number;
}

/**
 * Fits a Poisson regression with a log link, log E[y] = Xβ, by iteratively
 * reweighted least squares.
 *
 * @param x The design, row-major with `k` columns, the first being the intercept (all 1).
 * @param y The counts, one per row (non-negative; need not be integers).
 * @param k The number of columns.
 * @param options Iterations (default 25), tolerance (default 1e-7) and ridge (default 1e-6).
 * @returns The fit, or null when the design is singular.
 * @throws {RangeError} When `x` does not hold `y.length × k` cells.
 *
 * @example Usage
 * ```ts
 * import { fitPoisson } from "./glm.ts";
 * import assert from "node:assert/strict";
 *
 * // y = exp(1 + 0.5 t) exactly, for t = 0, 0.1, …, 1.9
 * const t = Array.from({ length: 20 }, (_, i) => i / 10);
 * const x = Float64Array.from(t.flatMap((ti) => [1, ti]));
 * const y = Float64Array.from(t, (ti) => Math.exp(1 + 0.5 * ti));
 * const fit = fitPoisson(x, y, 2);
 * assert.ok(fit?.converged);
 * assert.ok(Math.abs(fit.coefficients[0] - 1) < 1e-4);
 * assert.ok(Math.abs(fit.coefficients[1] - 0.5) < 1e-4);
 * ```
 */
export function fitPoisson(
  x: Float64Array,
  y: Float64Array,
  k: number,
  options: PoissonOptions = {},
): PoissonFit | null {
  const n = y.length;
  if (x.length !== n * k) {
    throw new RangeError(`Cannot fit a Poisson regression: ${x.length} cells for ${n} rows × ${k}`);
  }
  const maxIterations = options.maxIterations ?? 25;
  const tolerance = options.tolerance ?? 1e-7;
  const ridge = options.ridge ?? 1e-6;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean = Math.max(mean / n, 1e-3);
  const beta = new Float64Array(k);
  beta[0] = Math.log(mean);
  const xtwx = new Float64Array(k * k);
  const xtwz = new Float64Array(k);
  // The design as sparse rows (column indices and values of the nonzero cells, in
  // column order): most cells of the weekday and promotion columns are 0. Skipping
  // them adds exactly nothing (every term is finite), so the sums are bit-identical
  // to the dense loops, at a third of the work.
  const start = new Int32Array(n + 1);
  const cols = new Int32Array(n * k);
  const vals = new Float64Array(n * k);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    start[i] = nnz;
    for (let j = 0; j < k; j++) {
      const v = x[i * k + j];
      if (v !== 0) {
        cols[nnz] = j;
        vals[nnz++] = v;
      }
    }
  }
  start[n] = nnz;
  let converged = false;
  let iterations = 0;
  // The last iteration's factorisation: only the final one's inverse is needed.
  let factor: { inverse(): Float64Array } | null = null;
  for (; iterations < maxIterations && !converged; iterations++) {
    xtwx.fill(0);
    xtwz.fill(0);
    for (let i = 0; i < n; i++) {
      const lo = start[i], hi = start[i + 1];
      let eta = 0;
      for (let p = lo; p < hi; p++) eta += vals[p] * beta[cols[p]];
      eta = Math.min(Math.max(eta, -30), 30);
      const mu = Math.exp(eta);
      const z = eta + (y[i] - mu) / mu;
      for (let p = lo; p < hi; p++) {
        const a = cols[p];
        const wa = mu * vals[p];
        xtwz[a] += wa * z;
        for (let q = lo; q <= p; q++) xtwx[a * k + cols[q]] += wa * vals[q];
      }
    }
    for (let a = 1; a < k; a++) xtwx[a * k + a] += ridge;
    const next = solveSymmetric(xtwx, xtwz, k);
    if (!next) return null;
    let change = 0;
    for (let j = 0; j < k; j++) change = Math.max(change, Math.abs(next.solution[j] - beta[j]));
    beta.set(next.solution);
    factor = next.factor;
    converged = change < tolerance;
  }
  if (!factor) return null;
  const inverse = factor.inverse();
  let pearson = 0;
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < k; j++) eta += x[i * k + j] * beta[j];
    const mu = Math.exp(Math.min(Math.max(eta, -30), 30));
    pearson += (y[i] - mu) ** 2 / mu;
  }
  const dispersion = n > k ? Math.max(1, pearson / (n - k)) : 1;
  const standardErrors = new Float64Array(k);
  for (let j = 0; j < k; j++) standardErrors[j] = Math.sqrt(dispersion * inverse[j * k + j]);
  return { coefficients: beta, standardErrors, dispersion, iterations, converged };
}

/**
 * Solves A s = b for a symmetric positive definite A given by its lower
 * triangle (row-major k × k), by Cholesky; A⁻¹ is computed from the same factor
 * on demand. Null if singular.
 */
function solveSymmetric(
  a: Float64Array,
  b: Float64Array,
  k: number,
): { solution: Float64Array; factor: { inverse(): Float64Array } } | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j];
      for (let p = 0; p < j; p++) sum -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        if (!(sum > 1e-12)) return null;
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / l[j * k + j];
      }
    }
  }
  const solve = (rhs: Float64Array): Float64Array => {
    const u = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let sum = rhs[i];
      for (let p = 0; p < i; p++) sum -= l[i * k + p] * u[p];
      u[i] = sum / l[i * k + i];
    }
    const s = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      let sum = u[i];
      for (let p = i + 1; p < k; p++) sum -= l[p * k + i] * s[p];
      s[i] = sum / l[i * k + i];
    }
    return s;
  };
  const inverse = (): Float64Array => {
    const out = new Float64Array(k * k);
    const e = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      e.fill(0);
      e[j] = 1;
      const col = solve(e);
      for (let i = 0; i < k; i++) out[i * k + j] = col[i];
    }
    return out;
  };
  return { solution: solve(b), factor: { inverse } };
}
