/**
 * What stock means for a price: expected sales are capped by the stock that
 * must last until the next receipt (never sell below the cost of a stockout),
 * and overstock lowers the cost the optimizer weighs (so it marks down).
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import { daysBetween } from "../util/date.ts";

/** Inventory settings of the pricing strategies. */
export interface InventoryPolicy {
  /** Days assumed until the next receipt when none is scheduled. Default 7. */
  defaultReplenishmentDays: number;
  /** Days of cover above which stock counts as overstock. Default 45. */
  overstockCoverDays: number;
  /** Largest cut of the unit cost the objective uses for overstock. Default 0.5. */
  maxOverstockDiscount: number;
}

/** The defaults of {@linkcode InventoryPolicy}. */
export const DEFAULT_INVENTORY_POLICY: Readonly<InventoryPolicy> = Object.freeze({
  defaultReplenishmentDays: 7,
  overstockCoverDays: 45,
  maxOverstockDiscount: 0.5,
});

/** The stock view of one SKU on its run date. */
export interface StockView {
  /**
   * Units per period (day, or week on a weekly store) the stock can serve until the next
   * receipt (Infinity when untracked).
   */
  unitsCap: number;
  /** Unit cost the objective weighs (below cost when overstocked). */
  effectiveUnitCost: number;
  /** Whether the days of cover exceed the policy's overstock threshold. */
  overstocked: boolean;
  /** Days until the stock is replenished (null when inventory is not tracked). */
  horizonDays: number | null;
}

/**
 * What a SKU's stock means for its price on the run date: the units per day the
 * stock can serve until the next receipt (stock on order counts when it arrives on
 * or before the run date; without a scheduled receipt the policy assumes one), and
 * the unit cost the objective weighs, cut when the days of cover exceed the overstock
 * threshold (by half the relative excess, at most `maxOverstockDiscount`).
 *
 * @param s The SKU's snapshot.
 * @param policy The inventory policy. Default {@linkcode DEFAULT_INVENTORY_POLICY}.
 * @returns The stock view; without tracked inventory, no cap and the real cost.
 *
 * @example Usage
 * ```ts
 * import { stockView } from "./inventory.ts";
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
 * // 120 units, no receipt scheduled: they must last the default 7 days
 * assert.deepEqual(stockView(features), {
 *   unitsCap: 120 / 7, effectiveUnitCost: 1.5, overstocked: false, horizonDays: 7,
 * });
 * const overstocked = stockView({ ...features, days_of_cover: 90 });
 * assert.equal(overstocked.effectiveUnitCost, 1.5 * 0.5);
 * ```
 */
export function stockView(
  s: FeatureSnapshot,
  policy: InventoryPolicy = DEFAULT_INVENTORY_POLICY,
): StockView {
  if (s.on_hand === null) {
    return {
      unitsCap: Infinity,
      effectiveUnitCost: s.unit_cost,
      overstocked: false,
      horizonDays: null,
    };
  }
  let stock = s.on_hand;
  let horizon = policy.defaultReplenishmentDays;
  if (s.next_receipt_date !== null) {
    const days = daysBetween(s.run_date, s.next_receipt_date);
    if (days <= 0) stock += s.on_order ?? 0;
    else horizon = days;
  }
  // A weekly snapshot counts weeks of cover and expects units per week.
  const periodDays = s.period_days ?? 1;
  const cover = s.days_of_cover === null ? null : s.days_of_cover * periodDays;
  const excess = cover === null
    ? 0
    : (cover - policy.overstockCoverDays) / policy.overstockCoverDays;
  const discount = Math.min(policy.maxOverstockDiscount, Math.max(0, excess * 0.5));
  return {
    unitsCap: stock / Math.max(horizon / periodDays, 1),
    effectiveUnitCost: s.unit_cost * (1 - discount),
    overstocked: discount > 0,
    horizonDays: horizon,
  };
}
