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
  /** Units per day the stock can serve until the next receipt (Infinity when untracked). */
  unitsCap: number;
  /** Unit cost the objective weighs (below cost when overstocked). */
  effectiveUnitCost: number;
  overstocked: boolean;
  /** Days until the stock is replenished. */
  horizonDays: number | null;
}

/** Derives the stock view of a snapshot. */
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
  const cover = s.days_of_cover;
  const excess = cover === null
    ? 0
    : (cover - policy.overstockCoverDays) / policy.overstockCoverDays;
  const discount = Math.min(policy.maxOverstockDiscount, Math.max(0, excess * 0.5));
  return {
    unitsCap: stock / Math.max(horizon, 1),
    effectiveUnitCost: s.unit_cost * (1 - discount),
    overstocked: discount > 0,
    horizonDays: horizon,
  };
}
