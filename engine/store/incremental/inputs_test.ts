import assert from "node:assert/strict";
import { openStore, transaction } from "../db.ts";
import { appendCompetitorPrices, appendInventory, appendSales } from "../writer.ts";
import { readCompetitorPrices, readInventory, readLatestInventory, readSales } from "../queries.ts";
import { cachedInputRows } from "./inputs.ts";

const sale = (sku: string, date: string, units: number, reason = "observed") => ({
  sku,
  date,
  units,
  revenue: units * 2,
  shelf_price: 2,
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
  const c = cachedInputRows(db);
  return {
    sales: c.sales.between(from, to),
    inventory: c.inventory.between(from, to),
    competitor: c.competitor.between(from, to),
  };
}

Deno.test("cachedInputRows() equals a fresh read after appends, out-of-order dates and corrections", () => {
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
  appendInventory(db, [
    { sku: "B", date: "2024-01-02", on_hand: 1, on_order: 0, next_receipt_date: null },
    { sku: "A", date: "2023-12-30", on_hand: 5, on_order: 2, next_receipt_date: "2024-01-04" },
    { sku: "A", date: "2024-01-01", on_hand: 4, on_order: 0, next_receipt_date: null },
  ]);
  for (const [from, to] of [["2023-12-01", "2024-02-01"], ["2023-12-01", "2024-01-01"]]) {
    const latest = cachedInputRows(db).inventory.latestEach(from, to);
    assert.ok(latest.length > 0);
    assert.deepEqual(latest, readLatestInventory(db, to, from));
  }
  assert.deepEqual(viaCache(db, "2024-01-02", "2024-01-03"), fresh(db, "2024-01-02", "2024-01-03"));
});

Deno.test("cachedInputRows() forgets rows of a transaction that rolled back", () => {
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
