/**
 * Differences between strategies with a seeded 95% bootstrap interval over SKUs
 * (SKUs resampled with replacement; the same resamples for every comparison).
 *
 * @module
 */
import { createRandom } from "../../engine/util/random.ts";
import { roundNoNegativeZero } from "../../engine/util/round.ts";

/** A difference A − B summed over SKUs, its relative size and their intervals. */
export interface Difference {
  diff: number;
  /** 95% percentile interval of `diff`. */
  ci95: [number, number];
  /** diff / B's total, in percent. */
  pct: number;
  pct_ci95: [number, number];
}

/** Options of {@linkcode bootstrapSkus}. */
export interface BootstrapOptions {
  /** Resamples. Default 1000. */
  resamples?: number;
  seed: number;
}

/** Resampling weights: `weights[r][i]` = how often SKU i is drawn in resample r. */
export function bootstrapSkus(n: number, options: BootstrapOptions): Uint16Array[] {
  const random = createRandom(options.seed ^ 0xb007);
  const out: Uint16Array[] = [];
  for (let r = 0; r < (options.resamples ?? 1000); r++) {
    const w = new Uint16Array(n);
    for (let k = 0; k < n; k++) w[Math.floor(random() * n)]++;
    out.push(w);
  }
  return out;
}

/** Percentile of sorted values (linear interpolation). */
export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const x = q * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

function _dot(w: Uint16Array, a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) if (w[i]) s += w[i] * a[i];
  return s;
}

function _interval(values: number[], digits: number): [number, number] {
  const finite = values.filter(Number.isFinite).sort((x, y) => x - y);
  return [
    roundNoNegativeZero(percentile(finite, 0.025), digits),
    roundNoNegativeZero(percentile(finite, 0.975), digits),
  ];
}

/** A − B over SKUs, with its bootstrap interval. */
export function difference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  weights: readonly Uint16Array[],
): Difference {
  const ones = new Uint16Array(a.length).fill(1);
  const stat = (w: Uint16Array) => {
    const sb = _dot(w, b);
    const d = _dot(w, a) - sb;
    return { d, pct: sb !== 0 ? (100 * d) / Math.abs(sb) : NaN };
  };
  const point = stat(ones);
  const boots = weights.map(stat);
  return {
    diff: roundNoNegativeZero(point.d, 2),
    ci95: _interval(boots.map((x) => x.d), 2),
    pct: roundNoNegativeZero(point.pct, 2),
    pct_ci95: _interval(boots.map((x) => x.pct), 2),
  };
}

/** (A − base) / (top − base) over SKUs, with its bootstrap interval; null when top = base. */
export function captureShare(
  a: ArrayLike<number>,
  base: ArrayLike<number>,
  top: ArrayLike<number>,
  weights: readonly Uint16Array[],
): { share: number; ci95: [number, number] } | null {
  const ones = new Uint16Array(a.length).fill(1);
  const stat = (w: Uint16Array) => {
    const b = _dot(w, base);
    const gap = _dot(w, top) - b;
    return gap !== 0 ? (_dot(w, a) - b) / gap : NaN;
  };
  const point = stat(ones);
  if (!Number.isFinite(point)) return null;
  return { share: roundNoNegativeZero(point, 4), ci95: _interval(weights.map(stat), 4) };
}

/**
 * A total over SKUs with its 95% bootstrap interval (the same resamples as the
 * differences, so intervals of one report are comparable).
 *
 * @param values One value per SKU (e.g. `skuTotals(outcomes).profit`).
 * @param weights Resampling weights from {@linkcode bootstrapSkus}.
 * @param digits Decimals of the total and the interval. Default 2.
 * @returns The total and the 2.5% and 97.5% percentiles of the resampled totals.
 *
 * @example Usage
 * ```ts
 * import { bootstrapSkus, totalInterval } from "./bootstrap.ts";
 * import assert from "node:assert/strict";
 *
 * const profit = [120, 80, 100, 95, 105];
 * const t = totalInterval(profit, bootstrapSkus(profit.length, { seed: 1, resamples: 500 }));
 * assert.equal(t.total, 500);
 * assert.ok(t.ci95[0] < 500 && 500 < t.ci95[1]);
 * assert.ok(t.ci95[0] >= 400 && t.ci95[1] <= 600); // 5 × the smallest and largest value
 * ```
 */
export function totalInterval(
  values: ArrayLike<number>,
  weights: readonly Uint16Array[],
  digits = 2,
): { total: number; ci95: [number, number] } {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return {
    total: roundNoNegativeZero(total, digits),
    ci95: _interval(weights.map((w) => _dot(w, values)), digits),
  };
}
