/**
 * A sample of SKUs' daily shelf prices under every strategy of a backtest, as
 * the store keeps them for the backtests page ("price paths over time"): the
 * same SKUs for every strategy, picked in turn from each category so that the
 * sample spans the assortment.
 *
 * @module
 */
import type { BacktestPricePath } from "../../engine/schema/backtest.ts";
import type { Market } from "../market.ts";
import type { StrategyRun } from "./run.ts";

/** Options of {@linkcode pricePaths}. */
export interface PricePathOptions {
  /** SKUs in the sample. Default 6. */
  skus?: number;
}

/**
 * The sample's SKU indexes: the first SKU of each category (categories by name),
 * then the second of each, and so on, up to `count`.
 */
export function samplePricePathSkus(market: Market, count: number): number[] {
  const byCategory = new Map<string, number[]>();
  for (const p of market.skus) {
    const list = byCategory.get(p.category);
    if (list) list.push(p.index);
    else byCategory.set(p.category, [p.index]);
  }
  const lists = [...byCategory.keys()].sort().map((c) => byCategory.get(c)!);
  const out: number[] = [];
  for (let k = 0; out.length < count && lists.some((l) => k < l.length); k++) {
    for (const l of lists) if (k < l.length && out.length < count) out.push(l[k]);
  }
  return out;
}

/**
 * The daily prices of the sampled SKUs in every run, by SKU then strategy (the
 * runs' order). A day without a recorded price (the SKU sold nothing and had no
 * shelf price) is null.
 */
export function pricePaths(
  runs: readonly StrategyRun[],
  market: Market,
  options: PricePathOptions = {},
): BacktestPricePath[] {
  const sample = samplePricePathSkus(market, options.skus ?? 6);
  const out: BacktestPricePath[] = [];
  for (const i of sample.slice().sort((a, b) => a - b)) {
    const p = market.skus[i];
    for (const r of runs) {
      const o = r.outcomes;
      out.push({
        sku: o.skus[i],
        category: p.category,
        strategy: r.strategy,
        from_date: o.from,
        prices: o.price.map((day) => (day[i] > 0 ? day[i] : null)),
      });
    }
  }
  return out;
}
