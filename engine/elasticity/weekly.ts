/**
 * Elasticities change slowly, so the feature job estimates them weekly: for a
 * run date D, from the history up to the last Sunday before D. Estimates are
 * memoised by a fingerprint of exactly the rows they are fitted on, so a
 * memoised estimate is always the one a fresh fit of the same rows gives.
 *
 * @module
 */
import { weekdayOf } from "../util/date.ts";
import {
  type ElasticityEstimate,
  estimateElasticity,
  type EstimateOptions,
  type SkuHistory,
} from "./estimate.ts";

/**
 * The day elasticities are estimated as of for a run day: the last Sunday before it,
 * so every run of a week uses the same fit.
 *
 * @param runDay The run date's day number.
 * @returns The anchor's day number.
 *
 * @example Usage
 * ```ts
 * import { elasticityAnchor } from "./weekly.ts";
 * import { fromDayNumber, toDayNumber } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const anchor = (date: string) => fromDayNumber(elasticityAnchor(toDayNumber(date)));
 * assert.equal(anchor("2025-01-08"), "2025-01-05"); // a Wednesday
 * assert.equal(anchor("2025-01-06"), "2025-01-05"); // a Monday
 * assert.equal(anchor("2025-01-05"), "2024-12-29"); // a Sunday: the Sunday before
 * ```
 */
export function elasticityAnchor(runDay: number): number {
  return runDay - 1 - ((weekdayOf(runDay - 1) + 1) % 7);
}

/**
 * The rows of a history dated up to and including `day`, as views (no copy).
 *
 * @param h The history, in date order.
 * @param day The last day number to keep.
 * @returns `h` itself when every row is kept, else views of its first rows.
 *
 * @example Usage
 * ```ts
 * import { historyUpTo } from "./weekly.ts";
 * import type { SkuHistory } from "./estimate.ts";
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
 * assert.equal(historyUpTo(history, 20009).day.length, 10);
 * assert.equal(historyUpTo(history, 30000), history);
 * ```
 */
export function historyUpTo(h: SkuHistory, day: number): SkuHistory {
  let n = h.day.length;
  while (n > 0 && h.day[n - 1] > day) n--;
  if (n === h.day.length) return h;
  return {
    day: h.day.subarray(0, n),
    units: h.units.subarray(0, n),
    price: h.price.subarray(0, n),
    promo: h.promo.subarray(0, n),
    censored: h.censored.subarray(0, n),
    competitor: h.competitor.subarray(0, n),
  };
}

/**
 * A 64-bit (two 32-bit lanes) fingerprint of the exact bits of every value of a
 * history: equal fingerprints mean equal rows (up to a ~2⁻⁶⁴ collision), so a
 * memoised fit is the fit of these very rows.
 *
 * @param h The history.
 * @returns The fingerprint, ending in `:` and the number of rows.
 *
 * @example Usage
 * ```ts
 * import { historyFingerprint, historyUpTo } from "./weekly.ts";
 * import type { SkuHistory } from "./estimate.ts";
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
 * const copy = { ...history, units: history.units.slice() };
 * assert.equal(historyFingerprint(copy), historyFingerprint(history));
 * copy.units[5] += 1;
 * assert.notEqual(historyFingerprint(copy), historyFingerprint(history));
 * assert.match(historyFingerprint(historyUpTo(history, 20009)), /:10$/);
 * ```
 */
export function historyFingerprint(h: SkuHistory): string {
  const n = h.day.length;
  let a = 0x811c9dc5 ^ n, b = 0x01000193;
  const words = (c: Int32Array | Float64Array) =>
    c instanceof Int32Array ? c : new Int32Array(c.buffer, c.byteOffset, c.length * 2);
  for (const column of [h.day, h.units, h.price, h.competitor]) {
    const w = words(column);
    for (let i = 0; i < w.length; i++) {
      a = Math.imul(a ^ w[i], 0x01000193);
      b = Math.imul((b ^ w[i]) + i, 0x5bd1e995);
      b ^= b >>> 13;
    }
  }
  for (let i = 0; i < n; i++) {
    const x = h.promo[i] * 2 + h.censored[i];
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul((b ^ x) + i, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}:${n}`;
}

const memo = new Map<string, ElasticityEstimate>();

/**
 * {@linkcode estimateElasticity} of the rows of `h` up to `anchorDay`, memoised in
 * this process by the rows used: by `rowsKey` when the caller has an identity of
 * them (see `HistoryColumns.key`) and every row of `h` is used, otherwise by their
 * {@linkcode historyFingerprint}. A memoised estimate is the one a fresh fit gives.
 *
 * @param h The history, in date order.
 * @param anchorDay The last day number to fit on (see {@linkcode elasticityAnchor}).
 * @param options Passed to `estimateElasticity`.
 * @param rowsKey An identity of the rows of `h`, when the caller has one.
 * @returns The estimate.
 *
 * @example Usage
 * ```ts
 * import { estimateAsOf, historyUpTo } from "./weekly.ts";
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
 * const e = estimateAsOf(history, 20099);
 * assert.deepEqual(e, estimateElasticity(historyUpTo(history, 20099)));
 * assert.equal(estimateAsOf(history, 20099), e); // the memoised object
 * ```
 */
export function estimateAsOf(
  h: SkuHistory,
  anchorDay: number,
  options: EstimateOptions = {},
  rowsKey?: string,
): ElasticityEstimate {
  const rows = historyUpTo(h, anchorDay);
  const id = rowsKey !== undefined && rows === h ? `key:${rowsKey}` : historyFingerprint(rows);
  const key = `${id}|${options.minDays ?? ""}|${options.minLogPriceSd ?? ""}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const e = estimateElasticity(rows, options);
  if (memo.size > 500_000) memo.clear();
  memo.set(key, e);
  return e;
}
