/**
 * The feature vector a learned demand model sees for a SKU on a date at a
 * candidate price. One definition serves training and pricing, so the two
 * cannot drift apart. Features that move with the price are declared
 * `priceMonotone`: the model is constrained to be non-increasing in each, so
 * predicted demand never rises with price.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import { dayOfYear, toDayNumber, weekdayOf } from "../util/date.ts";

/** One model feature. */
export interface DemandFeature {
  /** The column's name. */
  name: string;
  /** True when the value rises with the candidate price (the model must not rise with it). */
  priceMonotone: boolean;
  /** Its value for a snapshot at a candidate price (`categoryCode`: the model's category code). */
  value(s: FeatureSnapshot, price: number, categoryCode: number): number;
}

const logOr = (x: number | null, fallback = NaN) => (x !== null && x > 0 ? Math.log(x) : fallback);

/** The features, in model column order. */
export const DEMAND_FEATURES: readonly DemandFeature[] = [
  { name: "log_price", priceMonotone: true, value: (_s, p) => Math.log(p) },
  {
    name: "price_vs_28d_mean",
    priceMonotone: true,
    value: (s, p) => Math.log(p / (s.last_price / s.price_rel_28)),
  },
  { name: "price_vs_base", priceMonotone: true, value: (s, p) => Math.log(p / s.base_price) },
  {
    name: "price_vs_competitor",
    priceMonotone: true,
    value: (s, p) => (s.competitor_price ? Math.log(p / s.competitor_price) : NaN),
  },
  { name: "log_base_price", priceMonotone: false, value: (s) => Math.log(s.base_price) },
  { name: "log1p_base_units", priceMonotone: false, value: (s) => Math.log1p(s.base_units) },
  { name: "log1p_rate_7", priceMonotone: false, value: (s) => Math.log1p(s.units_7 / 7) },
  { name: "log1p_rate_28", priceMonotone: false, value: (s) => Math.log1p(s.units_28 / 28) },
  { name: "trend_ratio", priceMonotone: false, value: (s) => s.trend_ratio ?? NaN },
  {
    name: "weekday_factor",
    priceMonotone: false,
    value: (s) => s.dow_profile[weekdayOf(toDayNumber(s.run_date))] ?? 1,
  },
  { name: "weekday", priceMonotone: false, value: (s) => weekdayOf(toDayNumber(s.run_date)) },
  {
    name: "season_sin",
    priceMonotone: false,
    value: (s) => Math.sin((2 * Math.PI * dayOfYear(toDayNumber(s.run_date))) / 365.25),
  },
  {
    name: "season_cos",
    priceMonotone: false,
    value: (s) => Math.cos((2 * Math.PI * dayOfYear(toDayNumber(s.run_date))) / 365.25),
  },
  { name: "stockout_days_28", priceMonotone: false, value: (s) => s.stockout_days_28 },
  { name: "log_days_of_cover", priceMonotone: false, value: (s) => logOr(s.days_of_cover) },
  { name: "category", priceMonotone: false, value: (_s, _p, c) => c },
];

/** Monotone constraints per feature for the learner: -1 where the feature moves with price. */
export const DEMAND_MONOTONE: readonly (-1 | 0)[] = DEMAND_FEATURES.map((f) =>
  f.priceMonotone ? -1 : 0
);

/**
 * The feature matrix of (snapshot, price) pairs, column by column in the order of
 * {@linkcode DEMAND_FEATURES}: what a learned model trains and predicts on.
 *
 * @param items The pairs, one row each.
 * @param categoryCode The model's code of a category (its category feature).
 * @returns One column per feature, each with one value per pair (NaN where unknown).
 *
 * @example Usage
 * ```ts
 * import { DEMAND_FEATURES, featureColumns } from "./features.ts";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import assert from "node:assert/strict";
 *
 * const features: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1.04, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const items = [{ snapshot: features, price: 2.99 }, { snapshot: features, price: 3.49 }];
 * const columns = featureColumns(items, () => 0);
 * assert.equal(columns.length, DEMAND_FEATURES.length);
 * const logPrice = columns[DEMAND_FEATURES.findIndex((f) => f.name === "log_price")];
 * assert.deepEqual([...logPrice], [Math.log(2.99), Math.log(3.49)]);
 * ```
 */
export function featureColumns(
  items: readonly { snapshot: FeatureSnapshot; price: number }[],
  categoryCode: (category: string) => number,
): Float64Array[] {
  const cols = DEMAND_FEATURES.map(() => new Float64Array(items.length));
  items.forEach((item, r) => {
    const c = categoryCode(item.snapshot.category);
    DEMAND_FEATURES.forEach((f, k) => (cols[k][r] = f.value(item.snapshot, item.price, c)));
  });
  return cols;
}
