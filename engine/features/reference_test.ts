import assert from "node:assert/strict";
import { binCounts, binOf, featureReference, quantileEdges } from "./reference.ts";
import type { FeatureSnapshot } from "../schema/features.ts";

Deno.test("quantileEdges() merges ties and binOf() puts missing values in the last bin", () => {
  assert.deepEqual(quantileEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5), [3, 5, 7, 9]);
  const edges = quantileEdges([0, 0, 0, 0, 0, 0, 0, 1, 2, 3], 5);
  assert.deepEqual(edges, [0, 2]);
  assert.equal(binOf(0, edges), 0);
  assert.equal(binOf(2.5, edges), 2);
  assert.equal(binOf(null, edges), 3);
  assert.equal(binOf(Number.NaN, edges), 3);
  assert.deepEqual(binCounts([0, 1, null, 9], edges), [1, 1, 1, 1]);
});

Deno.test("featureReference() stores bins and shares per feature, overall and per category", () => {
  const snap = (i: number, category: string) => ({
    run_date: "2025-01-01",
    sku: `S${i}`,
    category,
    last_price: 2 + (i % 7) / 10,
    last_sales_date: "2024-12-31",
    unit_cost: 1 + (i % 5) / 10,
    floor_price: 1.2,
    ceiling_price: 5,
    min_margin: 0.1,
    max_daily_change: 0.1,
    price_ending: "any",
    on_hand: 10,
    on_order: 0,
    next_receipt_date: null,
    days_of_cover: 5,
    units_7: i % 20,
    units_28: 4 * (i % 20),
    units_90: 13 * (i % 20),
    trend_ratio: 1,
    dow_profile: [1, 1, 1, 1, 1, 1, 1],
    price_rel_28: 1,
    competitor_price: i % 3 ? 2.5 : null,
    competitor_index: i % 3 ? 0.9 : null,
    stockout_days_28: 0,
    base_units: i % 20,
    base_price: 2.2,
    history_days: 300,
    elasticity: -1.5,
    elasticity_se: 0.2,
    elasticity_raw: -1.5,
    elasticity_category: -1.5,
    elasticity_as_of: "2024-12-30",
  } as FeatureSnapshot);
  const rows = Array.from({ length: 200 }, (_, i) => snap(i, i % 2 ? "a" : "b"));
  const ref = featureReference(rows);
  assert.equal(ref.rows, 200);
  const f = ref.features.competitor_to_cost;
  assert.deepEqual(Object.keys(f.scopes).sort(), ["a", "all", "b"]);
  assert.equal(f.scopes.all.n, 200);
  const sum = f.scopes.all.shares.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5);
  assert.ok(f.scopes.all.shares.at(-1)! > 0.3, "missing competitor prices have their own bin");
  assert.throws(() => featureReference(rows, { bins: 1 }), RangeError);
});
