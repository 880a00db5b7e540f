import assert from "node:assert/strict";
import type { CamelCase, CamelCased } from "./camel_case.ts";

Deno.test("CamelCased<T> renames snake_case keys and keeps their types", () => {
  const name: CamelCase<"max_daily_change"> = "maxDailyChange";
  const terms: CamelCased<{ unit_cost: number; price_ending: "9" | "99"; sku: string }> = {
    unitCost: 1.5,
    priceEnding: "99",
    sku: "A1",
  };
  // @ts-expect-error: the snake_case name is not a key of the camelCased type
  const wrong: CamelCased<{ unit_cost: number }> = { unit_cost: 1 };
  assert.deepEqual([name, terms.unitCost, terms.priceEnding, wrong], [
    "maxDailyChange",
    1.5,
    "99",
    { unit_cost: 1 },
  ]);
});
