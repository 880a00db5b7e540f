/**
 * The market simulator: scenarios, a market whose demand truly responds to price,
 * history generation and the one-day step (common random numbers across strategies).
 *
 * @module
 */
export {
  CategorySpec,
  loadScenario,
  MAX_SKUS,
  parseScenario,
  RegimeShift,
  Scenario,
  type ScenarioInput,
} from "./scenario.ts";
export {
  catalogTermsAt,
  competitorPrice,
  type CostChange,
  createMarket,
  createMemory,
  DemandShapeName,
  DemandShapeSpec,
  elasticityAt,
  historicalPrice,
  lowerBoundCents,
  type Market,
  type MarketMemory,
  memoryFromSales,
  memoryWindow,
  needsMemory,
  resolveShape,
  seasonTrendAt,
  SHAPE_DEFAULTS,
  type SimConfig,
  skuCode,
  skuIndexOf,
  type SkuParams,
  skuTruth,
  trueDemandCurve,
  type TrueDemandOptions,
  trueExpectedDemand,
} from "./market.ts";
export {
  initialInventory,
  type InventoryState,
  inventoryStateFromRecord,
  inventoryStateFromRecords,
  isReviewDay,
  orderUpToLevel,
} from "./inventory.ts";
export type {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  PriceEnding,
  SalesRecord,
} from "../engine/mod.ts";
export {
  catalogRecords,
  type DayBatch,
  launchedSkus,
  simulateDay,
  type SimulateDayOptions,
  simulateHistory,
} from "./simulate.ts";
