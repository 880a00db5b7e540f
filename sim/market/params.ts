/**
 * What is true about each SKU of a simulated market: the parameters, the market
 * that holds them, and the lookups of one SKU's truth and catalog terms.
 *
 * @module
 */
import type { GuardrailTerms } from "../../engine/schema/guardrails.ts";
import type { CamelCased } from "../../engine/util/camel_case.ts";
import type { Scenario } from "../scenario.ts";
import type { SkuShape } from "./shapes.ts";

/** What a market is built from. `skus`, `startDate` and `historyDays` default from the scenario. */
export interface SimConfig {
  /** What shapes the market. */
  scenario: Scenario;
  /** The seed every random draw is indexed by. */
  seed: number;
  /** Number of SKUs. Default: the scenario's. */
  skus?: number;
  /** First day of history, `YYYY-MM-DD`. Default: the scenario's. */
  startDate?: string;
  /** Days of history. Default: the scenario's. */
  historyDays?: number;
}

/** A SKU's guardrail terms, as the simulator names them. */
export type SimGuardrailTerms = CamelCased<GuardrailTerms>;

/** A cost change in the catalog from `day` on. */
export interface CostChange extends Pick<SimGuardrailTerms, "unitCost" | "floorPrice"> {
  /** Day number from which the new cost is in force. */
  day: number;
  /** Relative increase of the cost. */
  increase: number;
}

/**
 * Everything that is true about one SKU (read by the simulator, tests and the
 * oracle): its catalog's guardrail terms (before any cost change) and its truth.
 */
export interface SkuParams extends SimGuardrailTerms {
  /** Its position in the market (0-based). */
  index: number;
  /** Its code (see `skuCode`). */
  sku: string;
  /** Its category's name. */
  category: string;
  /**
   * Own-price elasticity ε (before regime shifts): the log slope of demand at the
   * reference price, whatever the shape of the curve.
   */
  elasticity: number;
  /** The shape of the SKU's demand curve (its category's, else the scenario's). */
  shape: SkuShape;
  /** Cross-price elasticity γ with the competitor price. */
  crossElasticity: number;
  /** Expected units per day at the reference price on an average day. */
  baseUnits: number;
  /** P0, the reference price. */
  referencePrice: number;
  /** Seven weekday multipliers (Monday first), mean 1. */
  weekly: readonly number[];
  /** Yearly seasonality: demand × (1 + A·sin(2π(day of year − φ)/365)); this is A. */
  seasonAmplitude: number;
  /** φ, the seasonality's phase in days. */
  seasonPhaseDays: number;
  /** Log growth of demand per year. */
  trendPerYear: number;
  /** Demand multiplier while a store promotion runs. */
  promoLift: number;
  /** Competitor's typical price relative to P0. */
  competitorRatio: number;
  /** Day number of the SKU's first day on sale. */
  launchDay: number;
  /** The same day, `YYYY-MM-DD`. */
  launchDate: string;
  /** A cost increase during the simulation, or null. */
  costChange: CostChange | null;
  /** Order-up-to level multiplier on expected demand over R + L days. */
  safetyFactor: number;
  /** Reviews happen on days with (day − reviewOffset) mod R = 0. */
  reviewOffset: number;
  /** Regime shifts that reach this SKU, by day. */
  shifts: readonly { day: number; demandMultiplier: number; elasticityShift: number }[];
  /** Historical regular price blocks: start day numbers and level multipliers on P0. */
  blockStarts: Int32Array;
  /** Each block's level multiplier on P0. */
  blockLevels: Float64Array;
  /** Regular price in cents of each block, before the cost change. */
  blockCents: Int32Array;
  /** Regular price in cents of each block, after the cost change. */
  blockCentsAfterCost: Int32Array;
  /** Days by which the SKU's promotion blocks are shifted. */
  promoOffset: number;
  /** Days by which the SKU's competitor price segments are shifted. */
  competitorPhase: number;
}

/** A simulated market: the scenario, the seed and every SKU's truth. */
export interface Market {
  /** What shapes it. */
  readonly scenario: Scenario;
  /** The seed every random draw is indexed by. */
  readonly seed: number;
  /** First day of history, `YYYY-MM-DD`. */
  readonly startDate: string;
  /** Its day number. */
  readonly startDay: number;
  /** Days of history. */
  readonly historyDays: number;
  /** First day number after history. */
  readonly endDay: number;
  /** Every SKU's truth, by index. */
  readonly skus: readonly SkuParams[];
  /** The index of each SKU code. */
  readonly skuIndex: ReadonlyMap<string, number>;
}

/** The SKU code of index i: `SKU-00001` for 0. */
export function skuCode(i: number): string {
  return `SKU-${String(i + 1).padStart(5, "0")}`;
}

/** The SKU's truth, for tests and the backtest oracle. */
export function skuTruth(market: Market, i: number): SkuParams {
  const p = market.skus[i];
  if (!p) throw new RangeError(`Cannot read SKU index ${i}: the market has ${market.skus.length}`);
  return p;
}

/** The index of a SKU code, or a RangeError. */
export function skuIndexOf(market: Market, sku: string): number {
  const i = market.skuIndex.get(sku);
  if (i === undefined) throw new RangeError(`Cannot find SKU ${sku} in the market`);
  return i;
}

/** Unit cost, floor and the other catalog terms in force for SKU i on `day`. */
export function catalogTermsAt(
  market: Market,
  i: number,
  day: number,
): Pick<SimGuardrailTerms, "unitCost" | "floorPrice" | "ceilingPrice" | "minMargin"> {
  const p = market.skus[i];
  const c = p.costChange && day >= p.costChange.day ? p.costChange : null;
  return {
    unitCost: c ? c.unitCost : p.unitCost,
    floorPrice: c ? c.floorPrice : p.floorPrice,
    ceilingPrice: p.ceilingPrice,
    minMargin: p.minMargin,
  };
}
