/**
 * Read-only queries of the input data: catalog, sales, inventory, competitor
 * prices (by date range or latest; the catalog also appended after a row id) and the simulator
 * settings.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import { parseOrThrow } from "../../schema/common.ts";
import {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../../schema/inputs.ts";
import { SimConfigRow } from "../write/inputs.ts";
import { flag, latestRows, rows } from "./_rows.ts";
import { safeInteger, VALID_ROW } from "./valid_rows.ts";
import { latestBySku } from "./_dates.ts";
import { isIsoDate } from "../../util/date.ts";

/**
 * The catalog in force on `date`: per SKU, the record with the latest effective date
 * before `date` (of several recorded for that date, the last recorded), by SKU.
 *
 * @param db The store.
 * @param date A date, `YYYY-MM-DD`; records effective on it are not yet in force.
 * @returns One record per SKU, by SKU.
 *
 * @example Usage
 * ```ts
 * import { readCatalogBefore } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendCatalog } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [record, { ...record, effective_date: "2025-01-10", unit_cost: 1.7 }]);
 * assert.equal(readCatalogBefore(db, "2025-01-10")[0].unit_cost, 1.5);
 * assert.equal(readCatalogBefore(db, "2025-01-11")[0].unit_cost, 1.7);
 * db.close();
 * ```
 */
export function readCatalogBefore(db: DatabaseSync, date: string): CatalogRecord[] {
  const raw = statement(
    db,
    `SELECT sku, effective_date, category, name, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason, family, size, key_value_item
     FROM (SELECT *, row_number() OVER (PARTITION BY sku ORDER BY effective_date DESC, id DESC) AS rn
           FROM catalog WHERE effective_date < ? AND ${VALID_ROW.catalog})
     WHERE rn = 1 ORDER BY sku`,
  ).all(date);
  return rows(CatalogRecord, "catalog", raw, _catalogRow);
}

/** A catalog row as its record: flags as booleans. */
function _catalogRow(r: Record<string, unknown>) {
  return { ...r, active: flag(r.active), key_value_item: flag(r.key_value_item) };
}

/**
 * Every catalog record effective before `date`, by SKU, effective date and recording order.
 *
 * @param db The store.
 * @param date A date, `YYYY-MM-DD` (exclusive).
 * @returns The records.
 *
 * @example Usage
 * ```ts
 * import { readCatalogHistory } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendCatalog } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [record, { ...record, effective_date: "2025-01-10", unit_cost: 1.7 }]);
 * assert.deepEqual(readCatalogHistory(db, "2025-02-01").map((r) => r.unit_cost), [1.5, 1.7]);
 * db.close();
 * ```
 */
export function readCatalogHistory(db: DatabaseSync, date: string): CatalogRecord[] {
  const raw = statement(
    db,
    `SELECT sku, effective_date, category, name, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason, family, size, key_value_item
     FROM catalog WHERE effective_date < ? AND ${VALID_ROW.catalog}
     ORDER BY sku, effective_date, id`,
  ).all(date);
  return rows(CatalogRecord, "catalog", raw, _catalogRow);
}

/**
 * Sales dated in [from, to), corrections applied (of several rows for a SKU and
 * date, the last recorded), by SKU then date.
 *
 * @param db The store.
 * @param from First date, `YYYY-MM-DD` (inclusive).
 * @param to Last date, `YYYY-MM-DD` (exclusive).
 * @returns The sales records.
 *
 * @example Usage
 * ```ts
 * import { readSales } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendSales } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const sale = {
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * };
 * appendSales(db, [sale, { ...sale, date: "2025-01-07" }, { ...sale, units: 2, revenue: 5.98 }]);
 * assert.deepEqual(readSales(db, "2025-01-01", "2025-01-08").map((s) => s.units), [2, 3]);
 * assert.deepEqual(readSales(db, "2025-01-07", "2025-01-08").map((s) => s.date), ["2025-01-07"]);
 * db.close();
 * ```
 */
export function readSales(db: DatabaseSync, from: string, to: string): SalesRecord[] {
  const raw = latestRows(
    db,
    "sales",
    "sku, date, units, returned_units, revenue, shelf_price, promo, reason",
    from,
    to,
  );
  return rows(SalesRecord, "sales", raw, (r) => ({
    sku: r.sku,
    date: r.date,
    units: r.units,
    returned_units: r.returned_units,
    revenue: r.revenue,
    shelf_price: r.shelf_price,
    promo: flag(r.promo),
    reason: r.reason,
  }));
}

/**
 * End-of-day inventory dated in [from, to), corrections applied, by SKU then date.
 *
 * @param db The store.
 * @param from First date, `YYYY-MM-DD` (inclusive).
 * @param to Last date, `YYYY-MM-DD` (exclusive).
 * @returns The inventory records.
 *
 * @example Usage
 * ```ts
 * import { readInventory } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendInventory } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const stock = {
 *   sku: "A1", date: "2025-01-06", on_hand: 40, on_order: 0, next_receipt_date: null,
 * };
 * appendInventory(db, [stock, { ...stock, on_hand: 38, reason: "stock count" }]);
 * assert.deepEqual(readInventory(db, "2025-01-06", "2025-01-07").map((r) => r.on_hand), [38]);
 * db.close();
 * ```
 */
export function readInventory(db: DatabaseSync, from: string, to: string): InventoryRecord[] {
  const raw = latestRows(
    db,
    "inventory",
    "sku, date, on_hand, on_order, next_receipt_date, reason",
    from,
    to,
  );
  return rows(InventoryRecord, "inventory", raw);
}

/**
 * Competitor prices dated in [from, to), corrections applied, by SKU then date.
 *
 * @param db The store.
 * @param from First date, `YYYY-MM-DD` (inclusive).
 * @param to Last date, `YYYY-MM-DD` (exclusive).
 * @returns The competitor price records.
 *
 * @example Usage
 * ```ts
 * import { readCompetitorPrices } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendCompetitorPrices } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendCompetitorPrices(db, [
 *   { sku: "B2", date: "2025-01-06", competitor_price: 1.09 },
 *   { sku: "A1", date: "2025-01-06", competitor_price: 3.09 },
 * ]);
 * const skus = readCompetitorPrices(db, "2025-01-01", "2025-01-08").map((r) => r.sku);
 * assert.deepEqual(skus, ["A1", "B2"]);
 * db.close();
 * ```
 */
export function readCompetitorPrices(
  db: DatabaseSync,
  from: string,
  to: string,
): CompetitorPriceRecord[] {
  const raw = latestRows(db, "competitor_prices", "sku, date, competitor_price, reason", from, to);
  return rows(CompetitorPriceRecord, "competitor price", raw);
}

/**
 * The latest date with a sales record.
 *
 * @param db The store.
 * @returns The date, `YYYY-MM-DD`, or null when no sales are stored.
 *
 * @example Usage
 * ```ts
 * import { latestSalesDate } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendSales } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * assert.equal(latestSalesDate(db), null);
 * const sale = {
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * };
 * appendSales(db, [sale, { ...sale, date: "2025-01-07" }]);
 * assert.equal(latestSalesDate(db), "2025-01-07");
 * db.close();
 * ```
 */
export function latestSalesDate(
  db: DatabaseSync,
  options: { before?: string } = {},
): string | null {
  // The newest usable row (a row failing its checks, e.g. dated "2024-7-18", moves nothing).
  const r = statement(
    db,
    `SELECT date AS d FROM sales WHERE date < ? AND ${VALID_ROW.sales} ORDER BY date DESC LIMIT 1`,
  ).get(options.before ?? "9999");
  return (r?.d as string | null) ?? null;
}

/**
 * The earliest date with a sales record.
 *
 * @param db The store.
 * @returns The date, `YYYY-MM-DD`, or null when no sales are stored.
 *
 * @example Usage
 * ```ts
 * import { earliestSalesDate } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendSales } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * assert.equal(earliestSalesDate(db), null);
 * const sale = {
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * };
 * appendSales(db, [sale, { ...sale, date: "2025-01-07" }]);
 * assert.equal(earliestSalesDate(db), "2025-01-06");
 * db.close();
 * ```
 */
export function earliestSalesDate(db: DatabaseSync): string | null {
  const r = statement(
    db,
    `SELECT date AS d FROM sales WHERE date >= '0' AND ${VALID_ROW.sales} ORDER BY date LIMIT 1`,
  ).get();
  return (r?.d as string | null) ?? null;
}

/**
 * The simulator settings of a simulator-backed store (the latest recorded).
 *
 * @param db The store.
 * @returns The settings, or null when the store is not simulator-backed.
 * @throws {TypeError} When the stored settings fail {@linkcode SimConfigRow}.
 *
 * @example Usage
 * ```ts
 * import { readSimConfig } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendSimConfig } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * assert.equal(readSimConfig(db), null);
 * appendSimConfig(db, {
 *   scenario: {}, seed: 7, skus: 20, start_date: "2024-01-01", history_days: 365,
 * });
 * assert.equal(readSimConfig(db)?.seed, 7);
 * db.close();
 * ```
 */
export function readSimConfig(db: DatabaseSync): SimConfigRow | null {
  const r = statement(db, "SELECT * FROM sim_config ORDER BY id DESC LIMIT 1").get();
  if (!r) return null;
  return parseOrThrow(
    SimConfigRow,
    { ...r, scenario: JSON.parse(String(r.scenario)) },
    "read the simulator settings",
  );
}

/** Rows of an input table appended after row `afterId`, in the order recorded, with their ids. */
export interface AppendedRows<T> {
  /** The id of the last row returned, or `afterId` when none: the next read starts there. */
  lastId: number;
  /** The rows, in the order recorded, each with its row id. */
  rows: { id: number; record: T }[];
}

function appendedAfter<T extends z.ZodType>(
  db: DatabaseSync,
  table: "catalog" | "sales" | "inventory" | "competitor_prices",
  columns: string,
  schema: T,
  afterId: number,
  build: (r: unknown[]) => unknown,
): AppendedRows<z.infer<T>> {
  // Rows as arrays: the first read of a store brings millions, and objects per row
  // from SQLite cost twice as much as arrays.
  // (`setReturnArrays` is in Deno's node:sqlite but not yet in its type declarations.)
  // Every row comes back (the next read starts after the last id), with whether it passes
  // the write-time checks: one that fails (stored with them bypassed) is left out, and its
  // integers are read through safeInteger so that 2^63 − 1 cannot stop the statement.
  const safe = columns.split(",").map((c) => c.trim()).map((c) =>
    INTEGER_COLUMNS.has(c) ? `${safeInteger(c)} AS ${c}` : c
  ).join(", ");
  const query = statement(
    db,
    `SELECT id, ${VALID_ROW[table]} AS ok, ${safe} FROM ${table} WHERE id > ? ORDER BY id`,
  ) as
    & StatementSync
    & { setReturnArrays(enabled: boolean): void };
  query.setReturnArrays(true);
  const raw = query.all(afterId) as unknown as unknown[][];
  const out: AppendedRows<z.infer<T>>["rows"] = [];
  for (let i = 0; i < raw.length; i++) {
    const ok = raw[i][1];
    if (ok !== 1 && ok !== 1n) continue;
    // The builders index columns from 1, after the id.
    const row = raw[i].slice(1);
    row[0] = raw[i][0];
    out.push({
      id: Number(raw[i][0]),
      record: parseOrThrow(schema, build(row), `read ${table} row ${raw[i][0]}`),
    });
  }
  return { lastId: raw.length ? Number(raw[raw.length - 1][0]) : afterId, rows: out };
}

/** The integer columns of the input tables (read through `safeInteger`). */
const INTEGER_COLUMNS = new Set([
  "units",
  "returned_units",
  "promo",
  "on_hand",
  "on_order",
  "active",
  "key_value_item",
]);

/**
 * Catalog records recorded after row `afterId`: an incremental read that picks up
 * where the last one stopped.
 *
 * @param db The store.
 * @param afterId The `lastId` of the previous read, 0 the first time.
 * @returns The new rows and the id to continue from.
 *
 * @example Usage
 * ```ts
 * import { readCatalogAfter } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { appendCatalog } from "../write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [record]);
 * const first = readCatalogAfter(db, 0);
 * assert.equal(first.rows.length, 1);
 * appendCatalog(db, [{ ...record, effective_date: "2025-01-10" }]);
 * const next = readCatalogAfter(db, first.lastId);
 * assert.deepEqual(next.rows.map((r) => r.record.effective_date), ["2025-01-10"]);
 * db.close();
 * ```
 */
export function readCatalogAfter(db: DatabaseSync, afterId: number): AppendedRows<CatalogRecord> {
  return appendedAfter(
    db,
    "catalog",
    `sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
     max_daily_change, price_ending, active, reason, name, family, size, key_value_item`,
    CatalogRecord,
    afterId,
    (r) => ({
      sku: r[1],
      effective_date: r[2],
      category: r[3],
      unit_cost: r[4],
      floor_price: r[5],
      ceiling_price: r[6],
      min_margin: r[7],
      max_daily_change: r[8],
      price_ending: r[9],
      active: flag(r[10]),
      reason: r[11],
      name: r[12],
      family: r[13],
      size: r[14],
      key_value_item: flag(r[15]),
    }),
  );
}

/**
 * Per SKU, the shelf price of its latest sales row dated before `date` (corrections applied).
 *
 * @param db The store.
 * @param date Rows dated before it count, `YYYY-MM-DD`.
 * @param among Only these SKUs, looked up date by date from the newest (cheap when they
 * sold lately; every SKU's whole history is read without it).
 * @returns The last shelf price by SKU.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readLastShelfPrices } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const row = { sku: "A1", units: 4, revenue: 11.96, shelf_price: 2.99, promo: false };
 * appendSales(db, [{ ...row, date: "2025-01-01" }, { ...row, date: "2025-01-02", shelf_price: 3.19 }]);
 * assert.equal(readLastShelfPrices(db, "2025-01-02").get("A1"), 2.99);
 * assert.equal(readLastShelfPrices(db, "2025-01-03").get("A1"), 3.19);
 * assert.deepEqual([...readLastShelfPrices(db, "2025-01-03", ["A1", "B2"])], [["A1", 3.19]]);
 * ```
 */
export function readLastShelfPrices(
  db: DatabaseSync,
  date: string,
  among?: Iterable<string>,
): Map<string, number> {
  const first = statement(db, "SELECT min(date) AS d FROM sales").get()?.d;
  // Without a calendar date to start from (a row stored with its checks bypassed), every
  // row is read instead of walking back to the year 2000.
  if (among && typeof first === "string" && isIsoDate(first)) {
    const latest = latestBySku(db, "sales", "shelf_price", among, first, date);
    return new Map([...latest].map(([sku, r]) => [sku, Number(r.shelf_price)]));
  }
  const raw = statement(
    db,
    `SELECT sku, shelf_price FROM (
       SELECT sku, shelf_price, row_number() OVER (PARTITION BY sku ORDER BY date DESC, id DESC) AS rn
       FROM sales WHERE date < ? AND ${VALID_ROW.sales}) WHERE rn = 1`,
  ).all(date);
  return new Map(raw.map((r) => [String(r.sku), Number(r.shelf_price)]));
}

/**
 * SKUs with a sales row dated in [from, to). Given `among`, only those SKUs are looked
 * up, date by date from the newest (the same answer for them, cheaper than reading every
 * row of a long span when the catalog is large).
 *
 * @example Usage
 * ```ts
 * import { appendSales, openStore, readSkusWithSales } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * assert.deepEqual([...readSkusWithSales(db, "2025-01-06", "2025-01-07")], ["A1"]);
 * assert.equal(readSkusWithSales(db, "2025-01-07", "2025-01-08").size, 0);
 * assert.deepEqual([...readSkusWithSales(db, "2025-01-01", "2025-02-01", ["B2", "A1"])], ["A1"]);
 * ```
 */
export function readSkusWithSales(
  db: DatabaseSync,
  from: string,
  to: string,
  among?: Iterable<string>,
): Set<string> {
  if (among) return new Set(latestBySku(db, "sales", "date", among, from, to).keys());
  const raw = statement(
    db,
    `SELECT DISTINCT sku FROM sales WHERE date >= ? AND date < ? AND ${VALID_ROW.sales}`,
  ).all(from, to);
  return new Set(raw.map((r) => String(r.sku)));
}

/** Per SKU, the first date of its rows in an input table dated on or after `date`. */
export interface FutureRows {
  /** The input table. */
  table: "sales" | "inventory" | "competitor_prices";
  /** How many of its rows are dated on or after the date. */
  rows: number;
  /** At most `limit` SKUs, by SKU, with the first such date. */
  skus: { sku: string; date: string }[];
}

/**
 * Rows of the input tables dated on or after `date` (inputs a run of `date` must not read).
 *
 * @example Usage
 * ```ts
 * import { appendSales, openStore, readRowsFrom } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2099-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * assert.deepEqual(readRowsFrom(db, "2025-01-01")[0], {
 *   table: "sales", rows: 1, skus: [{ sku: "A1", date: "2099-01-06" }],
 * });
 * ```
 */
export function readRowsFrom(db: DatabaseSync, date: string, limit = 100): FutureRows[] {
  return (["sales", "inventory", "competitor_prices"] as const).map((table) => {
    const valid = VALID_ROW[table];
    const n = statement(db, `SELECT count(*) AS n FROM ${table} WHERE date >= ? AND ${valid}`)
      .get(date);
    const skus = statement(
      db,
      // `+sku`: through the date index (few rows), never a scan of the SKU index.
      `SELECT sku, min(date) AS date FROM ${table} WHERE date >= ? AND ${valid}
       GROUP BY +sku ORDER BY +sku LIMIT ?`,
    ).all(date, limit).map((r) => ({ sku: String(r.sku), date: String(r.date) }));
    return { table, rows: Number(n?.n ?? 0), skus };
  });
}
