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
import { CatalogRecord } from "../../schema/inputs.ts";
import { flag, rows } from "./_rows.ts";

/** Every catalog record of a SKU, by effective date then recording order. */
export function readSkuCatalog(db: DatabaseSync, sku: string): CatalogRecord[] {
  const raw = statement(
    db,
    `SELECT sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason
     FROM catalog WHERE sku = ? ORDER BY effective_date, id`,
  ).all(sku);
  return rows(CatalogRecord, "catalog", raw, (r) => ({ ...r, active: flag(r.active) }));
}

/** One day of a SKU: what sold at which shelf price, the competitor's price and the closing stock. */
export const SkuDay = z.object({
  date: z.string(),
  /** Average price paid (the shelf price when nothing sold); null when no sales were recorded. */
  price: z.number().positive().nullable(),
  units: z.number().int().min(0).nullable(),
  promo: z.boolean(),
  competitor_price: z.number().positive().nullable(),
  on_hand: z.number().int().min(0).nullable(),
});
export type SkuDay = z.infer<typeof SkuDay>;

/** A SKU's days in [from, to) that have a sales, competitor or inventory record, by date. */
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
  const range = "WHERE sku = ? AND date >= ? AND date < ? ORDER BY date, id";
  for (
    const r of statement(db, `SELECT date, shelf_price, units, promo FROM sales ${range}`).all(
      sku,
      from,
      to,
    )
  ) {
    Object.assign(day(String(r.date)), {
      price: r.shelf_price,
      units: r.units,
      promo: flag(r.promo),
    });
  }
  for (
    const r of statement(db, `SELECT date, competitor_price FROM competitor_prices ${range}`).all(
      sku,
      from,
      to,
    )
  ) day(String(r.date)).competitor_price = r.competitor_price;
  for (
    const r of statement(db, `SELECT date, on_hand FROM inventory ${range}`).all(sku, from, to)
  ) {
    day(String(r.date)).on_hand = r.on_hand;
  }
  const sorted = [...byDate.values()].sort((a, b) =>
    (a.date as string) < (b.date as string) ? -1 : 1
  );
  return rows(SkuDay, "SKU day", sorted);
}
