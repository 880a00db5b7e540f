import assert from "node:assert/strict";
import { openStore } from "../store/db.ts";
import { appendCompetitorPrices, appendInventory, appendSales } from "../store/writer.ts";
import { readCompetitorPrices, readInventory, readSales } from "../store/queries.ts";
import { cachedHistories } from "./history_cache.ts";
import { skuHistories } from "./history.ts";
import { toDayNumber } from "../util/date.ts";

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

function joinedViaCache(db: ReturnType<typeof openStore>, from: string, to: string) {
  const c = cachedHistories(db);
  return new Map(
    c.rows.sales.skus().map((sku) => [sku, c.history(sku, toDayNumber(from), toDayNumber(to))]),
  );
}

const stock = (sku: string, date: string, on_hand: number) => ({
  sku,
  date,
  on_hand,
  on_order: 0,
  next_receipt_date: null,
});

Deno.test("cachedHistories() equal a fresh join after appends and corrections of every input", () => {
  const db = openStore(":memory:");
  const window = ["2023-12-01", "2024-02-01"] as const;
  appendSales(db, [
    sale("A", "2024-01-01", 2),
    sale("A", "2024-01-02", 1),
    sale("B", "2024-01-02", 4),
  ]);
  appendInventory(db, [stock("A", "2024-01-01", 3), stock("A", "2024-01-02", 0)]);
  appendCompetitorPrices(db, [{ sku: "A", date: "2024-01-02", competitor_price: 2.1 }]);
  const first = joinedViaCache(db, ...window);
  assert.deepEqual(first, skuHistories(fresh(db, ...window)));
  const heldA = first.get("A")!;
  const heldBytes = structuredClone(heldA);
  // Appends after the end, a day before the start, then corrections of an old
  // day's stock (uncensors it) and competitor price, and a sale for a day whose
  // stock row arrived first.
  appendInventory(db, [stock("B", "2024-01-03", 0)]);
  appendSales(db, [
    sale("A", "2024-01-03", 5),
    sale("A", "2023-12-31", 9),
    sale("B", "2024-01-03", 6),
  ]);
  appendInventory(db, [stock("A", "2024-01-02", 4)]);
  appendCompetitorPrices(db, [{ sku: "A", date: "2024-01-01", competitor_price: 1.9 }]);
  const after = joinedViaCache(db, ...window);
  assert.deepEqual(after, skuHistories(fresh(db, ...window)));
  assert.deepEqual([...after.get("A")!.censored], [0, 0, 0, 0]);
  assert.deepEqual([...after.get("B")!.censored], [0, 1]);
  assert.deepEqual(heldA, heldBytes, "a view handed out before the correction keeps its rows");
  assert.deepEqual(
    joinedViaCache(db, "2024-01-02", "2024-01-03"),
    skuHistories(fresh(db, "2024-01-02", "2024-01-03")),
  );
});
