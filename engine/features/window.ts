/**
 * Window aggregates per SKU over the days just before the run date, computed
 * with polars: unit sums over 7/28/90 days, stockout days, the clean-day demand
 * baseline, the 28-day mean price and the weekday profile.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { SkuHistory } from "../elasticity/estimate.ts";
import { weekdayOf } from "../util/date.ts";

/** Window aggregates of one SKU. */
export interface WindowStats {
  /** Units sold in the 7 days before the run date. */
  units7: number;
  /** Units sold in the 28 days before the run date. */
  units28: number;
  /** Units sold in the 90 days before the run date. */
  units90: number;
  /** Days with a sales record in the last 28 days. */
  days28: number;
  /** Days with a sales record in the last 90 days. */
  days90: number;
  /** Mean price over the last 28 days (null without sales records). */
  priceMean28: number | null;
  /** Days in the last 28 that ended with no stock. */
  stockoutDays28: number;
  /** Mean units on the last 28 days without promotion or stockout (null if none). */
  baseUnits: number | null;
  /** Mean price on those days (null if none). */
  basePrice: number | null;
  /** Mean units per weekday over 91 days divided by the overall mean; 1s without sales. */
  dowProfile: number[];
}

/**
 * Computes the {@linkcode WindowStats} of every SKU as of a run day, from the days
 * before it.
 *
 * @param histories The SKUs' histories, each in date order and dated before `runDay`.
 * @param runDay The run date's day number.
 * @returns The stats of each SKU with sales in the 91 days before `runDay`.
 *
 * @example Usage
 * ```ts
 * import { windowStats } from "./window.ts";
 * import type { SkuHistory } from "../elasticity/estimate.ts";
 * import assert from "node:assert/strict";
 *
 * // 28 days of 10 units at 2.99, the last one a stockout
 * const n = 28;
 * const history: SkuHistory = {
 *   day: Int32Array.from({ length: n }, (_, i) => 20000 + i),
 *   units: new Float64Array(n).fill(10),
 *   price: new Float64Array(n).fill(2.99),
 *   promo: new Uint8Array(n),
 *   censored: Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)),
 *   competitor: new Float64Array(n).fill(NaN),
 * };
 * const stats = windowStats(new Map([["A1", history]]), 20000 + n).get("A1")!;
 * assert.equal(stats.units7, 70);
 * assert.equal(stats.units28, 280);
 * assert.equal(stats.stockoutDays28, 1);
 * assert.equal(stats.baseUnits, 10);
 * ```
 */
export function windowStats(
  histories: ReadonlyMap<string, SkuHistory>,
  runDay: number,
): Map<string, WindowStats> {
  // Columns as typed arrays and SKUs as integer codes: polars takes them without
  // per-value conversion, and groups integers faster than strings.
  const names = [...histories.keys()];
  const first = new Int32Array(names.length);
  let rows = 0;
  names.forEach((name, k) => {
    const d = histories.get(name)!.day;
    let i = d.length;
    while (i > 0 && d[i - 1] >= runDay - 91) i--;
    first[k] = i;
    rows += d.length - i;
  });
  const out = new Map<string, WindowStats>();
  if (rows === 0) return out;
  const sku = new Int32Array(rows), day = new Int32Array(rows), dow = new Int32Array(rows);
  const units = new Float64Array(rows), price = new Float64Array(rows);
  const promo = new Int32Array(rows), censored = new Int32Array(rows);
  let r = 0;
  names.forEach((name, k) => {
    const h = histories.get(name)!;
    for (let i = first[k]; i < h.day.length; i++, r++) {
      sku[r] = k;
      day[r] = h.day[i];
      dow[r] = weekdayOf(h.day[i]);
      units[r] = h.units[i];
      price[r] = h.price[i];
      promo[r] = h.promo[i];
      censored[r] = h.censored[i];
    }
  });
  const df = pl.DataFrame([
    pl.Series("sku", sku),
    pl.Series("day", day),
    pl.Series("units", units),
    pl.Series("price", price),
    pl.Series("promo", promo),
    pl.Series("censored", censored),
    pl.Series("dow", dow),
  ]);
  const since = (n: number) => pl.col("day").gtEq(runDay - n);
  const clean = since(28).and(pl.col("promo").eq(0)).and(pl.col("censored").eq(0));
  const agg = df.groupBy("sku").agg(
    pl.col("units").filter(since(7)).sum().alias("units7"),
    pl.col("units").filter(since(28)).sum().alias("units28"),
    pl.col("units").filter(since(90)).sum().alias("units90"),
    pl.col("units").filter(since(28)).count().alias("days28"),
    pl.col("units").filter(since(90)).count().alias("days90"),
    pl.col("price").filter(since(28)).mean().alias("priceMean28"),
    pl.col("censored").filter(since(28)).sum().alias("stockoutDays28"),
    pl.col("units").filter(clean).mean().alias("baseUnits"),
    pl.col("price").filter(clean).mean().alias("basePrice"),
  );
  const byDow = df.groupBy(["sku", "dow"]).agg(pl.col("units").mean().alias("mean"));
  // Results are read column-wise and by SKU code; group order does not matter.
  const column = (frame: typeof agg, name: string) => frame.getColumn(name).toArray() as unknown[];
  const dowMeans = names.map(() => new Array<number>(7).fill(NaN));
  const [dSku, dDow, dMean] = ["sku", "dow", "mean"].map((c) => column(byDow, c));
  for (let i = 0; i < dSku.length; i++) {
    dowMeans[dSku[i] as number][dDow[i] as number] = dMean[i] as number;
  }
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const col = Object.fromEntries(agg.columns.map((c) => [c, column(agg, c)]));
  for (let i = 0; i < col.sku.length; i++) {
    const code = col.sku[i] as number;
    const means = dowMeans[code];
    const known = means.filter(Number.isFinite);
    const overall = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    out.set(names[code], {
      units7: Number(col.units7[i] ?? 0),
      units28: Number(col.units28[i] ?? 0),
      units90: Number(col.units90[i] ?? 0),
      days28: Number(col.days28[i] ?? 0),
      days90: Number(col.days90[i] ?? 0),
      priceMean28: num(col.priceMean28[i]),
      stockoutDays28: Number(col.stockoutDays28[i] ?? 0),
      baseUnits: num(col.baseUnits[i]),
      basePrice: num(col.basePrice[i]),
      dowProfile: means.map((m) => (overall > 0 && Number.isFinite(m) ? m / overall : 1)),
    });
  }
  return out;
}
