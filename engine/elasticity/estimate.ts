/**
 * Own-price elasticity of one SKU from its history: a log-log Poisson
 * regression of daily units on log price, controlling for promotions, weekday,
 * yearly seasonality, trend and the competitor's price. Days that ended in a
 * stockout are left out: their sales understate demand.
 *
 * @module
 */
import { dayOfYear, weekdayOf } from "../util/date.ts";
import { fitPoisson } from "./glm.ts";

/** One SKU's daily history, in date order. */
export interface SkuHistory {
  /** Day numbers (days since 1970-01-01). */
  day: Int32Array;
  /** Units sold. */
  units: Float64Array;
  /** The shelf price (average paid when the shelf price is unknown). */
  price: Float64Array;
  /** 1 on promotion days. */
  promo: Uint8Array;
  /** 1 when the day ended with no stock (sales censored). */
  censored: Uint8Array;
  /** Competitor price, NaN when unknown. */
  competitor: Float64Array;
}

/**
 * A history of `n` days with every column zeroed, to be filled in place.
 *
 * @param n Days.
 * @returns The history.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptySkuHistory } from "./estimate.ts";
 *
 * const h = emptySkuHistory(3);
 * assert.equal(h.day.length, 3);
 * assert.equal(h.competitor[2], 0);
 * ```
 */
export function emptySkuHistory(n: number): SkuHistory {
  // Views of one buffer (the 8-byte columns first, so every view is aligned): one
  // allocation per SKU instead of six.
  const buffer = new ArrayBuffer(n * 30);
  return {
    day: new Int32Array(buffer, 24 * n, n),
    units: new Float64Array(buffer, 0, n),
    price: new Float64Array(buffer, 8 * n, n),
    promo: new Uint8Array(buffer, 28 * n, n),
    censored: new Uint8Array(buffer, 29 * n, n),
    competitor: new Float64Array(buffer, 16 * n, n),
  };
}

/** A SKU's own estimate. */
export interface ElasticityEstimate {
  /** The elasticity (d log units / d log price), or null when the history cannot identify it. */
  estimate: number | null;
  /** Its standard error, or null with the estimate. */
  se: number | null;
  /** Days used in the fit. */
  n: number;
  /** Why there is no estimate, when there is none. */
  note?: "too_few_days" | "no_price_variation" | "singular" | "no_sales";
}

/** Options of {@linkcode estimateElasticity}. */
export interface EstimateOptions {
  /** Fewest usable days to attempt a fit. Default 56. */
  minDays?: number;
  /** Smallest standard deviation of log price that identifies a slope. Default 0.01. */
  minLogPriceSd?: number;
}

/**
 * Estimates one SKU's own-price elasticity with its standard error: a Poisson
 * regression of daily units on log price, with weekday (when the days fall on more than
 * one: weekly rows all fall on the week's first day), promotion (when some days
 * have one), yearly season (from 300 days), trend (from 120 days) and the
 * competitor's log price (when known every day and varying) as controls. Days that
 * ended in a stockout are left out.
 *
 * @param h The SKU's history, in date order.
 * @param options `minDays` (default 56) and `minLogPriceSd` (default 0.01).
 * @returns The estimate, or a null estimate with a `note` saying why there is none.
 *
 * @example Usage
 * ```ts
 * import { estimateElasticity, type SkuHistory } from "./estimate.ts";
 * import assert from "node:assert/strict";
 *
 * // 120 days, the price alternating between 2.00 and 2.50, demand of elasticity -2
 * const n = 120;
 * const price = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 2.5 : 2));
 * const history: SkuHistory = {
 *   day: Int32Array.from({ length: n }, (_, i) => 20000 + i),
 *   units: price.map((p) => 100 * (p / 2) ** -2),
 *   price,
 *   promo: new Uint8Array(n),
 *   censored: new Uint8Array(n),
 *   competitor: new Float64Array(n).fill(NaN),
 * };
 * const e = estimateElasticity(history);
 * assert.ok(Math.abs(e.estimate! + 2) < 1e-3);
 * assert.equal(e.n, 120);
 * assert.equal(estimateElasticity(history, { minDays: 200 }).note, "too_few_days");
 * ```
 */
export function estimateElasticity(
  h: SkuHistory,
  options: EstimateOptions = {},
): ElasticityEstimate {
  const minDays = options.minDays ?? 56;
  const minSd = options.minLogPriceSd ?? 0.01;
  const rows: number[] = [];
  for (let i = 0; i < h.day.length; i++) if (!h.censored[i]) rows.push(i);
  const n = rows.length;
  if (n < minDays) return { estimate: null, se: null, n, note: "too_few_days" };
  let total = 0, lp = 0, lc = 0, nc = 0, promos = 0;
  for (const i of rows) {
    total += h.units[i];
    lp += Math.log(h.price[i]);
    promos += h.promo[i];
    if (Number.isFinite(h.competitor[i])) {
      lc += Math.log(h.competitor[i]);
      nc++;
    }
  }
  if (total === 0) return { estimate: null, se: null, n, note: "no_sales" };
  lp /= n;
  lc = nc ? lc / nc : 0;
  let vp = 0, vc = 0;
  for (const i of rows) {
    vp += (Math.log(h.price[i]) - lp) ** 2;
    if (Number.isFinite(h.competitor[i])) vc += (Math.log(h.competitor[i]) - lc) ** 2;
  }
  if (Math.sqrt(vp / n) < minSd) return { estimate: null, se: null, n, note: "no_price_variation" };
  const useCompetitor = nc === n && Math.sqrt(vc / n) >= minSd;
  // Weekly rows all fall on one weekday (the week's first): no weekday effects to fit.
  let weekdays = 0;
  for (const i of rows) weekdays |= 1 << weekdayOf(h.day[i]);
  const useWeekday = (weekdays & (weekdays - 1)) !== 0;
  const usePromo = promos > 0 && promos < n;
  const span = h.day[rows[n - 1]] - h.day[rows[0]];
  const useYear = span >= 300;
  const useTrend = span >= 120;
  const k = 2 + (useWeekday ? 6 : 0) + (usePromo ? 1 : 0) + (useYear ? 2 : 0) + (useTrend ? 1 : 0) +
    (useCompetitor ? 1 : 0);
  const x = new Float64Array(n * k);
  const y = new Float64Array(n);
  const mid = (h.day[rows[0]] + h.day[rows[n - 1]]) / 2;
  rows.forEach((i, r) => {
    const o = r * k;
    let c = 0;
    x[o + c++] = 1;
    x[o + c++] = Math.log(h.price[i]) - lp;
    if (useWeekday) {
      const wd = weekdayOf(h.day[i]);
      for (let d = 1; d < 7; d++) x[o + c++] = wd === d ? 1 : 0;
    }
    if (usePromo) x[o + c++] = h.promo[i];
    if (useYear) {
      const [sin, cos] = yearlyTerms(h.day[i]);
      x[o + c++] = sin;
      x[o + c++] = cos;
    }
    if (useTrend) x[o + c++] = (h.day[i] - mid) / 365;
    if (useCompetitor) x[o + c++] = Math.log(h.competitor[i]) - lc;
    y[r] = h.units[i];
  });
  const fit = fitPoisson(x, y, k);
  if (!fit || !Number.isFinite(fit.coefficients[1]) || !(fit.standardErrors[1] > 0)) {
    return { estimate: null, se: null, n, note: "singular" };
  }
  return { estimate: fit.coefficients[1], se: fit.standardErrors[1], n };
}

/** The yearly season's sine and cosine of a day; days repeat across SKUs, so they are kept. */
const seasons = new Map<number, readonly [number, number]>();

function yearlyTerms(day: number): readonly [number, number] {
  let terms = seasons.get(day);
  if (!terms) {
    const a = (2 * Math.PI * dayOfYear(day)) / 365.25;
    terms = [Math.sin(a), Math.cos(a)];
    if (seasons.size > 100_000) seasons.clear();
    seasons.set(day, terms);
  }
  return terms;
}
