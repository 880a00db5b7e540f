import assert from "node:assert/strict";
import { createMarket } from "../market.ts";
import { loadScenario } from "../scenario.ts";
import { samplePricePathSkus } from "./price_paths.ts";

Deno.test("samplePricePathSkus() takes each category's SKUs in turn, by category name", async () => {
  const market = createMarket({ scenario: await loadScenario("default"), seed: 1, skus: 60 });
  const categories = [...new Set(market.skus.map((p) => p.category))].sort();
  const sample = samplePricePathSkus(market, categories.length + 2);
  assert.deepEqual(
    sample.slice(0, categories.length).map((i) => market.skus[i].category),
    categories,
  );
  const firstOf = (c: string) => market.skus.find((p) => p.category === c)!.index;
  assert.deepEqual(sample.slice(0, categories.length), categories.map(firstOf));
  assert.equal(new Set(sample).size, sample.length);
  assert.equal(samplePricePathSkus(market, 1000).length, 60);
});
