/**
 * Read-only queries of one SKU over time: its catalog terms as recorded, and its
 * daily sales, competitor prices and closing stock (corrections applied: the
 * latest row per date wins).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import { statement } from "../db.ts";
import type { Infer } from "../../schema/common.ts";
import { CatalogRecord } from "../../schema/inputs.ts";
import { flag, rows } from "./_rows.ts";
import { VALID_ROW } from "./valid_rows.ts";
import { tableSpan } from "./_dates.ts";

/**
 * Every catalog record of a SKU, by effective date then recording order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSkuCatalog } from "./sku.ts";
 * import { openStore } from "../db.ts";
 * import { appendCatalog } from "../write/inputs.ts";
 *
 * const db = openStore(":memory:");
 * const row = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [
 *   { ...row, effective_date: "2025-03-01", unit_cost: 1.2 }, row, { ...row, sku: "B2" },
 * ]);
 * assert.deepEqual(readSkuCatalog(db, "A1").map((c) => c.unit_cost), [1, 1.2]);
 * db.close();
 * ```
 */
export function readSkuCatalog(db: DatabaseSync, sku: string): CatalogRecord[] {
  const raw = statement(
    db,
    `SELECT sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason
     FROM catalog WHERE sku = ? AND ${VALID_ROW.catalog} ORDER BY effective_date, id`,
  ).all(sku);
  return rows(CatalogRecord, "catalog", raw, (r) => ({ ...r, active: flag(r.active) }));
}

const /** @ignore */ _SkuDay = z.object({
  date: z.string(),
  /** Average price paid (the shelf price when nothing sold); null when no sales were recorded. */
  price: z.number().positive().nullable(),
  units: z.number().int().min(0).nullable(),
  promo: z.boolean(),
  competitor_price: z.number().positive().nullable(),
  on_hand: z.number().int().min(0).nullable(),
});
/** One day of a SKU: what sold at which shelf price, the competitor's price and the closing stock. */
export const SkuDay: typeof _SkuDay = _SkuDay;
/** The type {@linkcode SkuDay} parses to. */
export type SkuDay = Infer<typeof SkuDay>;

/**
 * A SKU's days in [from, to) that have a sales, competitor or inventory record, by date.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSkuDays } from "./sku.ts";
 * import { openStore } from "../db.ts";
 * import {
 *   appendCatalog, appendCompetitorPrices, appendInventory, appendSales,
 * } from "../write/inputs.ts";
 *
 * const db = openStore(":memory:");
 * const row = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [row]);
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-02", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * appendCompetitorPrices(db, [{ sku: "A1", date: "2025-01-03", competitor_price: 2.1 }]);
 * appendInventory(db, [{
 *   sku: "A1", date: "2025-01-02", on_hand: 40, on_order: 0, next_receipt_date: null,
 * }]);
 * const none = { price: null, units: null, promo: false, competitor_price: null, on_hand: null };
 * assert.deepEqual(readSkuDays(db, "A1", "2025-01-01", "2025-02-01"), [
 *   { ...none, date: "2025-01-02", price: 2, units: 3, on_hand: 40 },
 *   { ...none, date: "2025-01-03", competitor_price: 2.1 },
 * ]);
 * db.close();
 * ```
 */
export function readSkuDays(db: DatabaseSync, sku: string, from: string, to: string): SkuDay[] {
  const byDate = new Map<string, Record<string, unknown>>();
  const day = (date: string) => {
    let d = byDate.get(date);
    if (!d) {
      d = { date, price: null, units: null, promo: false, competitor_price: null, on_hand: null };
      byDate.set(date, d);
    }
    return d;
  };
  // Rows by date then id: a later row of the same date (a correction) overwrites the earlier.
  // Rows that fail the write-time checks (stored with them bypassed) are left out. The
  // tables are keyed by date then SKU: the SKU is looked up date by date.
  const onDates = (t: "sales" | "inventory" | "competitor_prices", columns: string) => {
    const span = tableSpan(db, t, from, to);
    if (!span) return [];
    // One statement: SQLite walks the dates and looks the SKU up on each.
    return statement(
      db,
      `WITH RECURSIVE d(day) AS (
         SELECT ? UNION ALL SELECT date(day, '+1 day') FROM d WHERE day < ?)
       SELECT ${columns} FROM d JOIN ${t} t ON t.date = d.day AND t.sku = ?
       WHERE ${VALID_ROW[t]} ORDER BY t.date, t.id`,
    ).all(span.first, span.last, sku);
  };
  for (const r of onDates("sales", "date, shelf_price, units, promo")) {
    Object.assign(day(String(r.date)), {
      price: r.shelf_price,
      units: r.units,
      promo: flag(r.promo),
    });
  }
  for (const r of onDates("competitor_prices", "date, competitor_price")) {
    day(String(r.date)).competitor_price = r.competitor_price;
  }
  for (const r of onDates("inventory", "date, on_hand")) day(String(r.date)).on_hand = r.on_hand;
  const sorted = [...byDate.values()].sort((a, b) =>
    (a.date as string) < (b.date as string) ? -1 : 1
  );
  return rows(SkuDay, "SKU day", sorted);
}
