/**
 * The store's historical price policy: regular price blocks and promotions.
 *
 * @module
 */
import { lowerBound } from "../../engine/util/lower_bound.ts";
import { uniformAt } from "../../engine/util/random.ts";
import { catalogTermsAt, type Market } from "./params.ts";
import { nearestEnding } from "../../engine/pricing/price_ending.ts";
import { lowerBoundCents } from "./prices.ts";
import { _lerp, _S } from "./_shared.ts";

/**
 * The store's historical shelf price for SKU i on `day`: the regular price block
 * (around P0, with the cost increase passed through) snapped to the ending and
 * bounds, or a promotion price below it. Always within floor, ceiling and minimum
 * margin; block changes and promotions may exceed `max_daily_change`, which binds
 * the optimizer, not the store's past. Promotions run on history days only.
 */
export function historicalPrice(
  market: Market,
  i: number,
  day: number,
): { price: number; promo: boolean } {
  const p = market.skus[i];
  const terms = catalogTermsAt(market, i, day);
  const lo = lowerBoundCents(terms.unitCost, terms.floorPrice, terms.minMargin);
  // The price block holding `day`: the last one starting on or before it (else the first).
  const starts = p.blockStarts;
  const priceBlock = Math.max(0, lowerBound(starts.length, (k) => starts[k] <= day) - 1);
  const regular =
    (p.costChange && day >= p.costChange.day ? p.blockCentsAfterCost : p.blockCents)[priceBlock];
  const promos = market.scenario.promotions;
  if (promos.share > 0 && day < market.endDay) {
    const block = Math.floor((day - market.startDay + p.promoOffset) / promos.blockDays);
    if (uniformAt(market.seed, i, _S.promo, block, 1) < promos.share) {
      const discount = _lerp(
        promos.discountRange,
        uniformAt(market.seed, i, _S.promoDiscount, block, 1),
      );
      const promoCents = nearestEnding(
        Math.round(regular * (1 - discount)),
        p.priceEnding,
        lo,
        regular - 1,
      );
      if (promoCents !== null) return { price: promoCents / 100, promo: true };
    }
  }
  return { price: regular / 100, promo: false };
}
