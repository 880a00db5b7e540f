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

/** The day number elasticities are estimated as of for run day `runDay`: the last Sunday before it. */
export function elasticityAnchor(runDay: number): number {
  return runDay - 1 - ((weekdayOf(runDay - 1) + 1) % 7);
}

/** The rows of `h` dated up to and including `day`. */
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
 * `estimateElasticity` of `h` as of `anchorDay`, memoised by the rows used: by
 * `rowsKey` when the caller has an identity of them (see `HistoryColumns.key`),
 * otherwise by their fingerprint.
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
