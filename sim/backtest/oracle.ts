/**
 * The oracle: a DemandModel whose prediction is the simulator's true expected
 * demand curve. Priced through the same ML strategy and optimizer, under the
 * same guardrails and stock view, it is the upper bound of every strategy.
 *
 * @module
 */
import type { DemandModel } from "../../engine/demand/model.ts";
import type { FeatureSnapshot } from "../../engine/schema/features.ts";
import { optimizePrice } from "../../engine/pricing/optimizer.ts";
import { guardrailsOf } from "../../engine/pricing/strategies.ts";
import {
  DEFAULT_INVENTORY_POLICY,
  type InventoryPolicy,
  stockView,
} from "../../engine/pricing/inventory.ts";
import { toDayNumber } from "../../engine/util/date.ts";
import { type Market, skuIndexOf, trueDemandCurve } from "../market.ts";

/** The version the oracle's decisions carry. */
export const ORACLE_VERSION = "oracle-true-demand";

/** A DemandModel that answers with the market's true expected demand on the run date. */
export function oracleModel(market: Market): DemandModel {
  return {
    // The interface knows learned kinds only; the oracle is a constant-elasticity truth.
    kind: "elasticity",
    version: ORACLE_VERSION,
    predict: (s, prices) =>
      trueDemandCurve(market, skuIndexOf(market, s.sku), toDayNumber(s.run_date), prices),
    explain: () => [],
  };
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
