/** The headline figures of a strategy in a backtest: what the harness computes and the store keeps. @module */
import { z } from "zod";
import type { Infer } from "./common.ts";

const /** @ignore */ _StrategyTotals = z.object({
  revenue: z.number().finite(),
  /** Gross profit: units × (price − unit cost). */
  profit: z.number().finite(),
  units: z.number().finite().min(0),
  /** Units of demand not served (stockouts). */
  lost_units: z.number().finite().min(0),
  /** SKU-days on which some demand went unserved. */
  stockout_days: z.number().int().min(0),
  /** profit / revenue. */
  avg_margin: z.number().finite(),
  /** SKU-days whose price differs from the day before. */
  price_changes: z.number().int().min(0),
});
/** The totals of one strategy over every SKU and day. */
export const StrategyTotals: typeof _StrategyTotals = _StrategyTotals;
/** The type {@linkcode StrategyTotals} parses to. */
export type StrategyTotals = Infer<typeof StrategyTotals>;

const /** @ignore */ _BacktestPricePath = z.object({
  sku: z.string().min(1),
  category: z.string().min(1),
  strategy: z.enum(["ml", "rule", "static", "oracle"]),
  from_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  prices: z.array(z.number().finite().positive().nullable()),
});
/**
 * A SKU's daily shelf price under one strategy of a stored backtest, one per day from
 * `from_date` on (null on a day without a recorded price).
 */
export const BacktestPricePath: typeof _BacktestPricePath = _BacktestPricePath;
/** The type {@linkcode BacktestPricePath} parses to. */
export type BacktestPricePath = Infer<typeof BacktestPricePath>;
