import assert from "node:assert/strict";
import type { PricingSettingsRecord } from "../schema/rules.ts";
import { describeRules, resolveRules, rulesSettingsAt } from "./objectives.ts";
import { RULES } from "./rules.ts";

function record(
  id: number,
  effective_from: string,
  target: string | null,
  settings: PricingSettingsRecord["settings"],
): PricingSettingsRecord {
  return {
    id,
    scope: target === null ? "store" : "category",
    target,
    effective_from,
    settings,
    actor: "alice",
    reason: "test",
    recorded_at: null,
  };
}

Deno.test("rulesSettingsAt() takes the latest setting of each scope effective on the date", () => {
  const records = [
    record(1, "2026-01-01", null, { units_floor: 0.97 }),
    record(2, "2026-01-10", null, { units_floor: 0.95, price_index: [0.97, 1.05] }),
    record(3, "2026-01-05", "snacks", { objective: "revenue" }),
    record(4, "2026-01-05", "snacks", { objective: "profit", units_floor: null }),
  ];
  assert.equal(rulesSettingsAt(records, "2025-12-31"), undefined);
  assert.deepEqual(rulesSettingsAt(records, "2026-01-04"), {
    store: { units_floor: 0.97 },
    categories: {},
  });
  const later = rulesSettingsAt(records, "2026-01-10")!;
  assert.deepEqual(later.store, { units_floor: 0.95, price_index: [0.97, 1.05] });
  assert.deepEqual(later.categories.snacks, { objective: "profit", units_floor: null });
});

Deno.test("resolveRules() takes a category's fields over the store's over the defaults", () => {
  const settings = {
    store: {
      units_floor: 0.97,
      price_index: [0.97, 1.05] as [number, number],
      modes: { price_index: { hard: true } },
    },
    categories: { snacks: { units_floor: null, objective: "revenue" as const } },
  };
  const dairy = resolveRules(settings, "dairy");
  assert.equal(dairy.objective, "profit");
  assert.equal(dairy.unitsFloor, 0.97);
  assert.deepEqual(dairy.kviIndex, [0.97, 1]);
  assert.deepEqual(dairy.modes.price_index, {
    hard: true,
    priority: RULES.price_index.mode.priority,
  });
  assert.deepEqual(dairy.modes.units_floor, RULES.units_floor.mode);
  const snacks = resolveRules(settings, "snacks");
  assert.equal(snacks.unitsFloor, null);
  assert.equal(snacks.objective, "revenue");
  const none = resolveRules(undefined, "dairy");
  assert.deepEqual(
    [none.objective, none.unitsFloor, none.priceIndex, none.kviIndex],
    ["profit", null, null, null],
  );
  assert.deepEqual(Object.keys(describeRules(dairy).rules as object), [
    "family",
    "ladder",
    "kvi_index",
    "price_index",
    "units_floor",
  ]);
});
