/**
 * How a strategy's prices look to a merchant, judged on what happened (realised
 * units and the competitor's actual prices), whatever rules it priced under:
 * its price index against the competitor, the share of SKUs at their ceiling,
 * and how often the category rules under test held.
 *
 * - price index: per category and day, Σ w·p / Σ w·competitor with w each SKU's
 *   units over the 28 days before (the weights the rule uses); overall, the same
 *   sums over every category-day;
 * - units floor: per category and whole backtest week, the week's units against
 *   the floor × the category's units over the 28 days before the week, / 4 (days
 *   of the warm-up history's promotions count at the SKU's mean of its other days);
 * - at ceiling: no compliant price lies above the price within the ceiling.
 *
 * @module
 */
import type { PricingRules } from "../../engine/schema/rules.ts";
import { roundNoNegativeZero } from "../../engine/util/round.ts";
import type { Market } from "../market.ts";
import type { Outcomes } from "./recorder.ts";

/** The rule metrics of one strategy. */
export interface RuleMetrics {
  /** Overall sales-weighted price index against the competitor (null without competitor prices). */
  price_index: number | null;
  /** Mean over days of the share of SKUs on sale priced at their ceiling. */
  at_ceiling_share: number;
  /** The share at the ceiling on the last day. */
  at_ceiling_last_day: number;
  /** Share of category-weeks whose units met the floor under test (null without one). */
  units_floor_met_share: number | null;
  /** Share of category-days whose price index was within the band under test (null without one). */
  price_index_met_share: number | null;
  /** Category-weeks below the floor and category-days outside the band. */
  violations: { units_floor: number; price_index: number };
}

/** The rule metrics of a strategy's outcomes under the rules under test. */
export function ruleMetrics(
  o: Outcomes,
  market: Market,
  rules: PricingRules | null | undefined,
): RuleMetrics {
  const n = o.skus.length;
  const categories = [...new Set(market.skus.map((p) => p.category))].sort();
  const catOf = new Int32Array(n);
  market.skus.forEach((p) => catOf[p.index] = categories.indexOf(p.category));
  // History's promotion days count at the SKU's mean of its other days before the backtest.
  const before = o.unitsBefore.map((row) => Float64Array.from(row));
  for (let i = 0; i < n; i++) {
    let sum = 0, days = 0;
    for (const row of before) {
      if (Number.isFinite(row[i])) {
        sum += row[i];
        days++;
      }
    }
    for (const row of before) if (!Number.isFinite(row[i])) row[i] = days ? sum / days : 0;
  }
  const unitsAt = (d: number): Float64Array => (d < 0 ? before[28 + d] : o.units[d]);
  // Trailing 28-day units per SKU, rolled forward day by day.
  const trailing = new Float64Array(n);
  for (let d = -28; d < 0; d++) {
    const u = unitsAt(d);
    for (let i = 0; i < n; i++) trailing[i] += u[i];
  }
  let num = 0, den = 0;
  let ceilingShares = 0;
  let lastShare = 0;
  const band = rules?.price_index ?? null;
  let bandDays = 0, bandMet = 0;
  const catUnits = categories.map(() => new Float64Array(o.days + 28));
  for (let d = -28; d < o.days; d++) {
    const u = unitsAt(d);
    for (let i = 0; i < n; i++) catUnits[catOf[i]][d + 28] += u[i];
  }
  for (let d = 0; d < o.days; d++) {
    const cn = new Float64Array(categories.length);
    const cd = new Float64Array(categories.length);
    let onSale = 0, atCeiling = 0;
    for (let i = 0; i < n; i++) {
      const p = o.price[d][i];
      if (!(p > 0)) continue;
      onSale++;
      atCeiling += o.atCeiling[d][i];
      const comp = o.competitor[d][i];
      if (comp > 0) {
        cn[catOf[i]] += trailing[i] * p;
        cd[catOf[i]] += trailing[i] * comp;
      }
    }
    const share = onSale ? atCeiling / onSale : 0;
    ceilingShares += share;
    if (d === o.days - 1) lastShare = share;
    for (let c = 0; c < categories.length; c++) {
      num += cn[c];
      den += cd[c];
      if (band && cd[c] > 0) {
        bandDays++;
        const index = cn[c] / cd[c];
        if (index >= band[0] - 1e-9 && index <= band[1] + 1e-9) bandMet++;
      }
    }
    const gone = unitsAt(d - 28);
    for (let i = 0; i < n; i++) trailing[i] += o.units[d][i] - gone[i];
  }
  const floor = rules?.units_floor ?? null;
  let weeks = 0, weeksMet = 0;
  if (floor !== null) {
    for (let w = 0; (w + 1) * 7 <= o.days; w++) {
      for (let c = 0; c < categories.length; c++) {
        let week = 0, before = 0;
        for (let d = w * 7; d < w * 7 + 7; d++) week += catUnits[c][d + 28];
        for (let d = w * 7 - 28; d < w * 7; d++) before += catUnits[c][d + 28];
        if (before <= 0) continue;
        weeks++;
        if (week >= floor * (before / 4) - 1e-9) weeksMet++;
      }
    }
  }
  const r = (x: number) => roundNoNegativeZero(x, 4);
  return {
    price_index: den > 0 ? r(num / den) : null,
    at_ceiling_share: r(o.days ? ceilingShares / o.days : 0),
    at_ceiling_last_day: r(lastShare),
    units_floor_met_share: floor === null || !weeks ? null : r(weeksMet / weeks),
    price_index_met_share: band === null || !bandDays ? null : r(bandMet / bandDays),
    violations: { units_floor: weeks - weeksMet, price_index: bandDays - bandMet },
  };
}
