/**
 * ML's fallbacks to the rule, each with its reason code first and an explanation that
 * names the threshold it failed and the values (issue 14): `ML_WORSE_THAN_NAIVE` (the
 * verdict of the model's evaluation), `ML_ELASTICITY_OUT_OF_PRIOR` (an elasticity model
 * on an estimate outside the prior bounds) and `ML_INVALID_PREDICTION` (an elasticity
 * above −0.05), SKU by SKU and in a family priced together.
 */
import assert from "node:assert/strict";
import { elasticityModel } from "../demand/elasticity_model.ts";
import { type DemandModel, MAX_TRUSTED_ELASTICITY } from "../demand/model.ts";
import { ELASTICITY_BOUNDS } from "../elasticity/shrink.ts";
import { judge, VERDICT_RULES } from "../registry/verdict.ts";
import type { FeatureSnapshot } from "../schema/features.ts";
import { pricePortfolio } from "./portfolio.ts";
import {
  DEFAULT_PRICING_CONFIG,
  type DraftDecision,
  priceSku,
  type PricingContext,
} from "./strategies.ts";

function snap(sku: string, extra: Partial<FeatureSnapshot> = {}): FeatureSnapshot {
  return {
    run_date: "2026-01-07",
    sku,
    category: "snacks",
    last_price: 2.99,
    last_sales_date: "2026-01-06",
    unit_cost: 1.5,
    floor_price: 1.99,
    ceiling_price: 4.99,
    min_margin: 0.1,
    max_daily_change: 0.1,
    price_ending: "9",
    on_hand: null,
    on_order: null,
    next_receipt_date: null,
    days_of_cover: null,
    units_7: 70,
    units_28: 280,
    units_90: 900,
    trend_ratio: 1,
    dow_profile: [1, 1, 1, 1, 1, 1, 1],
    price_rel_28: 1,
    competitor_price: 2.99,
    competitor_index: 1,
    stockout_days_28: 0,
    base_units: 10,
    base_price: 2.99,
    history_days: 400,
    elasticity: -1.5,
    elasticity_se: 0.1,
    elasticity_raw: -1.5,
    elasticity_category: -1.5,
    elasticity_as_of: "2026-01-04",
    ...extra,
  };
}

function ctx(
  snapshot: FeatureSnapshot,
  model: DemandModel | null,
  verdict?: PricingContext["verdict"],
): PricingContext {
  return {
    snapshot,
    snapshotId: "0".repeat(64),
    override: null,
    model,
    config: DEFAULT_PRICING_CONFIG,
    ...(verdict ? { verdict } : {}),
  };
}

/** A curve of its own (not moved along the snapshot's elasticity). */
const learned: DemandModel = {
  kind: "gbdt",
  version: "gbdt-test",
  priceResponse: "learned",
  predict: (s, prices) => prices.map((p) => s.base_units * (p / s.base_price) ** -1.5),
  explain: () => [],
};

/** The fallback the decision's explanation carries (absent: undefined). */
function fallbackOf(d: DraftDecision) {
  return (d.explanation as { fallback?: Record<string, unknown> & { detail: string } }).fallback;
}

function assertFellBack(d: DraftDecision, code: string) {
  assert.equal(d.strategy, "rule", `${d.sku}: ${d.reason_codes}`);
  assert.equal(d.reason_codes[0], code);
  assert.ok(d.reason_codes.includes("COST_PLUS"), "priced by the rule");
  const f = fallbackOf(d);
  assert.ok(f, `${d.sku}: the explanation carries no fallback`);
  assert.equal(f.code, code);
  return f;
}

Deno.test("a category whose forecast is worse than seasonal naive is left to the rule: ML_WORSE_THAN_NAIVE with both WAPEs in the explanation", () => {
  const skus = ["A", "B"];
  const categoryOf = new Map(skus.map((s) => [s, "snacks"]));
  // Actual units 10; the model says 16 (WAPE 0.6), naive says 12 (WAPE 0.2).
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      sku: skus[i % 2],
      category: "snacks",
      units: 10,
      forecast: { model: 16, naive: 12 },
    }));
  const judged = judge({ modelVersion: "gbdt-test", rows: rows(24), moves: [], skus, categoryOf });
  assert.equal(judged.categories[0].verdict, "rule");
  assert.equal(judged.categories[0].reason_code, "ML_WORSE_THAN_NAIVE");
  assert.equal(
    judged.categories[0].detail,
    "forecast WAPE 0.6 above the seasonal-naive 0.2 on 24 rows",
  );
  assert.deepEqual(judged.skus.map((s) => [s.sku, s.reason_code]), [
    ["A", "ML_WORSE_THAN_NAIVE"],
    ["B", "ML_WORSE_THAN_NAIVE"],
  ]);
  assert.deepEqual(judged.left_to_rule.by_reason, { ML_WORSE_THAN_NAIVE: 2 });
  // Fewer rows than the category needs: the forecast is not judged.
  const few = judge({
    modelVersion: "gbdt-test",
    rows: rows(VERDICT_RULES.minRowsCategory - 1),
    moves: [],
    skus,
    categoryOf,
  });
  assert.equal(few.categories[0].verdict, "ml");
  // A model as good as naive prices.
  const even = judge({
    modelVersion: "gbdt-test",
    rows: rows(24).map((r) => ({ ...r, forecast: { model: 12, naive: 12 } })),
    moves: [],
    skus,
    categoryOf,
  });
  assert.equal(even.categories[0].verdict, "ml");

  const s = judged.skus[0];
  const d = priceSku(ctx(snap("A"), learned, {
    evaluation_id: 7,
    reason_code: s.reason_code!,
    detail: s.detail,
  }));
  const f = assertFellBack(d, "ML_WORSE_THAN_NAIVE");
  assert.equal(f.evaluation_id, 7);
  assert.match(f.detail, /model gbdt-test .*evaluation 7\)/);
  assert.ok(f.detail.endsWith(s.detail), f.detail);
  assert.equal(d.model_version, null);
  // The same SKU without the verdict is priced by the model.
  assert.equal(priceSku(ctx(snap("A"), learned)).strategy, "ml");
  // In a family priced together, the member says why too.
  const family = pricePortfolio([
    ctx(snap("A", { family: "crisps" }), learned, {
      evaluation_id: 7,
      reason_code: s.reason_code!,
      detail: s.detail,
    }),
    ctx(snap("B", { family: "crisps" }), learned),
  ]);
  assert.ok(fallbackOf(family[0])!.detail.endsWith(s.detail));
  assert.equal(family[1].strategy, "rule");
  assert.ok(family[1].reason_codes.includes("FAMILY_FOLLOWS_MEMBER"));
});

Deno.test("an elasticity model on an estimate outside the prior bounds leaves the SKU to the rule: ML_ELASTICITY_OUT_OF_PRIOR with the bounds in the explanation", () => {
  const { min, max } = ELASTICITY_BOUNDS;
  // shrink() bounds the estimate and keeps the unbounded one when it had to move it.
  const odd = snap("A", { elasticity: max, elasticity_unbounded: 2.25 });
  const d = priceSku(ctx(odd, elasticityModel()));
  const f = assertFellBack(d, "ML_ELASTICITY_OUT_OF_PRIOR");
  assert.equal(
    f.detail,
    `the elasticity estimate 2.25 lies outside the prior bounds [${min}, ${max}] of retail ` +
      "own-price elasticities: its data cannot be trusted to price it",
  );
  assert.equal(f.elasticity_unbounded, 2.25);
  assert.deepEqual(f.bounds, [min, max]);
  // An estimate inside the bounds is priced by the same model.
  assert.equal(priceSku(ctx(snap("A", { elasticity: max }), elasticityModel())).strategy, "ml");
  // A model with a price response of its own does not price along the estimate.
  assert.equal(priceSku(ctx(odd, learned)).strategy, "ml");
  // In a family priced together the explanation is the same.
  const family = pricePortfolio([
    ctx({ ...odd, family: "crisps" }, elasticityModel()),
    ctx(snap("B", { family: "crisps" }), elasticityModel()),
  ]);
  assert.equal(fallbackOf(family[0])!.detail, f.detail);
});

Deno.test("an elasticity above -0.05 gives no usable curve: ML_INVALID_PREDICTION with the threshold and the SKU's elasticity in the explanation", () => {
  assert.equal(MAX_TRUSTED_ELASTICITY, -0.05);
  const flat = snap("A", { elasticity: -0.02 });
  const d = priceSku(ctx(flat, elasticityModel()));
  const f = assertFellBack(d, "ML_INVALID_PREDICTION");
  assert.match(f.detail, /^model elasticity-v1 gave no usable demand curve \(.+\); /);
  assert.match(f.detail, /a curve moved along an elasticity above -0\.05 is not trusted/);
  assert.match(f.detail, /\(the SKU's: -0\.02\)$/);
  assert.equal(f.max_elasticity, -0.05);
  assert.equal(f.elasticity, -0.02);
  // Just below the threshold the model prices.
  assert.equal(priceSku(ctx(snap("A", { elasticity: -0.06 }), elasticityModel())).strategy, "ml");
  // In a family priced together, every member falls back and says why with the threshold.
  const family = pricePortfolio([
    ctx(snap("A", { family: "crisps", elasticity: -0.02 }), elasticityModel()),
    ctx(snap("B", { family: "crisps" }), elasticityModel()),
  ]);
  for (const m of family) {
    const g = assertFellBack(m, "ML_INVALID_PREDICTION");
    assert.match(g.detail, /gave no usable demand curve \(.*\bA\b.*\)/, g.detail);
    assert.match(g.detail, /an elasticity above -0\.05 is not trusted/);
    assert.equal(g.max_elasticity, -0.05);
  }
  assert.equal(family[0].price, family[1].price, "the family keeps one price");
});

Deno.test("a SKU with too little history is left to the rule: ML_COLD_START with its history and the minimum in the explanation", () => {
  const min = DEFAULT_PRICING_CONFIG.minHistoryDays;
  const d = priceSku(ctx(snap("A", { history_days: 12 }), elasticityModel()));
  const f = assertFellBack(d, "ML_COLD_START");
  assert.equal(
    f.detail,
    `12 days of history, fewer than the ${min} the model needs before it prices a SKU`,
  );
  assert.deepEqual([f.history, f.min_history], [12, min]);
  // On a weekly store the history is counted in weeks.
  const weekly = priceSku(ctx(snap("A", { history_days: 3, period_days: 7 }), elasticityModel()));
  assert.match(fallbackOf(weekly)!.detail, /^3 weeks of history/);
  // From the minimum on, ML prices.
  assert.equal(
    priceSku(ctx(snap("A", { history_days: min }), elasticityModel())).strategy,
    "ml",
  );
});
