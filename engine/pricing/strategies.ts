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
import type { RulesSettings } from "../schema/rules.ts";
import { describeRules, type ResolvedRules } from "./objectives.ts";

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
  /**
   * The objectives and business rules of the store and its categories (see
   * `objectives.ts`). Undefined: profit and no rules, priced SKU by SKU as always.
   */
  rules?: RulesSettings;
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
   * The rules resolved for the SKU's category when the run has settings: ML maximises
   * their objective and every decision records them. Undefined: profit, nothing recorded.
   */
  rules?: ResolvedRules;
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

/** The strategy each override kind imposes. */
export const STRATEGY_OF_OVERRIDE: Readonly<Record<OverrideKind, StrategyName>> = {
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
 * little history (`ML_COLD_START`) or on an invalid prediction (`ML_INVALID_PREDICTION`).
 *
 * @param ctx The SKU's snapshot, override, the champion model and the settings.
 * @returns The decision, without its run id.
 * @throws {RangeError} When the snapshot's guardrails or the rule settings make no sense.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_PRICING_CONFIG, priceSku } from "./strategies.ts";
 * import type { DemandModel } from "../demand/model.ts";
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
  return STRATEGIES[strategyOf(ctx)](ctx);
}

/**
 * The strategy a SKU is priced by before any fallback: static while an input row of it is
 * quarantined (kept at its last price), else its override's, else the default.
 */
function strategyOf(ctx: PricingContext): StrategyName {
  if (ctx.snapshot.quarantined) return "static";
  return ctx.override ? STRATEGY_OF_OVERRIDE[ctx.override.kind] : ctx.config.defaultStrategy;
}

/**
 * The strategy that will price a SKU: its override's, else the default; ML falls back to
 * rule (with the reason code) when it has no model or too little history.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import { DEFAULT_PRICING_CONFIG, plannedStrategy } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
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
 *   snapshot, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * // a constant-elasticity curve around the snapshot's baseline
 * const model: DemandModel = {
 *   kind: "elasticity",
 *   version: "demo",
 *   predict: (s, prices) => prices.map((p) => s.base_units * (p / s.base_price) ** s.elasticity),
 *   explain: () => [],
 * };
 * assert.deepEqual(plannedStrategy(ctx), { strategy: "rule", fallback: "ML_NO_APPROVED_MODEL" });
 * assert.deepEqual(plannedStrategy({ ...ctx, model }), { strategy: "ml", fallback: null });
 * const young = { ...ctx, model, snapshot: { ...snapshot, history_days: 10 } };
 * assert.deepEqual(plannedStrategy(young), { strategy: "rule", fallback: "ML_COLD_START" });
 * ```
 */
export function plannedStrategy(
  ctx: PricingContext,
): { strategy: StrategyName; fallback: string | null } {
  const name = strategyOf(ctx);
  if (name !== "ml") return { strategy: name, fallback: null };
  const fallback = mlFallback(ctx);
  return fallback
    ? { strategy: "rule", fallback: fallback.code }
    : { strategy: "ml", fallback: null };
}

/**
 * Why ML did not price a SKU, with the threshold it failed, for the decision's explanation
 * (every fallback but the cold start and a missing model, whose explanations predate it,
 * names its threshold in `detail`).
 */
export interface Fallback {
  /** The reason code. */
  code: string;
  /** What failed, in words, with the values and the threshold. */
  detail?: string;
  /** The values and thresholds, by name. */
  [key: string]: unknown;
}

/**
 * Why ML cannot price a SKU before it tries, or null: no approved model
 * (`ML_NO_APPROVED_MODEL`), too little history (`ML_COLD_START`: fewer than
 * `minHistoryDays` periods), the model's latest evaluation leaves the SKU to the rule (its
 * verdict's code, `ML_UNTRUSTED_PRICE_RESPONSE` or `ML_WORSE_THAN_NAIVE`), or the model
 * prices along the SKU's elasticity estimate and that lies outside the prior bounds
 * (`ML_ELASTICITY_OUT_OF_PRIOR`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_PRICING_CONFIG, mlFallback, type PricingContext } from "./strategies.ts";
 *
 * const ctx = {
 *   snapshot: { history_days: 400 }, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * } as unknown as PricingContext;
 * assert.deepEqual(mlFallback(ctx), { code: "ML_NO_APPROVED_MODEL" });
 * ```
 */
export function mlFallback(ctx: PricingContext): Fallback | null {
  const s = ctx.snapshot;
  if (!ctx.model) return { code: "ML_NO_APPROVED_MODEL" };
  if (s.history_days < ctx.config.minHistoryDays) {
    const unit = (s.period_days ?? 1) === 7 ? "weeks" : "days";
    return {
      code: "ML_COLD_START",
      detail: `${s.history_days} ${unit} of history, fewer than the ${ctx.config.minHistoryDays} ` +
        `the model needs before it prices a SKU`,
      history: s.history_days,
      min_history: ctx.config.minHistoryDays,
    };
  }
  if (ctx.verdict) {
    return {
      code: ctx.verdict.reason_code,
      detail: `the latest evaluation of model ${ctx.model.version} (deno task evaluate, ` +
        `evaluation ${ctx.verdict.evaluation_id}) leaves this SKU to the rule: ${ctx.verdict.detail}`,
      evaluation_id: ctx.verdict.evaluation_id,
    };
  }
  if (ctx.model.priceResponse === "elasticity" && s.elasticity_unbounded !== undefined) {
    const { min, max } = ELASTICITY_BOUNDS;
    return {
      code: "ML_ELASTICITY_OUT_OF_PRIOR",
      detail: `the elasticity estimate ${s.elasticity_unbounded} lies outside the prior bounds ` +
        `[${min}, ${max}] of retail own-price elasticities: its data cannot be trusted to price it`,
      elasticity_unbounded: s.elasticity_unbounded,
      bounds: [min, max],
    };
  }
  return null;
}

/**
 * The fallback of a SKU whose model gave no usable demand curve (`ML_INVALID_PREDICTION`),
 * with the elasticity threshold above which a curve is not trusted and the SKU's own.
 *
 * @param ctx The SKU's context (its model must be set).
 * @param problem What was wrong with the curve, in words.
 * @returns The fallback for the decision's explanation.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { invalidPredictionFallback, type PricingContext } from "./strategies.ts";
 *
 * const ctx = {
 *   snapshot: { elasticity: -0.02 },
 *   model: { version: "elasticity-v1" },
 * } as unknown as PricingContext;
 * const f = invalidPredictionFallback(ctx, "the demand gave NaN at 2.99");
 * assert.equal(f.code, "ML_INVALID_PREDICTION");
 * assert.equal(
 *   f.detail,
 *   "model elasticity-v1 gave no usable demand curve (the demand gave NaN at 2.99); a curve " +
 *     "moved along an elasticity above -0.05 is not trusted (the SKU's: -0.02)",
 * );
 * ```
 */
export function invalidPredictionFallback(ctx: PricingContext, problem: string): Fallback {
  const e = ctx.snapshot.elasticity;
  return {
    code: "ML_INVALID_PREDICTION",
    detail: `model ${ctx.model?.version} gave no usable demand curve (${problem}); ` +
      `a curve moved along an elasticity above ${MAX_TRUSTED_ELASTICITY} is not trusted ` +
      `(the SKU's: ${e})`,
    max_elasticity: MAX_TRUSTED_ELASTICITY,
    elasticity: e,
  };
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

/**
 * The fields of a decision every strategy fills the same way.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { decisionBase, DEFAULT_PRICING_CONFIG } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
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
 *   snapshot, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * assert.deepEqual(decisionBase(ctx, "rule"), {
 *   run_date: "2025-01-08", sku: "A1", strategy: "rule", override_id: null, override_kind: null,
 *   snapshot_id: "0".repeat(64), model_version: null, previous_price: 2.99,
 * });
 * ```
 */
export function decisionBase(ctx: PricingContext, strategy: StrategyName): Omit<
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

/**
 * Expected units at `price` by the model when it can say, else the baseline.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import { DEFAULT_PRICING_CONFIG, expectation } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
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
 *   snapshot, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * // without a model: the baseline of 10 units a day
 * assert.deepEqual(expectation(ctx, 3.29), {
 *   expected_units: 10,
 *   expected_revenue: 32.9,
 *   expected_profit: 17.9,
 * });
 * // a constant-elasticity curve around the snapshot's baseline
 * const model: DemandModel = {
 *   kind: "elasticity",
 *   version: "demo",
 *   predict: (s, prices) => prices.map((p) => s.base_units * (p / s.base_price) ** s.elasticity),
 *   explain: () => [],
 * };
 * assert.equal(expectation({ ...ctx, model }, 3.29).expected_units, 8.4189);
 * ```
 */
export function expectation(ctx: PricingContext, price: number): {
  expected_units: number;
  expected_revenue: number;
  expected_profit: number;
} {
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

/**
 * The static strategy: keep the last price (flagged when it breaks a guardrail); the reason
 * is `DATA_QUARANTINED` when an input row of the SKU is quarantined (see `quarantined`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import type { OverrideRecord } from "../schema/pricing.ts";
 * import { DEFAULT_PRICING_CONFIG, priceStatic } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
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
 *   snapshot, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * const freeze: OverrideRecord = {
 *   id: 7, kind: "PRICE_FREEZE", scope: "sku", target: "A1", effective_from: "2025-01-01",
 *   expires_at: "2025-02-01", actor: "ops", reason: "supplier promotion", recorded_at: null,
 *   revocation_id: null, revoked_by: null, revoke_reason: null,
 * };
 * const frozen = priceStatic({ ...ctx, override: freeze });
 * assert.equal(frozen.price, 2.99);
 * assert.equal(frozen.override_id, 7);
 * assert.deepEqual(frozen.reason_codes, ["OVERRIDE_PRICE_FREEZE"]);
 * // a kept price above the ceiling of 4.99 is kept, and flagged
 * const high = priceStatic({ ...ctx, snapshot: { ...snapshot, last_price: 5.49 } });
 * assert.equal(high.price, 5.49);
 * assert.equal(high.infeasible, true);
 * assert.equal(high.conflict, "frozen_price_breaks_ceiling");
 * ```
 */
export function priceStatic(ctx: PricingContext): DraftDecision {
  const s = ctx.snapshot;
  const g = guardrailsOf(s);
  const broken = violations(s.last_price, g).filter((c) =>
    c !== "max_change_up" && c !== "max_change_down"
  );
  const codes = s.quarantined
    ? [
      "DATA_QUARANTINED",
      ...(ctx.override?.kind === "PRICE_FREEZE" ? ["OVERRIDE_PRICE_FREEZE"] : []),
    ]
    : [ctx.override ? "OVERRIDE_PRICE_FREEZE" : "STATIC_KEEP_PRICE"];
  if (broken.length) codes.push("FROZEN_OUTSIDE_GUARDRAILS");
  return {
    ...decisionBase(ctx, "static"),
    price: s.last_price,
    ...expectation(ctx, s.last_price),
    infeasible: broken.length > 0,
    conflict: broken.length ? `frozen_price_breaks_${broken.join("+")}` : null,
    binding: [],
    reason_codes: codes,
    explanation: _withRules(ctx, {
      kept_price: s.last_price,
      broken_guardrails: broken,
      ...(s.quarantined ? { quarantined: s.quarantined } : {}),
    }),
  };
}

/** An explanation with the resolved objective and rules, when the run has settings. */
function _withRules(ctx: PricingContext, explanation: Record<string, unknown>) {
  return ctx.rules ? { ...explanation, objective: describeRules(ctx.rules) } : explanation;
}

/**
 * The rule strategy, with reason codes to put first (e.g. why ML fell back).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { DEFAULT_PRICING_CONFIG, priceRule } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
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
 *   snapshot, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * const d = priceRule(ctx, ["ML_NO_APPROVED_MODEL"]);
 * assert.equal(d.strategy, "rule");
 * assert.equal(d.price, 2.89);
 * assert.deepEqual(d.reason_codes, [
 *   "ML_NO_APPROVED_MODEL",
 *   "COST_PLUS",
 *   "COMPETITOR_BAND",
 *   "PRICE_ENDING",
 * ]);
 * ```
 */
export function priceRule(
  ctx: PricingContext,
  extraCodes: string[] = [],
  fallback?: Fallback | null,
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
    ...decisionBase(ctx, "rule"),
    price: r.price,
    ...expectation(ctx, r.price),
    infeasible: r.status === "infeasible",
    conflict: r.conflict?.code ?? null,
    binding: r.binding,
    reason_codes: [...codes, ...r.reasonCodes],
    explanation: _withRules(ctx, {
      steps: r.steps,
      conflict: r.conflict?.message ?? null,
      competitor_price: s.competitor_price,
      days_of_cover: s.days_of_cover,
      ...(fallback?.detail ? { fallback } : {}),
    }),
  };
}

/**
 * The ML strategy for one SKU: the constrained optimizer on the model's curve.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import { DEFAULT_PRICING_CONFIG, priceMl } from "./strategies.ts";
 *
 * const snapshot: FeatureSnapshot = {
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
 *   snapshot, snapshotId: "0".repeat(64), override: null, model: null,
 *   config: DEFAULT_PRICING_CONFIG,
 * };
 * // a constant-elasticity curve around the snapshot's baseline
 * const model: DemandModel = {
 *   kind: "elasticity",
 *   version: "demo",
 *   predict: (s, prices) => prices.map((p) => s.base_units * (p / s.base_price) ** s.elasticity),
 *   explain: () => [],
 * };
 * const d = priceMl({ ...ctx, model });
 * assert.equal(d.strategy, "ml");
 * assert.equal(d.model_version, "demo");
 * assert.equal(d.price, 3.39);
 * assert.deepEqual(d.reason_codes, ["ML_OPTIMIZED"]);
 * // without a model it falls back to the rule strategy, saying why
 * assert.equal(priceMl(ctx).reason_codes[0], "ML_NO_APPROVED_MODEL");
 * ```
 */
export function priceMl(ctx: PricingContext): DraftDecision {
  const s = ctx.snapshot;
  const fallback = mlFallback(ctx);
  if (fallback || !ctx.model) return priceRule(ctx, [fallback!.code], fallback);
  const g = guardrailsOf(s);
  const stock = stockView(s, ctx.config.inventory);
  const model = ctx.model;
  const result = optimizePrice(g, {
    demand: (prices) => model.predict(s, prices),
    unitsCap: stock.unitsCap,
    effectiveUnitCost: stock.effectiveUnitCost,
    minCandidates: ctx.config.minCandidates,
    objective: ctx.rules?.objective,
  });
  if (result.status === "invalid_prediction") {
    return priceRule(
      ctx,
      ["ML_INVALID_PREDICTION"],
      invalidPredictionFallback(ctx, String(result.message)),
    );
  }
  const codes = ["ML_OPTIMIZED"];
  if (result.status === "infeasible") codes.push("GUARDRAIL_CONFLICT");
  if (stock.overstocked) codes.push("MARKDOWN_OVERSTOCK");
  const atPrice = result.curve.find((c) => c.price === result.price);
  if (atPrice && Number.isFinite(stock.unitsCap) && atPrice.units >= stock.unitsCap - 1e-9) {
    codes.push("STOCK_LIMITED");
  }
  return {
    ...decisionBase(ctx, "ml"),
    model_version: model.version,
    price: result.price,
    expected_units: round(result.expectedUnits, 4),
    expected_revenue: round(result.expectedRevenue, 4),
    expected_profit: round(result.expectedProfit, 4),
    infeasible: result.status === "infeasible",
    conflict: result.conflict?.code ?? null,
    binding: result.binding,
    reason_codes: codes,
    explanation: _withRules(ctx, {
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
    }),
  };
}
