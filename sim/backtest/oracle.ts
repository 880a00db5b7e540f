/**
 * The oracle: a DemandModel whose prediction is the simulator's true expected
 * demand curve. Priced through the same ML strategy and optimizer, under the
 * same guardrails, stock view, objective and rules, it is the upper bound of
 * every strategy.
 *
 * What it optimises, by shape:
 * - memoryless shapes (constant elasticity, linear, logit): today's true curve,
 *   so today's objective exactly (the zoom finds the best compliant price on a
 *   unimodal curve; every grid point is evaluated on the truth);
 * - store traffic: today's true curve with today's traffic, which its own price
 *   barely moves; the traffic its category's index will cost in the coming weeks
 *   is priced by a rule instead (`oracleRules`: the category index held at or
 *   below the market's traffic tolerance, where traffic starts to fall);
 * - reference prices: the average daily demand over the next `horizonDays` days
 *   if today's price were then held, the reference adapting toward it, so the
 *   objective weighs what a rise costs until shoppers get used to it. It searches
 *   "move, then hold" paths only: a staircase of several moves, or a cycle (hi-lo),
 *   is never considered. With loss-averse shoppers (loss ≥ gain sensitivity, which
 *   the scenario schema requires) a constant price is optimal in the long run, so
 *   the limit is the transition, where a staircase can beat one move.
 *
 * @module
 */
import type { DemandModel } from "../../engine/demand/model.ts";
import type { PricingRules } from "../../engine/schema/rules.ts";
import type { FeatureSnapshot } from "../../engine/schema/features.ts";
import { optimizePrice } from "../../engine/pricing/optimizer.ts";
import { guardrailsOf } from "../../engine/pricing/strategies.ts";
import {
  DEFAULT_INVENTORY_POLICY,
  type InventoryPolicy,
  stockView,
} from "../../engine/pricing/inventory.ts";
import { dayOfYear, toDayNumber } from "../../engine/util/date.ts";
import {
  _lambda,
  competitorPrice,
  decayWeights,
  type Market,
  type MarketMemory,
  referenceEffect,
  skuIndexOf,
  trueDemandCurve,
} from "../market.ts";

/** The version the oracle's decisions carry. */
export const ORACLE_VERSION = "oracle-true-demand";

/** Days the oracle looks ahead on reference-price markets. */
export const ORACLE_HORIZON_DAYS = 28;

/** Options of {@linkcode oracleModel}. */
export interface OracleOptions {
  /**
   * The market's memory of the days before the run date (the backtest's recorder
   * keeps it); needed on shapes that remember prices. Default: none (long-run curves).
   */
  memory?: () => MarketMemory | null;
  /** Days looked ahead on reference-price markets. Default {@linkcode ORACLE_HORIZON_DAYS}. */
  horizonDays?: number;
}

/** A DemandModel that answers with the market's true expected demand on the run date. */
export function oracleModel(market: Market, options: OracleOptions = {}): DemandModel {
  const horizon = options.horizonDays ?? ORACLE_HORIZON_DAYS;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError(`Cannot build the oracle with a horizon of ${horizon} days`);
  }
  return {
    // The interface knows learned kinds only; the oracle is the market's truth.
    kind: "elasticity",
    version: ORACLE_VERSION,
    predict: (s, prices) => {
      const i = skuIndexOf(market, s.sku);
      const day = toDayNumber(s.run_date);
      const memory = options.memory?.() ?? null;
      if (memory && market.skus[i].shape.reference) {
        return holdCurve(market, i, day, prices, memory, horizon);
      }
      return trueDemandCurve(market, i, day, prices, { memory });
    },
    explain: () => [],
  };
}

/**
 * The category settings the oracle adds on store-traffic markets: each traffic
 * category's price index held at or below the market's tolerance (within the
 * backtest's band, if any), where shoppers start to stay away. Empty elsewhere.
 */
export function oracleRules(
  market: Market,
  rules: PricingRules | undefined,
): { category: string; settings: PricingRules }[] {
  const out = new Map<string, PricingRules>();
  for (const p of market.skus) {
    const t = p.shape.traffic;
    if (!t || out.has(p.category)) continue;
    const band = rules?.price_index ?? null;
    const high = Math.min(band?.[1] ?? Infinity, t.tolerance);
    out.set(p.category, { price_index: [Math.min(band?.[0] ?? 0, high), high] });
  }
  return [...out.keys()].sort().map((category) => ({ category, settings: out.get(category)! }));
}

/**
 * On a reference-price SKU: the mean true expected demand of days `day` to
 * `day + horizon - 1` at each price, were it charged from `day` on (the reference
 * price moving toward it as the memory's weights say).
 */
export function holdCurve(
  market: Market,
  i: number,
  day: number,
  prices: readonly number[],
  memory: MarketMemory,
  horizon: number,
): number[] {
  const p = market.skus[i];
  const e = p.shape.reference;
  if (!e) throw new RangeError(`Cannot compute a hold curve for ${p.sku}: no reference effect`);
  const w = decayWeights(e.halfLifeDays, e.windowDays);
  // Reference on day + h = (past + price × held) / weight, for every h.
  const past = new Float64Array(horizon);
  const held = new Float64Array(horizon);
  const weight = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    for (let k = 0; k < w.length; k++) {
      const d = day + h - 1 - k;
      if (d >= day) {
        held[h] += w[k];
        weight[h] += w[k];
        continue;
      }
      const x = memory.pricesOf(d)?.[i];
      if (x === undefined || !Number.isFinite(x)) continue;
      past[h] += w[k] * x;
      weight[h] += w[k];
    }
  }
  return prices.map((price) => {
    let sum = 0;
    for (let h = 0; h < horizon; h++) {
      const d = day + h;
      const reference = weight[h] > 0 ? (past[h] + price * held[h]) / weight[h] : null;
      sum += _lambda(
        market,
        p,
        d,
        dayOfYear(d),
        price,
        competitorPrice(market, i, d),
        false,
        referenceEffect(e, price, reference),
      );
    }
    return sum / horizon;
  });
}

/**
 * The objective every ML-priced decision maximises, evaluated on the truth:
 * (p − effective unit cost) × min(true λ(p), units the stock can serve per day).
 */
export function trueObjective(
  market: Market,
  snapshot: FeatureSnapshot,
  price: number,
  policy: InventoryPolicy = DEFAULT_INVENTORY_POLICY,
): number {
  const stock = stockView(snapshot, policy);
  const lambda = trueDemandCurve(
    market,
    skuIndexOf(market, snapshot.sku),
    toDayNumber(snapshot.run_date),
    [price],
  )[0];
  return (price - stock.effectiveUnitCost) * Math.min(lambda, stock.unitsCap);
}

/** The oracle's price for one snapshot (what the ML strategy with the oracle model returns). */
export function oraclePrice(
  market: Market,
  snapshot: FeatureSnapshot,
  options: { policy?: InventoryPolicy; minCandidates?: number } = {},
): number {
  const stock = stockView(snapshot, options.policy ?? DEFAULT_INVENTORY_POLICY);
  const model = oracleModel(market);
  return optimizePrice(guardrailsOf(snapshot), {
    demand: (prices) => model.predict(snapshot, prices),
    unitsCap: stock.unitsCap,
    effectiveUnitCost: stock.effectiveUnitCost,
    minCandidates: options.minCandidates ?? 25,
  }).price;
}
