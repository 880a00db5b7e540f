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
  units7: number;
  units28: number;
  units90: number;
  /** Days with a sales record in the last 28 / 90 days. */
  days28: number;
  days90: number;
  priceMean28: number | null;
  stockoutDays28: number;
  /** Mean units and price on the last 28 days without promotion or stockout (null if none). */
  baseUnits: number | null;
  basePrice: number | null;
  /** Mean units per weekday over 91 days divided by the overall mean; 1s without sales. */
  dowProfile: number[];
}

/** Computes {@linkcode WindowStats} for every SKU of `histories` as of day number `runDay`. */
export function windowStats(
  histories: ReadonlyMap<string, SkuHistory>,
  runDay: number,
): Map<string, WindowStats> {
  const sku: string[] = [], day: number[] = [], units: number[] = [], price: number[] = [];
  const promo: number[] = [], censored: number[] = [], dow: number[] = [];
  for (const [s, h] of histories) {
    for (let i = h.day.length - 1; i >= 0 && h.day[i] >= runDay - 91; i--) {
      sku.push(s);
      day.push(h.day[i]);
      units.push(h.units[i]);
      price.push(h.price[i]);
      promo.push(h.promo[i]);
      censored.push(h.censored[i]);
      dow.push(weekdayOf(h.day[i]));
    }
  }
  const out = new Map<string, WindowStats>();
  if (sku.length === 0) return out;
  const df = pl.DataFrame({ sku, day, units, price, promo, censored, dow });
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
  ).sort("sku");
  const byDow = df.groupBy(["sku", "dow"]).agg(pl.col("units").mean().alias("mean")).sort([
    "sku",
    "dow",
  ]);
  const dowMeans = new Map<string, number[]>();
  for (const r of byDow.toRecords()) {
    const list = dowMeans.get(r.sku as string) ?? new Array(7).fill(NaN);
    list[r.dow as number] = r.mean as number;
    dowMeans.set(r.sku as string, list);
  }
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  for (const r of agg.toRecords()) {
    const s = r.sku as string;
    const means = dowMeans.get(s) ?? new Array(7).fill(NaN);
    const known = means.filter(Number.isFinite);
    const overall = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    out.set(s, {
      units7: Number(r.units7 ?? 0),
      units28: Number(r.units28 ?? 0),
      units90: Number(r.units90 ?? 0),
      days28: Number(r.days28 ?? 0),
      days90: Number(r.days90 ?? 0),
      priceMean28: num(r.priceMean28),
      stockoutDays28: Number(r.stockoutDays28 ?? 0),
      baseUnits: num(r.baseUnits),
      basePrice: num(r.basePrice),
      dowProfile: means.map((m) => (overall > 0 && Number.isFinite(m) ? m / overall : 1)),
    });
  }
  return out;
}
