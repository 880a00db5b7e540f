/**
 * The true demand of the market: the competitor's price, seasonality and trend,
 * the true expected demand λ(p, day) and its curve over prices, and the
 * elasticity in force on a day. The own-price effect has the SKU's shape
 * (`shapes.ts`); shapes that remember past prices take today's effect from the
 * market's memory (`memory.ts`).
 *
 * @module
 */
import { dayOfYear, weekdayOf } from "../../engine/util/date.ts";
import { normalQuantile, uniformAt } from "../../engine/util/random.ts";
import { type Market, type SkuParams, skuTruth } from "./params.ts";
import { round } from "../../engine/util/round.ts";
import { _S } from "./_shared.ts";
import type { MarketMemory } from "./memory.ts";
import { ownPriceEffect } from "./shapes.ts";

/** Stream tags for day-level draws: uniformAt(seed, i, day, stream, 0). */
export const DAY_STREAMS = { demandGamma: 1, demandPoisson: 2 } as const;

/** The competitor's price for SKU i on `day`: constant over segments, O(1). */
export function competitorPrice(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  const c = market.scenario.competitor;
  const seg = Math.floor((day + p.competitorPhase) / c.segmentDays);
  const z = normalQuantile(uniformAt(market.seed, i, _S.competitor, seg, 1));
  const level = p.referencePrice * p.competitorRatio * Math.exp(c.levelSd * z);
  return Math.max(0.01, round(level, 2));
}

/** Multiplier of the yearly seasonality and trend at `day` (no weekday, price or promo). */
export function seasonTrendAt(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  const doy = dayOfYear(day);
  return (1 + p.seasonAmplitude * Math.sin(2 * Math.PI * (doy - p.seasonPhaseDays) / 365)) *
    Math.exp(p.trendPerYear * (day - market.startDay) / 365);
}

/** Options of {@linkcode trueExpectedDemand} and {@linkcode trueDemandCurve}. */
export interface TrueDemandOptions {
  promo?: boolean;
  /**
   * The market's memory of the days before `day` (reference prices, category traffic).
   * Without it, shapes that remember prices give their long-run curve: the reference
   * price equal to the price, traffic unchanged.
   */
  memory?: MarketMemory | null;
}

/**
 * The true expected demand (units/day) of SKU i on `day` at `price`:
 * base × weekly × season × trend × own(p) × (comp/(P0·ratio))^γ × lift × regime
 * × memory, where own(p) is the SKU's shape ((p/P0)^ε for constant elasticity) and
 * memory the reference-price or traffic effect of its shape (1 for the others).
 */
export function trueExpectedDemand(
  market: Market,
  skuIndex: number,
  day: number,
  price: number,
  options: TrueDemandOptions = {},
): number {
  const p = skuTruth(market, skuIndex);
  if (!(price > 0) || !Number.isFinite(price)) {
    throw new RangeError(`Cannot compute demand for ${p.sku} at price ${price}`);
  }
  return _lambda(
    market,
    p,
    day,
    dayOfYear(day),
    price,
    competitorPrice(market, skuIndex, day),
    options.promo,
    options.memory ? options.memory.effect(skuIndex, day, price) : 1,
  );
}

/** The true expected demand of SKU i on `day` at each of `prices` (see `trueExpectedDemand`). */
export function trueDemandCurve(
  market: Market,
  skuIndex: number,
  day: number,
  prices: readonly number[],
  options: Omit<TrueDemandOptions, "promo"> = {},
): number[] {
  return prices.map((price) => trueExpectedDemand(market, skuIndex, day, price, options));
}

/** The elasticity of SKU i in force on `day` (after regime shifts), at its reference price. */
export function elasticityAt(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  let eps = p.elasticity;
  for (const s of p.shifts) if (day >= s.day) eps += s.elasticityShift;
  return Math.min(eps, -0.05);
}

/**
 * @internal λ with the day of year, competitor price and the effect of the market's
 * memory given (the simulator shares them).
 */
export function _lambda(
  market: Market,
  p: SkuParams,
  day: number,
  doy: number,
  price: number,
  comp: number,
  promo = false,
  memoryEffect = 1,
): number {
  let eps = p.elasticity;
  let regime = 1;
  for (const s of p.shifts) {
    if (day >= s.day) {
      eps += s.elasticityShift;
      regime *= s.demandMultiplier;
    }
  }
  if (eps > -0.05) eps = -0.05;
  const season = 1 + p.seasonAmplitude * Math.sin(2 * Math.PI * (doy - p.seasonPhaseDays) / 365);
  const trend = Math.exp(p.trendPerYear * (day - market.startDay) / 365);
  const own = ownPriceEffect(p.shape.base, price, p.referencePrice, eps, p.shape.share);
  const cross = Math.exp(
    p.crossElasticity * Math.log(comp / (p.referencePrice * p.competitorRatio)),
  );
  const demand = p.baseUnits * p.weekly[weekdayOf(day)] * season * trend * own * cross *
    (promo ? p.promoLift : 1) * regime;
  return memoryEffect === 1 ? demand : demand * memoryEffect;
}
