import assert from "node:assert/strict";
import { checkDataQuality, type QualityInputs } from "./quality.ts";

const inputs = (): QualityInputs => ({
  runDate: "2026-01-10",
  catalog: [
    {
      sku: "A",
      effective_date: "2025-01-01",
      unit_cost: 1,
      floor_price: 1.2,
      ceiling_price: 3,
      active: true,
    },
    {
      sku: "B",
      effective_date: "2025-01-01",
      unit_cost: 1,
      floor_price: 1.2,
      ceiling_price: 3,
      active: true,
    },
    {
      sku: "C",
      effective_date: "2025-01-01",
      unit_cost: 1,
      floor_price: 1.2,
      ceiling_price: 3,
      active: false,
    },
  ],
  sales: [
    { sku: "A", units: 3, revenue: 6, shelf_price: 2, promo: false },
    { sku: "B", units: 1, revenue: 2, shelf_price: 2, promo: false },
  ],
  inventory: [
    { sku: "A", date: "2026-01-09", on_hand: 5, on_order: 0 },
    { sku: "B", date: "2026-01-09", on_hand: 5, on_order: 0 },
  ],
  competitor: [{ sku: "A", competitor_price: 2.1 }, { sku: "B", competitor_price: 2.2 }],
  competitorTracked: ["A", "B"],
});

Deno.test("checkDataQuality() finds nothing in clean inputs and ignores inactive SKUs", () => {
  assert.deepEqual(checkDataQuality(inputs()), []);
});

Deno.test("checkDataQuality() reports negative, missing and non-finite values with SKU, field and value", () => {
  const x = inputs();
  const bad = {
    ...x,
    sales: [
      { sku: "A", units: -3, revenue: 6, shelf_price: Number.NaN, promo: false },
      { sku: "B", units: null, revenue: 2, shelf_price: 2, promo: false },
    ],
    inventory: [
      { sku: "A", date: "2026-01-09", on_hand: -1, on_order: 0 },
      { sku: "B", date: "2026-01-09", on_hand: 5, on_order: Number.POSITIVE_INFINITY },
    ],
    competitor: [{ sku: "A", competitor_price: 0 }],
  };
  const found = checkDataQuality(bad).map((i) => `${i.check} ${i.sku} ${i.field} ${i.value}`);
  assert.deepEqual(found, [
    "MISSING_VALUE A sales.shelf_price NaN",
    "NEGATIVE_VALUE A competitor_prices.competitor_price 0",
    "NEGATIVE_VALUE A inventory.on_hand -1",
    "NEGATIVE_VALUE A sales.units -3",
    "MISSING_VALUE B competitor_prices.competitor_price missing",
    "MISSING_VALUE B inventory.on_order Infinity",
    "MISSING_VALUE B sales.units missing",
  ]);
});

Deno.test("checkDataQuality() reports missing sales, stale inventory, prices outside guardrails, cost jumps and SKUs left unpriced", () => {
  const x = inputs();
  const found = checkDataQuality({
    ...x,
    catalog: [
      ...x.catalog,
      {
        sku: "B",
        effective_date: "2026-01-08",
        unit_cost: 1.6,
        floor_price: 1.8,
        ceiling_price: 3,
        active: true,
      },
    ],
    sales: [{ sku: "B", units: 1, revenue: 3.5, shelf_price: 3.5, promo: false }],
    inventory: [{ sku: "B", date: "2026-01-02", on_hand: 5, on_order: 0 }],
    snapshotted: ["B"],
    skipped: [{ sku: "A", reason: "no price history" }],
  }).map((i) => `${i.check} ${i.sku} ${i.field} ${i.value}`);
  assert.deepEqual(found, [
    "MISSING_SALES A sales.date 2026-01-09",
    "NO_SNAPSHOT A feature_snapshots.sku no price history",
    "STALE_INVENTORY A inventory.date missing",
    "COST_JUMP B catalog.unit_cost 1.6",
    "PRICE_OUTSIDE_GUARDRAILS B sales.shelf_price 3.5",
    "STALE_INVENTORY B inventory.date 2026-01-02",
  ]);
});
