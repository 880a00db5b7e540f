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

/** A 64-bit (two 32-bit lanes) FNV-style fingerprint of every value of a history. */
export function historyFingerprint(h: SkuHistory): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ h.day.length;
  const mixIn = (v: number) => {
    const x = Number.isFinite(v) ? Math.round(v * 10_000) : -1;
    const lo = x | 0, hi = Math.floor(x / 4294967296) | 0;
    a = Math.imul(a ^ lo, 0x01000193);
    b = Math.imul(b ^ (lo + hi * 31), 0x5bd1e995);
    b ^= b >>> 15;
  };
  for (let i = 0; i < h.day.length; i++) {
    mixIn(h.day[i]);
    mixIn(h.units[i]);
    mixIn(h.price[i]);
    mixIn(h.promo[i] * 2 + h.censored[i]);
    mixIn(h.competitor[i]);
  }
  return `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}:${h.day.length}`;
}

const memo = new Map<string, ElasticityEstimate>();

/** `estimateElasticity` of `h` as of `anchorDay`, memoised by the fingerprint of the rows used. */
export function estimateAsOf(
  h: SkuHistory,
  anchorDay: number,
  options: EstimateOptions = {},
): ElasticityEstimate {
  const rows = historyUpTo(h, anchorDay);
  const key = `${historyFingerprint(rows)}|${options.minDays ?? ""}|${options.minLogPriceSd ?? ""}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const e = estimateElasticity(rows, options);
  if (memo.size > 500_000) memo.clear();
  memo.set(key, e);
  return e;
}
