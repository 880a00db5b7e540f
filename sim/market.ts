/**
 * The simulated market's truth: per-SKU parameters drawn from (scenario, seed, SKU
 * index) with counter-based uniforms, the true expected demand λ(p, day), the
 * competitor's price and the store's historical price policy. Nothing here keeps
 * random state, so any SKU on any day can be computed on its own, and SKU i has
 * the same parameters whatever the number of SKUs in the market.
 *
 * Split by concept under `market/`: the SKU parameters, building the market, the
 * demand shapes, the true demand, the memory of past prices that some shapes
 * need, the historical price policy and the lowest allowed price; this module
 * re-exports them.
 *
 * @module
 */
export {
  catalogTermsAt,
  type CostChange,
  type Market,
  type SimConfig,
  skuCode,
  skuIndexOf,
  type SkuParams,
  skuTruth,
} from "./market/params.ts";
export { createMarket } from "./market/create.ts";
export {
  _lambda,
  competitorPrice,
  DAY_STREAMS,
  elasticityAt,
  seasonTrendAt,
  trueDemandCurve,
  type TrueDemandOptions,
  trueExpectedDemand,
} from "./market/demand.ts";
export {
  createMemory,
  type MarketMemory,
  memoryFromSales,
  memoryWindow,
  needsMemory,
} from "./market/memory.ts";
export {
  decayWeights,
  ownPriceEffect,
  type ReferenceEffect,
  referenceEffect,
  type ResolvedShape,
  resolveShape,
  SHAPE_DEFAULTS,
  type SkuShape,
  type TrafficEffect,
  trafficEffect,
} from "./market/shapes.ts";
export {
  BaseShapeName,
  DemandShapeName,
  DemandShapeObject,
  DemandShapeSpec,
} from "./market/shape_spec.ts";
export { historicalPrice } from "./market/history.ts";
export { lowerBoundCents } from "./market/prices.ts";
