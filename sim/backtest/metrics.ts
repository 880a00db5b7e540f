/**
 * Totals and per-day series of one strategy's outcomes, and per-SKU totals for
 * comparisons between strategies.
 *
 * @module
 */
import type { StrategyTotals } from "../../engine/schema/backtest.ts";
import { roundNoNegativeZero } from "../../engine/util/round.ts";
import type { Outcomes } from "./recorder.ts";

/** The totals of one strategy over every SKU and day (the schema lives in engine/schema). */
export type { StrategyTotals };

/** One value per backtest day. */
export interface DailySeries {
  date: string[];
  revenue: number[];
  profit: number[];
  units: number[];
  lost_units: number[];
  stockout_days: number[];
  price_changes: number[];
}

/** Per-SKU totals (market order), for bootstraps and breakdowns. */
export interface SkuTotals {
  revenue: Float64Array;
  profit: Float64Array;
  units: Float64Array;
  lost_units: Float64Array;
  stockout_days: Float64Array;
  price_changes: Float64Array;
}

/** Totals per SKU over every day. */
export function skuTotals(o: Outcomes): SkuTotals {
  const n = o.skus.length;
  const t: SkuTotals = {
    revenue: new Float64Array(n),
    profit: new Float64Array(n),
    units: new Float64Array(n),
    lost_units: new Float64Array(n),
    stockout_days: new Float64Array(n),
    price_changes: new Float64Array(n),
  };
  for (let d = 0; d < o.days; d++) {
    for (let i = 0; i < n; i++) {
      t.revenue[i] += o.revenue[d][i];
      t.profit[i] += o.profit[d][i];
      t.units[i] += o.units[d][i];
      t.lost_units[i] += o.lost[d][i];
      t.stockout_days[i] += o.lost[d][i] > 0 ? 1 : 0;
      t.price_changes[i] += o.changed[d][i];
    }
  }
  return t;
}

const _sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/** The totals of a strategy. */
export function strategyTotals(o: Outcomes): StrategyTotals {
  const t = skuTotals(o);
  const revenue = _sum(t.revenue);
  const profit = _sum(t.profit);
  return {
    revenue: roundNoNegativeZero(revenue, 2),
    profit: roundNoNegativeZero(profit, 2),
    units: roundNoNegativeZero(_sum(t.units), 0),
    lost_units: roundNoNegativeZero(_sum(t.lost_units), 0),
    stockout_days: _sum(t.stockout_days),
    avg_margin: revenue > 0 ? roundNoNegativeZero(profit / revenue, 4) : 0,
    price_changes: _sum(t.price_changes),
  };
}

/** The per-day series of a strategy. */
export function dailySeries(o: Outcomes, dates: readonly string[]): DailySeries {
  const s: DailySeries = {
    date: [...dates],
    revenue: [],
    profit: [],
    units: [],
    lost_units: [],
    stockout_days: [],
    price_changes: [],
  };
  for (let d = 0; d < o.days; d++) {
    s.revenue.push(roundNoNegativeZero(_sum(o.revenue[d]), 2));
    s.profit.push(roundNoNegativeZero(_sum(o.profit[d]), 2));
    s.units.push(_sum(o.units[d]));
    s.lost_units.push(_sum(o.lost[d]));
    s.stockout_days.push(o.lost[d].reduce((a, x) => a + (x > 0 ? 1 : 0), 0));
    s.price_changes.push(_sum(o.changed[d]));
  }
  return s;
}
