import assert from "node:assert/strict";
import { openStore, transaction } from "../store/db.ts";
import { appendCompetitorPrices, appendInventory, appendSales } from "../store/writer.ts";
import { readCompetitorPrices, readInventory, readSales } from "../store/queries.ts";
import { cachedInputs } from "./input_cache.ts";

const sale = (sku: string, date: string, units: number, reason = "observed") => ({
  sku,
  date,
  units,
  revenue: units * 2,
  avg_price: 2,
  promo: false,
  reason,
});

function fresh(db: ReturnType<typeof openStore>, from: string, to: string) {
  return {
    sales: readSales(db, from, to),
    inventory: readInventory(db, from, to),
    competitor: readCompetitorPrices(db, from, to),
  };
}

function viaCache(db: ReturnType<typeof openStore>, from: string, to: string) {
  const c = cachedInputs(db);
  return {
    sales: c.sales(from, to),
    inventory: c.inventory(from, to),
    competitor: c.competitor(from, to),
  };
}

Deno.test("cachedInputs() equals a fresh read after appends, out-of-order dates and corrections", () => {
  const db = openStore(":memory:");
  appendSales(db, [sale("B", "2024-01-02", 1), sale("A", "2024-01-01", 2)]);
  appendInventory(db, [{
    sku: "A",
    date: "2024-01-01",
    on_hand: 3,
    on_order: 0,
    next_receipt_date: null,
  }]);
  appendCompetitorPrices(db, [{ sku: "A", date: "2024-01-01", competitor_price: 2.1 }]);
  assert.deepEqual(viaCache(db, "2024-01-01", "2024-02-01"), fresh(db, "2024-01-01", "2024-02-01"));
  appendSales(db, [
    sale("A", "2024-01-03", 5),
    sale("A", "2024-01-02", 4),
    sale("C", "2023-12-31", 9),
    sale("A", "2024-01-01", 7, "late scan"),
  ]);
  const after = viaCache(db, "2023-12-01", "2024-02-01");
  assert.deepEqual(after, fresh(db, "2023-12-01", "2024-02-01"));
  assert.equal(after.sales.find((s) => s.sku === "A" && s.date === "2024-01-01")?.units, 7);
  assert.deepEqual(viaCache(db, "2024-01-02", "2024-01-03"), fresh(db, "2024-01-02", "2024-01-03"));
});

Deno.test("cachedInputs() forgets rows of a transaction that rolled back", () => {
  const db = openStore(":memory:");
  appendSales(db, [sale("A", "2024-01-01", 2)]);
  viaCache(db, "2024-01-01", "2024-02-01");
  assert.throws(() =>
    transaction(db, () => {
      appendSales(db, [sale("A", "2024-01-02", 50)]);
      assert.equal(viaCache(db, "2024-01-01", "2024-02-01").sales.length, 2);
      throw new Error("boom");
    }), /boom/);
  appendSales(db, [sale("A", "2024-01-02", 3)]);
  const after = viaCache(db, "2024-01-01", "2024-02-01");
  assert.deepEqual(after, fresh(db, "2024-01-01", "2024-02-01"));
  assert.equal(after.sales[1].units, 3);
});
