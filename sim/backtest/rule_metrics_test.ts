import assert from "node:assert/strict";
import { loadScenario } from "../scenario.ts";
import { createMarket } from "../market.ts";
import type { Outcomes } from "./recorder.ts";
import { ruleMetrics } from "./rule_metrics.ts";

const market = createMarket({ scenario: await loadScenario("default"), seed: 1, skus: 3 });

/** Outcomes of 14 days where every SKU sells `units(d)` at 1.02 × a competitor price of 2. */
function outcomes(units: (d: number) => number, before = 10): Outcomes {
  const n = market.skus.length;
  const rows = <T>(days: number, make: () => T) => Array.from({ length: days }, make);
  const o: Outcomes = {
    from: "2026-01-01",
    days: 14,
    skus: market.skus.map((p) => p.sku),
    price: rows(14, () => new Float64Array(n).fill(2.04)),
    units: rows(14, () => new Float64Array(n)),
    revenue: rows(14, () => new Float64Array(n)),
    profit: rows(14, () => new Float64Array(n)),
    lost: rows(14, () => new Float64Array(n)),
    expected: rows(14, () => new Float64Array(n)),
    changed: rows(14, () => new Uint8Array(n)),
    competitor: rows(14, () => new Float64Array(n).fill(2)),
    atCeiling: rows(14, () => new Uint8Array(n)),
    unitsBefore: rows(28, () => new Float64Array(n).fill(before)),
    on_hand: rows(14, () => new Float64Array(n)),
  };
  for (let d = 0; d < 14; d++) o.units[d].fill(units(d));
  o.atCeiling[13][0] = 1;
  return o;
}

Deno.test("ruleMetrics() measures the index, the ceiling share and the floor per category-week", () => {
  const categories = new Set(market.skus.map((p) => p.category)).size;
  const flat = ruleMetrics(outcomes(() => 10), market, {
    units_floor: 0.97,
    price_index: [0.97, 1.01],
  });
  assert.equal(flat.price_index, 1.02);
  assert.equal(flat.units_floor_met_share, 1);
  assert.equal(flat.price_index_met_share, 0);
  assert.equal(flat.violations.price_index, 14 * categories);
  assert.equal(flat.at_ceiling_last_day, Math.round(10000 / 3) / 10000);
  assert.equal(flat.at_ceiling_share, Math.round(10000 / 3 / 14) / 10000);
  // The first week sells 9 a day (below 0.97 × 10), the second 10 (above 0.97 × 9.75).
  const dip = ruleMetrics(outcomes((d) => (d < 7 ? 9 : 10)), market, { units_floor: 0.97 });
  assert.equal(dip.units_floor_met_share, 0.5);
  assert.equal(dip.violations.units_floor, categories);
  assert.equal(dip.price_index_met_share, null);
  // History's promotion days (NaN) count at the SKU's mean of its other days.
  const promo = outcomes(() => 10);
  promo.unitsBefore[3].fill(NaN);
  assert.equal(ruleMetrics(promo, market, { units_floor: 1 }).units_floor_met_share, 1);
});
