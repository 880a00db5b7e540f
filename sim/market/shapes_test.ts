import assert from "node:assert/strict";
import { toDayNumber } from "../../engine/util/date.ts";
import { inventoryStateFromRecords } from "../inventory.ts";
import { loadScenario, parseScenario, type Scenario } from "../scenario.ts";
import { simulateDay, simulateHistory } from "../simulate.ts";
import { createMarket, skuTruth, trueDemandCurve } from "../market.ts";
import { createMemory, memoryFromSales } from "./memory.ts";
import { ownPriceEffect, resolveShape, SHAPE_DEFAULTS } from "./shapes.ts";
import { DemandShapeName } from "./shape_spec.ts";

const base = await loadScenario("default");
const small = (shape: unknown): Scenario =>
  parseScenario({ ...base, demandShape: shape, historyDays: 120, newSkuWindowDays: 30 });

Deno.test("every base curve is 1 at P0 with log slope equal to the elasticity there", () => {
  for (const b of ["constant-elasticity", "linear", "logit"] as const) {
    for (const eps of [-0.6, -1.3, -2.8]) {
      const p0 = 3.49;
      assert.ok(Math.abs(ownPriceEffect(b, p0, p0, eps, 0.4) - 1) < 1e-12, b);
      const h = 1e-6;
      const slope = (Math.log(ownPriceEffect(b, p0 * (1 + h), p0, eps, 0.4)) -
        Math.log(ownPriceEffect(b, p0 * (1 - h), p0, eps, 0.4))) /
        (Math.log(1 + h) - Math.log(1 - h));
      assert.ok(Math.abs(slope - eps) < 1e-5, `${b} at ${eps}: slope ${slope}`);
    }
  }
});

Deno.test("linear demand is zero from its choke price; logit saturates at 1/s0 and vanishes", () => {
  const eps = -2;
  const choke = 1 - 1 / eps; // × P0
  assert.equal(ownPriceEffect("linear", choke, 1, eps, null), 0);
  assert.equal(ownPriceEffect("linear", choke * 1.2, 1, eps, null), 0);
  assert.ok(ownPriceEffect("linear", choke * 0.99, 1, eps, null) > 0);
  const s0 = 0.4;
  const low = ownPriceEffect("logit", 0.01, 1, eps, s0);
  assert.ok(low < 1 / s0 && low > 0.9 / s0, `${low} vs ${1 / s0}`);
  assert.ok(ownPriceEffect("logit", 5, 1, eps, s0) < 1e-3);
});

Deno.test("resolveShape() fills every parameter from the defaults and refuses gain above loss", () => {
  const r = resolveShape("reference-price");
  assert.deepEqual(r.reference, SHAPE_DEFAULTS.reference);
  assert.equal(r.base, "constant-elasticity");
  assert.equal(resolveShape(undefined).name, "constant-elasticity");
  assert.equal(resolveShape({ shape: "store-traffic", base: "logit" }).base, "logit");
  assert.equal(resolveShape({ shape: "store-traffic", tolerance: 1.1 }).traffic!.tolerance, 1.1);
  for (const name of DemandShapeName.options) assert.equal(resolveShape(name).name, name);
  assert.throws(
    () => small({ shape: "reference-price", lossSensitivity: 0.2, gainSensitivity: 1 }),
    /demandShape: .*loss sensitivity 0.2 below gain sensitivity 1/,
  );
  assert.throws(() => small({ shape: "linear", sensitivity: 2 }), /demandShape/);
});

Deno.test("a category's demandShape overrides the scenario's", () => {
  const s = parseScenario({
    ...base,
    demandShape: "linear",
    categories: base.categories.map((c, i) => i === 0 ? { ...c, demandShape: "logit" } : c),
  });
  const market = createMarket({ scenario: s, seed: 3, skus: 60 });
  for (const p of market.skus) {
    const expected = p.category === base.categories[0].name ? "logit" : "linear";
    assert.equal(p.shape.name, expected, p.sku);
    if (expected === "logit") assert.ok(p.shape.share! >= 0.3 && p.shape.share! <= 0.7);
  }
  // The default scenario's SKUs are drawn as before: constant elasticity, no shape draws.
  const plain = createMarket({ scenario: base, seed: 3, skus: 5 });
  assert.ok(
    plain.skus.every((p) => p.shape.name === "constant-elasticity" && p.shape.share === null),
  );
});

for (const shape of ["reference-price", "store-traffic"] as const) {
  Deno.test(`simulateDay() on a ${shape} market reproduces history from the memory of its sales`, () => {
    const market = createMarket({ scenario: small(shape), seed: 5, skus: 40 });
    const history = [...simulateHistory(market)];
    for (const k of [70, 119]) {
      const day = toDayNumber(history[k].date);
      const memory = memoryFromSales(market, history.slice(0, k).flatMap((b) => b.sales), day);
      const state = inventoryStateFromRecords(history[k - 1].inventory);
      const prices = new Map(history[k].sales.map((s) => [s.sku, s.shelf_price]));
      const out = simulateDay(market, day, prices, state, { memory });
      history[k].sales.forEach((s, j) => {
        if (s.promo) return;
        assert.deepEqual(out.sales[j], s);
        assert.equal(out.truth.expected[j], history[k].truth.expected[j]);
      });
    }
    assert.throws(
      () =>
        simulateDay(
          market,
          market.endDay,
          new Map(history[119].sales.map((s) => [s.sku, s.shelf_price])),
          inventoryStateFromRecords(history[119].inventory),
        ),
      /remembers past prices, and no memory was given/,
    );
  });
}

Deno.test("a price rise costs more demand on a reference-price market until shoppers get used to it", () => {
  const market = createMarket({ scenario: small("reference-price"), seed: 5, skus: 5 });
  const p = skuTruth(market, 0);
  const memory = createMemory(market)!;
  const start = market.endDay;
  const row = (price: number) => market.skus.map((_, i) => (i === 0 ? price : NaN));
  for (let d = start - 40; d < start; d++) memory.record(d, row(p.referencePrice));
  const high = p.referencePrice * 1.1;
  const shortRun = trueDemandCurve(market, 0, start, [high], { memory })[0];
  const longRun = trueDemandCurve(market, 0, start, [high])[0];
  assert.ok(shortRun < longRun * 0.9, `${shortRun} vs ${longRun}`);
  for (let d = start; d < start + 40; d++) memory.record(d, row(high));
  const adapted = trueDemandCurve(market, 0, start + 40, [high], { memory })[0];
  const adaptedLong = trueDemandCurve(market, 0, start + 40, [high])[0];
  assert.ok(Math.abs(adapted / adaptedLong - 1) < 0.01, `${adapted} vs ${adaptedLong}`);
  // Back down to P0: a cut helps less than the rise hurt (loss aversion).
  const cut = trueDemandCurve(market, 0, start + 40, [p.referencePrice], { memory })[0] /
    trueDemandCurve(market, 0, start + 40, [p.referencePrice])[0];
  assert.ok(cut > 1 && cut - 1 < 1 - shortRun / longRun, `cut ${cut}`);
});

Deno.test("raising a category's prices above the competitor lowers its traffic for weeks", () => {
  const market = createMarket({ scenario: small("store-traffic"), seed: 5, skus: 60 });
  const memory = createMemory(market)!;
  const start = market.endDay;
  const cat = market.skus[0].category;
  const ref = (factor: number) =>
    market.skus.map((p) => (p.category === cat ? p.referencePrice * factor : p.referencePrice));
  for (let d = start - 60; d < start; d++) memory.record(d, ref(1));
  const before = memory.effect(0, start, 1);
  for (let d = start; d < start + 21; d++) memory.record(d, ref(1.2));
  const during = memory.effect(0, start + 21, 1);
  for (let d = start + 21; d < start + 35; d++) memory.record(d, ref(1));
  const after = memory.effect(0, start + 35, 1);
  const other = market.skus.findIndex((p) => p.category !== cat);
  assert.ok(during < before * 0.8, `traffic ${before} -> ${during}`);
  assert.ok(after < before && after > during, `after two weeks back: ${after}`);
  assert.ok(memory.effect(other, start + 21, 1) >= 0.97, "other categories keep their traffic");
});
