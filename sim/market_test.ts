import assert from "node:assert/strict";
import { endsWith } from "../engine/pricing/price_ending.ts";
import { toDayNumber } from "../engine/util/date.ts";
import {
  catalogTermsAt,
  competitorPrice,
  createMarket,
  historicalPrice,
  lowerBoundCents,
  skuTruth,
  trueDemandCurve,
  trueExpectedDemand,
} from "./market.ts";
import { loadScenario, parseScenario } from "./scenario.ts";

const scenario = await loadScenario("default");
const market = createMarket({ scenario, seed: 7, skus: 120 });

Deno.test("trueExpectedDemand() decreases in price with log slope equal to the elasticity", () => {
  const day = toDayNumber("2025-03-12");
  for (let i = 0; i < market.skus.length; i++) {
    const t = skuTruth(market, i);
    const prices = [0.5, 0.8, 1, 1.2, 1.5].map((f) => t.referencePrice * f);
    const curve = trueDemandCurve(market, i, day, prices);
    for (let k = 1; k < curve.length; k++) {
      assert.ok(curve[k] < curve[k - 1], `${t.sku} demand must fall with price`);
      const slope = Math.log(curve[k] / curve[k - 1]) / Math.log(prices[k] / prices[k - 1]);
      assert.ok(Math.abs(slope - t.elasticity) < 1e-9, `${t.sku}: slope ${slope}`);
    }
    assert.ok(t.elasticity >= -4 && t.elasticity <= -0.5);
    assert.ok(t.crossElasticity > 0);
  }
});

Deno.test("trueExpectedDemand() multiplies demand by the promotion lift", () => {
  const day = toDayNumber("2024-07-01");
  const t = skuTruth(market, 3);
  const plain = trueExpectedDemand(market, 3, day, t.referencePrice);
  const promo = trueExpectedDemand(market, 3, day, t.referencePrice, { promo: true });
  assert.ok(Math.abs(promo / plain - t.promoLift) < 1e-12);
  assert.ok(t.promoLift >= 1.2 && t.promoLift <= 1.8);
});

Deno.test("competitorPrice() is constant within segments and moves between them", () => {
  const start = toDayNumber("2024-01-01");
  for (let i = 0; i < 20; i++) {
    const levels = new Set<number>();
    let changes = 0;
    for (let d = start; d < start + 140; d++) {
      const c = competitorPrice(market, i, d);
      if (d > start && c !== competitorPrice(market, i, d - 1)) changes++;
      levels.add(c);
    }
    assert.ok(changes <= 11 && levels.size >= 5, `SKU ${i}: ${changes} changes`);
  }
});

Deno.test("createMarket() draws SKU i the same whatever the number of SKUs", () => {
  const small = createMarket({ scenario, seed: 7, skus: 10 });
  for (let i = 0; i < 10; i++) assert.deepEqual(skuTruth(small, i), skuTruth(market, i));
  const other = createMarket({ scenario, seed: 8, skus: 10 });
  assert.notDeepEqual(skuTruth(other, 0), skuTruth(market, 0));
});

Deno.test("createMarket() applies regime shifts from their date on", () => {
  const shifted = createMarket({
    scenario: parseScenario({
      ...scenario,
      regimeShifts: [{
        date: "2025-01-01",
        categories: [skuTruth(market, 0).category],
        demandMultiplier: 0.5,
        elasticityShift: -0.5,
      }],
    }),
    seed: 7,
    skus: 120,
  });
  const t = skuTruth(market, 0);
  const before = toDayNumber("2024-12-31");
  const after = toDayNumber("2025-01-01");
  const p = t.referencePrice * 1.2;
  assert.equal(
    trueExpectedDemand(shifted, 0, before, p),
    trueExpectedDemand(market, 0, before, p),
  );
  const ratio = trueExpectedDemand(shifted, 0, after, p) / trueExpectedDemand(market, 0, after, p);
  assert.ok(Math.abs(ratio - 0.5 * Math.pow(1.2, -0.5)) < 1e-9);
  const untouched = market.skus.find((s) => s.category !== t.category)!;
  assert.equal(
    trueExpectedDemand(shifted, untouched.index, after, p),
    trueExpectedDemand(market, untouched.index, after, p),
  );
});

Deno.test("historicalPrice() respects floor, ceiling and margin and varies", () => {
  const full = createMarket({ scenario, seed: 11, skus: 200 });
  for (const t of full.skus) {
    const seen = new Set<number>();
    for (let day = t.launchDay; day < full.endDay; day++) {
      const { price } = historicalPrice(full, t.index, day);
      const c = catalogTermsAt(full, t.index, day);
      assert.ok(price >= c.floorPrice && price <= c.ceilingPrice, `${t.sku} ${price}`);
      assert.ok((price - c.unitCost) / price >= c.minMargin, `${t.sku} margin at ${price}`);
      assert.ok(
        endsWith(Math.round(price * 100), t.priceEnding),
        `${t.sku} ending ${t.priceEnding} at ${price}`,
      );
      seen.add(price);
    }
    if (t.launchDay === full.startDay) assert.ok(seen.size >= 3, `${t.sku}: ${[...seen]}`);
  }
});

Deno.test("lowerBoundCents() keeps the margin strictly above the minimum on a whole cent", () => {
  assert.equal(lowerBoundCents(0.9, 0.95, 0.1), 101);
  assert.equal(lowerBoundCents(0.9, 1.2, 0.1), 120);
});
