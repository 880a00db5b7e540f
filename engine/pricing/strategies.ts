/**
 * The pricing strategies, resolved in one place. A SKU's override picks the
 * strategy (PRICE_FREEZE → static, FORCE_RULE_BASED → rule); otherwise the
 * default (ml). ML falls back to rule, with a reason code, when it cannot price.
 *
 * @module
 */
import { type DemandModel, MAX_TRUSTED_ELASTICITY } from "../demand/model.ts";
import { ELASTICITY_BOUNDS } from "../elasticity/shrink.ts";
import type { FeatureSnapshot } from "../schema/features.ts";
import {
  type Decision,
  type OverrideKind,
  type OverrideRecord,
  StrategyName,
} from "../schema/pricing.ts";
import { type Guardrails, violations } from "./guardrails.ts";
import { optimizePrice } from "./optimizer.ts";
import { type RuleConfig, rulePrice } from "./rule.ts";
import { DEFAULT_INVENTORY_POLICY, type InventoryPolicy, stockView } from "./inventory.ts";
import { round } from "../util/round.ts";

/** Settings of the strategies. */
export interface PricingConfig {
  /** Strategy of SKUs without an override. Default "ml". */
  defaultStrategy: StrategyName;
  /** Fewest days of history before ML prices a SKU. Default 28. */
  minHistoryDays: number;
  /** Candidate prices the optimizer grids at least. Default 25. */
  minCandidates: number;
  /** Settings of the rule strategy that replace its defaults. Default none. */
  rule: Partial<RuleConfig>;
  /** How stock enters the price. Default `DEFAULT_INVENTORY_POLICY`. */
  inventory: InventoryPolicy;
}

/** The defaults of {@linkcode PricingConfig}. */
export const DEFAULT_PRICING_CONFIG: Readonly<PricingConfig> = Object.freeze({
  defaultStrategy: "ml",
  minHistoryDays: 28,
  minCandidates: 25,
  rule: {},
  inventory: DEFAULT_INVENTORY_POLICY,
});

/** What a strategy sees for one SKU. */
export interface PricingContext {
  /** The SKU's features on the run date. */
  snapshot: FeatureSnapshot;
  /** The snapshot's content hash, recorded with the decision. */
  snapshotId: string;
  /** The override that governs the SKU on the run date, or null. */
  override: OverrideRecord | null;
  /** The approved champion model, or null when none is approved. */
  model: DemandModel | null;
  /** The strategies' settings. */
  config: PricingConfig;
  /**
   * The verdict of the model's latest evaluation for this SKU when it leaves the SKU to
   * the rule (see `deno task evaluate`), else absent: ML then prices it by the rule with
   * the verdict's reason code.
   */
  verdict?: { evaluation_id: number; reason_code: string; detail: string } | null;
}

/** A decision before it is given its run id. */
export type DraftDecision = Omit<Decision, "run_id">;

type Strategy = (ctx: PricingContext) => DraftDecision;

const STRATEGY_OF_OVERRIDE: Record<OverrideKind, StrategyName> = {
  PRICE_FREEZE: "static",
  FORCE_RULE_BASED: "rule",
};

const STRATEGIES: Record<StrategyName, Strategy> = {
  static: priceStatic,
  rule: priceRule,
  ml: priceMl,
};

/**
 * A count of zero for every strategy, keyed in the order of the `StrategyName`
 * schema, to tally decisions or runs by strategy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyStrategyCounts } from "./strategies.ts";
 *
 * const counts = emptyStrategyCounts();
 * for (const strategy of ["ml", "ml", "static"] as const) counts[strategy]++;
 * assert.deepEqual(counts, { ml: 2, rule: 0, static: 1 });
 * ```
 */
export function emptyStrategyCounts(): Record<StrategyName, number> {
  return Object.fromEntries(StrategyName.options.map((name) => [name, 0])) as Record<
    StrategyName,
    number
  >;
}

/**
 * Prices one SKU: its override picks the strategy (`PRICE_FREEZE` → static,
 * `FORCE_RULE_BASED` → rule), otherwise the default strategy. ML falls back to rule,
 * with a reason code, without an approved model (`ML_NO_APPROVED_MODEL`), with too
 * little history (`ML_COLD_START`: fewer than `minHistoryDays` periods), when the
 * model's latest evaluation leaves the SKU to the rule (its verdict's code,
 * `ML_UNTRUSTED_PRICE_RESPONSE` or `ML_WORSE_THAN_NAIVE`), when the model prices along
 * the SKU's elasticity estimate and that lies outside the prior bounds
 * (`ML_ELASTICITY_OUT_OF_PRIOR`), or on an invalid
 * prediction (`ML_INVALID_PREDICTION`, e.g. an elasticity above -0.05); each but the
 * first two names its threshold in the explanation's `fallback`.
 *
 * @param ctx The SKU's snapshot, override, the champion model and the settings.
 * @returns The decision, without its run id.
 * @throws {RangeError} When the snapshot's guardrails or the rule settings make no sense.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_PRICING_CONFIG, priceSku } from "./strategies.ts";
 * import { type DemandModel, MAX_TRUSTED_ELASTICITY } from "../demand/model.ts";
import { ELASTICITY_BOUNDS } from "../elasticity/shrink.ts";
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
 * const ctx = {
 *   snapshot: features, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * const rule = priceSku(ctx);
 * assert.equal(rule.strategy, "rule");
 * assert.deepEqual(rule.reason_codes.slice(0, 2), ["ML_NO_APPROVED_MODEL", "COST_PLUS"]);
 * // a constant-elasticity curve around the snapshot's baseline
 * const model: DemandModel = {
 *   kind: "elasticity",
 *   version: "demo",
 *   predict: (s, prices) => prices.map((p) => s.base_units * (p / s.base_price) ** s.elasticity),
 *   explain: () => [],
 * };
 * const ml = priceSku({ ...ctx, model });
 * assert.equal(ml.strategy, "ml");
 * assert.equal(ml.price, 3.39);
 * assert.deepEqual(ml.reason_codes, ["ML_OPTIMIZED"]);
 * ```
 */
export function priceSku(ctx: PricingContext): DraftDecision {
  const name = ctx.override ? STRATEGY_OF_OVERRIDE[ctx.override.kind] : ctx.config.defaultStrategy;
  return STRATEGIES[name](ctx);
}

/**
 * The guardrails of a snapshot: its catalog constraints, with its last price as
 * the previous price.
 *
 * @param s The snapshot.
 * @returns The guardrails.
 *
 * @example Usage
 * ```ts
 * import { guardrailsOf } from "./strategies.ts";
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
 * assert.deepEqual(guardrailsOf(features), {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.2,
 *   priceEnding: "9", previousPrice: 2.99,
 * });
 * ```
 */
export function guardrailsOf(s: FeatureSnapshot): Guardrails {
  return {
    unitCost: s.unit_cost,
    floorPrice: s.floor_price,
    ceilingPrice: s.ceiling_price,
    minMargin: s.min_margin,
    maxDailyChange: s.max_daily_change,
    priceEnding: s.price_ending,
    previousPrice: s.last_price,
  };
}

function base(ctx: PricingContext, strategy: StrategyName): Omit<
  DraftDecision,
  | "price"
  | "expected_units"
  | "expected_revenue"
  | "expected_profit"
  | "infeasible"
  | "conflict"
  | "binding"
  | "reason_codes"
  | "explanation"
> {
  const s = ctx.snapshot;
  return {
    run_date: s.run_date,
    sku: s.sku,
    strategy,
    override_id: ctx.override?.id ?? null,
    override_kind: ctx.override?.kind ?? null,
    snapshot_id: ctx.snapshotId,
    model_version: null,
    previous_price: s.last_price,
  };
}

/** Expected units at `price` by the model when it can say, else the baseline. */
function expectation(ctx: PricingContext, price: number) {
  const s = ctx.snapshot;
  const predicted = ctx.model?.predict(s, [price])[0];
  const raw = predicted !== undefined && Number.isFinite(predicted) && predicted >= 0
    ? predicted
    : s.base_units;
  const units = Math.min(raw, stockView(s, ctx.config.inventory).unitsCap);
  return {
    expected_units: round(units, 4),
    expected_revenue: round(units * price, 4),
    expected_profit: round(units * (price - s.unit_cost), 4),
  };
}

function priceStatic(ctx: PricingContext): DraftDecision {
  const s = ctx.snapshot;
  const g = guardrailsOf(s);
  const broken = violations(s.last_price, g).filter((c) =>
    c !== "max_change_up" && c !== "max_change_down"
  );
  const codes = [ctx.override ? "OVERRIDE_PRICE_FREEZE" : "STATIC_KEEP_PRICE"];
  if (broken.length) codes.push("FROZEN_OUTSIDE_GUARDRAILS");
  return {
    ...base(ctx, "static"),
    price: s.last_price,
    ...expectation(ctx, s.last_price),
    infeasible: broken.length > 0,
    conflict: broken.length ? `frozen_price_breaks_${broken.join("+")}` : null,
    binding: [],
    reason_codes: codes,
    explanation: { kept_price: s.last_price, broken_guardrails: broken },
  };
}

/**
 * Why ML did not price a SKU, with the threshold it failed, for the decision's explanation
 * (every fallback except the cold start and a missing model, whose explanations predate it).
 */
interface Fallback {
  code: string;
  /** What failed, in words, with the values and the threshold. */
  detail: string;
  [key: string]: unknown;
}

function priceRule(
  ctx: PricingContext,
  extraCodes: string[] = [],
  fallback?: Fallback,
): DraftDecision {
  const s = ctx.snapshot;
  const r = rulePrice(
    {
      guardrails: guardrailsOf(s),
      competitorPrice: s.competitor_price,
      // On a weekly store the snapshot counts weeks of cover; the rule's thresholds are days.
      daysOfCover: s.days_of_cover === null ? null : s.days_of_cover * (s.period_days ?? 1),
    },
    ctx.config.rule,
  );
  const codes = [...extraCodes];
  if (ctx.override?.kind === "FORCE_RULE_BASED") codes.push("OVERRIDE_FORCE_RULE_BASED");
  return {
    ...base(ctx, "rule"),
    price: r.price,
    ...expectation(ctx, r.price),
    infeasible: r.status === "infeasible",
    conflict: r.conflict?.code ?? null,
    binding: r.binding,
    reason_codes: [...codes, ...r.reasonCodes],
    explanation: {
      steps: r.steps,
      conflict: r.conflict?.message ?? null,
      competitor_price: s.competitor_price,
      days_of_cover: s.days_of_cover,
      ...(fallback ? { fallback } : {}),
    },
  };
}

function priceMl(ctx: PricingContext): DraftDecision {
  const s = ctx.snapshot;
  if (!ctx.model) return priceRule(ctx, ["ML_NO_APPROVED_MODEL"]);
  if (s.history_days < ctx.config.minHistoryDays) return priceRule(ctx, ["ML_COLD_START"]);
  if (ctx.verdict) {
    return priceRule(ctx, [ctx.verdict.reason_code], {
      code: ctx.verdict.reason_code,
      detail: `the latest evaluation of model ${ctx.model.version} (deno task evaluate, ` +
        `evaluation ${ctx.verdict.evaluation_id}) leaves this SKU to the rule: ${ctx.verdict.detail}`,
      evaluation_id: ctx.verdict.evaluation_id,
    });
  }
  if (ctx.model.priceResponse === "elasticity" && s.elasticity_unbounded !== undefined) {
    const { min, max } = ELASTICITY_BOUNDS;
    return priceRule(ctx, ["ML_ELASTICITY_OUT_OF_PRIOR"], {
      code: "ML_ELASTICITY_OUT_OF_PRIOR",
      detail: `the elasticity estimate ${s.elasticity_unbounded} lies outside the prior bounds ` +
        `[${min}, ${max}] of retail own-price elasticities: its data cannot be trusted to price it`,
      elasticity_unbounded: s.elasticity_unbounded,
      bounds: [min, max],
    });
  }
  const g = guardrailsOf(s);
  const stock = stockView(s, ctx.config.inventory);
  const model = ctx.model;
  const result = optimizePrice(g, {
    demand: (prices) => model.predict(s, prices),
    unitsCap: stock.unitsCap,
    effectiveUnitCost: stock.effectiveUnitCost,
    minCandidates: ctx.config.minCandidates,
  });
  if (result.status === "invalid_prediction") {
    return priceRule(ctx, ["ML_INVALID_PREDICTION"], {
      code: "ML_INVALID_PREDICTION",
      detail: `model ${model.version} gave no usable demand curve (${result.message}); ` +
        `a curve moved along an elasticity above ${MAX_TRUSTED_ELASTICITY} is not trusted ` +
        `(the SKU's: ${s.elasticity})`,
      max_elasticity: MAX_TRUSTED_ELASTICITY,
      elasticity: s.elasticity,
    });
  }
  const codes = ["ML_OPTIMIZED"];
  if (result.status === "infeasible") codes.push("GUARDRAIL_CONFLICT");
  if (stock.overstocked) codes.push("MARKDOWN_OVERSTOCK");
  const atPrice = result.curve.find((c) => c.price === result.price);
  if (atPrice && Number.isFinite(stock.unitsCap) && atPrice.units >= stock.unitsCap - 1e-9) {
    codes.push("STOCK_LIMITED");
  }
  return {
    ...base(ctx, "ml"),
    model_version: model.version,
    price: result.price,
    expected_units: round(result.expectedUnits, 4),
    expected_revenue: round(result.expectedRevenue, 4),
    expected_profit: round(result.expectedProfit, 4),
    infeasible: result.status === "infeasible",
    conflict: result.conflict?.code ?? null,
    binding: result.binding,
    reason_codes: codes,
    explanation: {
      model_version: model.version,
      conflict: result.conflict?.message ?? null,
      units_cap: Number.isFinite(stock.unitsCap) ? round(stock.unitsCap, 4) : null,
      effective_unit_cost: round(stock.effectiveUnitCost, 4),
      curve: result.curve.map((c) => ({
        price: c.price,
        units: round(c.units, 4),
        profit: round(c.profit, 4),
      })),
      drivers: model.explain(s, result.price).slice(0, 5).map((d) => ({
        ...d,
        effect: round(d.effect, 6),
      })),
    },
  };
}
