/**
 * Read-only queries of the input data: catalog, sales, inventory, competitor
 * prices (by date range, latest, or appended after a row id) and the simulator
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
import { flag, rows } from "./_rows.ts";

/** Catalog attributes in force on `date`: per SKU the latest record effective before it. */
export function readCatalogBefore(db: DatabaseSync, date: string): CatalogRecord[] {
  const raw = statement(
    db,
    `SELECT sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason, family, size, key_value_item
     FROM (SELECT *, row_number() OVER (PARTITION BY sku ORDER BY effective_date DESC, id DESC) AS rn
           FROM catalog WHERE effective_date < ?)
     WHERE rn = 1 ORDER BY sku`,
  ).all(date);
  return rows(CatalogRecord, "catalog", raw, _catalogRow);
}

/** A catalog row as its record: flags as booleans. */
function _catalogRow(r: Record<string, unknown>) {
  return { ...r, active: flag(r.active), key_value_item: flag(r.key_value_item) };
}

/**
 * Rows of an input table dated in [from, to) by SKU then date, corrections
 * applied: of several rows for one SKU and date, the last recorded wins.
 */
function latestRows(
  db: DatabaseSync,
  table: "sales" | "inventory" | "competitor_prices",
  columns: string,
  from: string,
  to: string,
): Record<string, unknown>[] {
  const all = statement(
    db,
    `SELECT ${columns} FROM ${table} WHERE date >= ? AND date < ? ORDER BY sku, date, id`,
  ).all(from, to);
  const out: Record<string, unknown>[] = [];
  for (const r of all) {
    const prev = out[out.length - 1];
    if (prev && prev.sku === r.sku && prev.date === r.date) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

/** Every catalog record effective before `date`, by SKU, effective date and recording order. */
export function readCatalogHistory(db: DatabaseSync, date: string): CatalogRecord[] {
  const raw = statement(
    db,
    `SELECT sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason, family, size, key_value_item
     FROM catalog WHERE effective_date < ? ORDER BY sku, effective_date, id`,
  ).all(date);
  return rows(CatalogRecord, "catalog", raw, _catalogRow);
}

/** Sales dated in [from, to), corrections applied (the latest row per SKU and date), by SKU then date. */
export function readSales(db: DatabaseSync, from: string, to: string): SalesRecord[] {
  const raw = latestRows(
    db,
    "sales",
    "sku, date, units, revenue, avg_price, promo, reason",
    from,
    to,
  );
  return rows(SalesRecord, "sales", raw, (r) => ({
    sku: r.sku,
    date: r.date,
    units: r.units,
    revenue: r.revenue,
    avg_price: r.avg_price,
    promo: flag(r.promo),
    reason: r.reason,
  }));
}

/** End-of-day inventory dated in [from, to), corrections applied, by SKU then date. */
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

/** Competitor prices dated in [from, to), corrections applied, by SKU then date. */
export function readCompetitorPrices(
  db: DatabaseSync,
  from: string,
  to: string,
): CompetitorPriceRecord[] {
  const raw = latestRows(db, "competitor_prices", "sku, date, competitor_price, reason", from, to);
  return rows(CompetitorPriceRecord, "competitor price", raw);
}

/** The latest date with a sales record, or null in an empty store. */
export function latestSalesDate(db: DatabaseSync): string | null {
  const r = statement(db, "SELECT max(date) AS d FROM sales").get();
  return (r?.d as string | null) ?? null;
}

/** The earliest date with a sales record, or null in an empty store. */
export function earliestSalesDate(db: DatabaseSync): string | null {
  const r = statement(db, "SELECT min(date) AS d FROM sales").get();
  return (r?.d as string | null) ?? null;
}

/** The simulator settings of a simulator-backed store (the latest), or null. */
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
  lastId: number;
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
  const query = statement(db, `SELECT id, ${columns} FROM ${table} WHERE id > ? ORDER BY id`) as
    & StatementSync
    & { setReturnArrays(enabled: boolean): void };
  query.setReturnArrays(true);
  const raw = query.all(afterId) as unknown as unknown[][];
  const out: AppendedRows<z.infer<T>>["rows"] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    out[i] = {
      id: Number(raw[i][0]),
      record: parseOrThrow(schema, build(raw[i]), `read ${table} row ${i + 1} after id ${afterId}`),
    };
  }
  return { lastId: out.length ? out[out.length - 1].id : afterId, rows: out };
}

/** Catalog records recorded after row `afterId` (an incremental read). */
export function readCatalogAfter(db: DatabaseSync, afterId: number): AppendedRows<CatalogRecord> {
  return appendedAfter(
    db,
    "catalog",
    `sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
     max_daily_change, price_ending, active, reason, family, size, key_value_item`,
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
      family: r[12],
      size: r[13],
      key_value_item: flag(r[14]),
    }),
  );
}

/** Sales rows recorded after row `afterId` (an incremental read; corrections included). */
export function readSalesAfter(db: DatabaseSync, afterId: number): AppendedRows<SalesRecord> {
  return appendedAfter(
    db,
    "sales",
    "sku, date, units, revenue, avg_price, promo, reason",
    SalesRecord,
    afterId,
    (r) => ({
      sku: r[1],
      date: r[2],
      units: r[3],
      revenue: r[4],
      avg_price: r[5],
      promo: flag(r[6]),
      reason: r[7],
    }),
  );
}

/** Inventory rows recorded after row `afterId`. */
export function readInventoryAfter(
  db: DatabaseSync,
  afterId: number,
): AppendedRows<InventoryRecord> {
  return appendedAfter(
    db,
    "inventory",
    "sku, date, on_hand, on_order, next_receipt_date, reason",
    InventoryRecord,
    afterId,
    (r) => ({
      sku: r[1],
      date: r[2],
      on_hand: r[3],
      on_order: r[4],
      next_receipt_date: r[5],
      reason: r[6],
    }),
  );
}

/** Competitor price rows recorded after row `afterId`. */
export function readCompetitorPricesAfter(
  db: DatabaseSync,
  afterId: number,
): AppendedRows<CompetitorPriceRecord> {
  return appendedAfter(
    db,
    "competitor_prices",
    "sku, date, competitor_price, reason",
    CompetitorPriceRecord,
    afterId,
    (r) => ({ sku: r[1], date: r[2], competitor_price: r[3], reason: r[4] }),
  );
}

/** Per SKU, the latest inventory record dated in [since, date) (corrections applied). */
export function readLatestInventory(
  db: DatabaseSync,
  date: string,
  since: string,
): InventoryRecord[] {
  const raw = statement(
    db,
    `SELECT sku, date, on_hand, on_order, next_receipt_date, reason FROM (
       SELECT *, row_number() OVER (PARTITION BY sku ORDER BY date DESC, id DESC) AS rn
       FROM inventory WHERE date >= ? AND date < ?) WHERE rn = 1 ORDER BY sku`,
  ).all(since, date);
  return rows(InventoryRecord, "inventory", raw, ({ rn: _rn, id: _id, ...r }) => r);
}
