/**
 * Bounded reads of the input rows for the monitoring stage's data-quality
 * checks: the sales and competitor prices of a few days, the latest inventory
 * of each SKU within a look-back, the SKUs with a competitor price in a week.
 * Each reads only the window asked for (through the date or SKU indexes), so
 * its cost and memory grow with the SKUs, not with the length of history.
 * Rows that fail the write-time checks (written with them bypassed, see
 * `valid_rows.ts`) are skipped: of several rows for one SKU and date, the
 * last recorded that passes them wins, as in the history blocks.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { CompetitorPriceRecord, InventoryRecord, SalesRecord } from "../../schema/inputs.ts";
import { latestRows, rows } from "./_rows.ts";
import { VALID_ROW } from "./valid_rows.ts";
import { readSales } from "./inputs.ts";
import { latestBySku } from "./_dates.ts";

type Table = "sales" | "inventory" | "competitor_prices";

/**
 * Sales dated in [from, to) that pass their checks, corrections applied (of several
 * rows for a SKU and date, the last recorded that passes), by SKU then date.
 *
 * @param db The store.
 * @param from First date, `YYYY-MM-DD` (inclusive).
 * @param to Last date, `YYYY-MM-DD` (exclusive).
 * @returns The sales records.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readValidSales } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = {
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * };
 * appendSales(db, [sale, { ...sale, units: 2, revenue: 5.98, reason: "recount" }]);
 * // A correction written with the checks bypassed is skipped: the recount stands.
 * db.exec("PRAGMA ignore_check_constraints = 1");
 * db.exec(`INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
 *   VALUES ('A1', '2025-01-06', 4, 0, 1e999, 2.99, 0, 'observed')`);
 * db.exec("PRAGMA ignore_check_constraints = 0");
 * assert.deepEqual(readValidSales(db, "2025-01-06", "2025-01-07").map((s) => s.units), [2]);
 * ```
 */
export function readValidSales(db: DatabaseSync, from: string, to: string): SalesRecord[] {
  // The same read as readSales: the latest valid row per SKU and date.
  return readSales(db, from, to);
}

/**
 * Competitor prices dated in [from, to) that pass their checks, corrections applied,
 * by SKU then date.
 *
 * @param db The store.
 * @param from First date, `YYYY-MM-DD` (inclusive).
 * @param to Last date, `YYYY-MM-DD` (exclusive).
 * @returns The competitor price records.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCompetitorPrices, openStore, readValidCompetitorPrices } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCompetitorPrices(db, [
 *   { sku: "B2", date: "2025-01-06", competitor_price: 1.09 },
 *   { sku: "A1", date: "2025-01-06", competitor_price: 3.09 },
 * ]);
 * const read = readValidCompetitorPrices(db, "2025-01-06", "2025-01-07");
 * assert.deepEqual(read.map((r) => r.sku), ["A1", "B2"]);
 * ```
 */
export function readValidCompetitorPrices(
  db: DatabaseSync,
  from: string,
  to: string,
): CompetitorPriceRecord[] {
  const raw = latestRows(
    db,
    "competitor_prices",
    "sku, date, competitor_price, reason",
    from,
    to,
  );
  return rows(CompetitorPriceRecord, "competitor price", raw);
}

/**
 * SKUs with a competitor price that passes its checks dated in [from, to), sorted.
 *
 * @param db The store.
 * @param from First date, `YYYY-MM-DD` (inclusive).
 * @param to Last date, `YYYY-MM-DD` (exclusive).
 * @returns The SKUs, sorted.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCompetitorPrices, openStore, readSkusWithCompetitorPrice } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCompetitorPrices(db, [
 *   { sku: "B2", date: "2025-01-05", competitor_price: 1.09 },
 *   { sku: "A1", date: "2025-01-06", competitor_price: 3.09 },
 *   { sku: "B2", date: "2025-01-06", competitor_price: 1.19 },
 * ]);
 * assert.deepEqual(readSkusWithCompetitorPrice(db, "2025-01-01", "2025-01-08"), ["A1", "B2"]);
 * assert.deepEqual(readSkusWithCompetitorPrice(db, "2025-01-01", "2025-01-06"), ["B2"]);
 * ```
 */
export function readSkusWithCompetitorPrice(
  db: DatabaseSync,
  from: string,
  to: string,
): string[] {
  return statement(
    db,
    `SELECT DISTINCT sku FROM competitor_prices
     WHERE date >= ? AND date < ? AND ${VALID_ROW.competitor_prices} ORDER BY sku`,
  ).all(from, to).map((r) => String(r.sku));
}

/**
 * Per SKU of the catalog, its latest inventory record dated in [since, date) that passes
 * its checks (of several for that date, the last recorded that passes), by SKU. The newest
 * date is read whole and a SKU missing from it looked up date by date: the cost does not
 * grow with the length of history.
 *
 * @param db The store.
 * @param date Last date, `YYYY-MM-DD` (exclusive).
 * @param since First date, `YYYY-MM-DD` (inclusive): older records are not looked at.
 * @returns One record per catalog SKU that has one in the window, by SKU.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendInventory, openStore, readLatestValidInventory } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * }]);
 * const stock = {
 *   sku: "A1", date: "2025-01-06", on_hand: 40, on_order: 0, next_receipt_date: null,
 * };
 * appendInventory(db, [stock, { ...stock, date: "2025-01-07", on_hand: 35 }]);
 * assert.equal(readLatestValidInventory(db, "2025-01-08", "2025-01-01")[0].on_hand, 35);
 * assert.equal(readLatestValidInventory(db, "2025-01-07", "2025-01-01")[0].on_hand, 40);
 * assert.deepEqual(readLatestValidInventory(db, "2025-01-06", "2025-01-01"), []);
 * ```
 */
export function readLatestValidInventory(
  db: DatabaseSync,
  date: string,
  since: string,
): InventoryRecord[] {
  const skus = statement(db, "SELECT DISTINCT sku FROM catalog ORDER BY sku").all();
  const latest = latestBySku(
    db,
    "inventory",
    "date, on_hand, on_order, next_receipt_date, reason",
    skus.map((r) => String(r.sku)),
    since,
    date,
  );
  const raw = [...latest.values()];
  return rows(InventoryRecord, "inventory", raw);
}
