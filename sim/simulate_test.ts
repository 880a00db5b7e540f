import assert from "node:assert/strict";
import {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../engine/schema/inputs.ts";
import { createDigest } from "../engine/util/hash.ts";
import { toDayNumber } from "../engine/util/date.ts";
import { inventoryStateFromRecords } from "./inventory.ts";
import { createMarket, historicalPrice, type Market } from "./market.ts";
import { loadScenario } from "./scenario.ts";
import { catalogRecords, type DayBatch, simulateDay, simulateHistory } from "./simulate.ts";

const scenario = await loadScenario("default");
const market = createMarket({ scenario, seed: 42, skus: 150 });
const history = [...simulateHistory(market)];

function digestOf(batches: Iterable<DayBatch>): string {
  const d = createDigest();
  for (const b of batches) {
    d.add({ date: b.date, sales: b.sales, inventory: b.inventory, competitor: b.competitor });
    d.add([...b.truth.demand, ...b.truth.lost]);
  }
  return d.hex();
}

function pricesOf(m: Market, day: number, factor = 1): Map<string, number> {
  const prices = new Map<string, number>();
  for (const p of m.skus) if (p.launchDay <= day) prices.set(p.sku, p.referencePrice * factor);
  return prices;
}

Deno.test("simulateHistory() is deterministic for the same config", () => {
  const again = [...simulateHistory(createMarket({ scenario, seed: 42, skus: 150 }))];
  for (const k of [0, 1, 200, 729]) {
    assert.equal(JSON.stringify(again[k].sales), JSON.stringify(history[k].sales));
    assert.equal(JSON.stringify(again[k].inventory), JSON.stringify(history[k].inventory));
  }
  assert.equal(digestOf(again), digestOf(history));
  const other = [...simulateHistory(createMarket({ scenario, seed: 43, skus: 150 }))];
  assert.notEqual(digestOf(other), digestOf(history));
});

Deno.test("simulateHistory() yields one batch per day with launched SKUs in order", () => {
  assert.equal(history.length, 730);
  assert.equal(history[0].date, "2024-01-01");
  assert.equal(history[729].date, "2025-12-30");
  for (const b of history) {
    const skus = b.sales.map((r) => r.sku);
    assert.deepEqual(skus, [...skus].sort());
    assert.deepEqual(b.inventory.map((r) => r.sku), skus);
    assert.deepEqual(b.competitor.map((r) => r.sku), skus);
    for (const sku of skus) {
      const p = market.skus[market.skuIndex.get(sku)!];
      assert.ok(p.launchDate <= b.date);
    }
  }
  const late = market.skus.filter((p) => p.launchDay > market.startDay);
  assert.ok(late.length > 0, "some SKUs launch late (cold start)");
  assert.ok(history[0].sales.length < history[729].sales.length);
});

Deno.test("simulateHistory() censors sales by stock and stocks out at a plausible rate", () => {
  let skuDays = 0;
  let stockouts = 0;
  const previous = new Map<string, InventoryRecord>();
  for (const b of history) {
    b.sales.forEach((s, k) => {
      const inv = b.inventory[k];
      const demand = b.truth.demand[k];
      const lost = b.truth.lost[k];
      assert.ok(lost >= 0 && s.units <= demand);
      assert.equal(lost, demand - s.units);
      // Stock conservation: what was on hand plus what arrived = what was sold + what is left.
      const prev = previous.get(s.sku);
      if (prev) {
        const arrived = prev.next_receipt_date !== null && prev.next_receipt_date <= b.date
          ? prev.on_order
          : 0;
        assert.equal(inv.on_hand + s.units, prev.on_hand + arrived, `${s.sku} on ${b.date}`);
      }
      if (lost > 0) assert.equal(inv.on_hand, 0, "lost sales only when the shelf is empty");
      assert.ok(
        inv.on_order === 0
          ? inv.next_receipt_date === null
          : (inv.next_receipt_date ?? "") > b.date,
      );
      previous.set(s.sku, inv);
      skuDays++;
      if (lost > 0) stockouts++;
    });
  }
  const rate = stockouts / skuDays;
  assert.ok(rate > 0.01 && rate < 0.08, `stockout rate ${rate}`);
});

Deno.test("simulateHistory() generates 2,000 SKUs x 365 days in a few seconds", () => {
  const big = createMarket({ scenario, seed: 1, skus: 2000, historyDays: 365 });
  const t0 = performance.now();
  let n = 0;
  for (const b of simulateHistory(big)) n += b.sales.length;
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(n > 2000 * 300);
  assert.ok(seconds < 10, `${seconds.toFixed(2)} s`);
});

Deno.test("simulateHistory() records the historical prices, promotions included", () => {
  let promos = 0;
  for (const b of history.slice(0, 120)) {
    const day = toDayNumber(b.date);
    for (const s of b.sales) {
      const h = historicalPrice(market, market.skuIndex.get(s.sku)!, day);
      assert.equal(s.shelf_price, h.price);
      assert.equal(s.promo, h.promo);
      assert.equal(s.revenue, Math.round(s.units * s.shelf_price * 100) / 100);
      if (s.promo) promos++;
    }
  }
  assert.ok(promos > 0);
});

Deno.test("records validate against the input schemas", () => {
  for (const r of catalogRecords(market)) CatalogRecord.parse(r);
  for (const k of [0, 100, 365, 729]) {
    const b = history[k];
    for (const r of b.sales) SalesRecord.parse(r);
    for (const r of b.inventory) InventoryRecord.parse(r);
    for (const r of b.competitor) CompetitorPriceRecord.parse(r);
  }
});

Deno.test("catalogRecords() are sorted and include cost increases and launches", () => {
  const records = catalogRecords(market);
  const keys = records.map((r) => `${r.effective_date} ${r.sku}`);
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(records.some((r) => r.reason === "supplier cost increase"));
  assert.ok(records.some((r) => r.reason === "new SKU launch"));
  for (const p of market.skus) {
    const first = records.find((r) => r.sku === p.sku)!;
    assert.equal(first.effective_date, p.launchDate);
  }
});

Deno.test("simulateDay() reproduces history for the same prices and state", () => {
  for (const k of [100, 400, 729]) {
    const day = toDayNumber(history[k].date);
    const state = inventoryStateFromRecords(history[k - 1].inventory);
    const prices = new Map(history[k].sales.map((s) => [s.sku, s.shelf_price]));
    const out = simulateDay(market, day, prices, state);
    history[k].sales.forEach((s, j) => {
      if (s.promo) return; // the forward step runs no store promotions
      assert.deepEqual(out.sales[j], s);
      assert.deepEqual(out.inventory[j], history[k].inventory[j]);
      assert.deepEqual(out.competitor[j], history[k].competitor[j]);
    });
  }
});

Deno.test("simulateDay() gives identical outcomes for identical prices and state", () => {
  const day = market.endDay;
  const state = inventoryStateFromRecords(history[729].inventory);
  const a = simulateDay(market, day, pricesOf(market, day), state);
  const b = simulateDay(market, day, pricesOf(market, day), state);
  assert.deepEqual(a, b);
  assert.equal(a.date, "2025-12-31");
  assert.equal(a.sales.length, market.skus.length);
  assert.equal(a.state.size, market.skus.length);
});

Deno.test("simulateDay() sells less at a higher price", () => {
  const state = inventoryStateFromRecords(history[729].inventory);
  let totalLow = 0;
  let totalHigh = 0;
  for (let day = market.endDay; day < market.endDay + 20; day++) {
    const base = pricesOf(market, day);
    const low = simulateDay(market, day, base, state);
    for (const p of market.skus.slice(0, 40)) {
      const raised = new Map(base).set(p.sku, p.referencePrice * 1.3);
      const high = simulateDay(market, day, raised, state);
      const j = low.sales.findIndex((s) => s.sku === p.sku);
      assert.ok(high.sales[j].units <= low.sales[j].units, `${p.sku} on day ${day}`);
      assert.ok(high.truth.demand[j] <= low.truth.demand[j]);
      totalLow += low.sales[j].units;
      totalHigh += high.sales[j].units;
      // Other SKUs are untouched.
      const other = (j + 1) % low.sales.length;
      assert.deepEqual(high.sales[other], low.sales[other]);
    }
  }
  assert.ok(totalHigh < totalLow * 0.9, `${totalHigh} vs ${totalLow}`);
});

Deno.test("simulateDay() names SKUs without a price or a state", () => {
  const day = market.endDay;
  const state = inventoryStateFromRecords(history[729].inventory);
  const prices = pricesOf(market, day);
  prices.delete("SKU-00002");
  prices.delete("SKU-00009");
  assert.throws(
    () => simulateDay(market, day, prices, state),
    (e: Error) => e instanceof RangeError && /no price for SKU-00002, SKU-00009/.test(e.message),
  );
  const noState = new Map(state);
  noState.delete("SKU-00003");
  assert.throws(
    () => simulateDay(market, day, pricesOf(market, day), noState),
    /no inventory state for SKU-00003/,
  );
  assert.throws(
    () => simulateDay(market, day, new Map(pricesOf(market, day)).set("SKU-99999", 1), state),
    /unknown SKU SKU-99999/,
  );
});

Deno.test("simulateDay() runs forward day after day from the end of history", () => {
  let state = inventoryStateFromRecords(history[729].inventory);
  let units = 0;
  for (let day = market.endDay; day < market.endDay + 30; day++) {
    const out = simulateDay(market, day, pricesOf(market, day), state);
    for (const r of out.inventory) InventoryRecord.parse(r);
    units += out.sales.reduce((a, s) => a + s.units, 0);
    state = out.state;
  }
  assert.ok(units > 0);
});
