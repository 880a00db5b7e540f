/**
 * Per-SKU columnar histories from input records: sales joined with the day's
 * closing stock (a stockout censors sales) and the competitor's price. All
 * three inputs are sorted by SKU then date, so one merge pass joins them.
 *
 * @module
 */
import { emptySkuHistory, type SkuHistory } from "../elasticity/estimate.ts";
import type { CompetitorPriceRecord, InventoryRecord, SalesRecord } from "../schema/inputs.ts";
import { toDayNumber } from "../util/date.ts";

/** The records a join reads, each sorted by SKU then date with one row per SKU and day. */
export interface HistoryRecords {
  /** Daily sales: one history row per record. */
  sales: readonly SalesRecord[];
  /** End-of-day stock: a day that ended at zero is censored. */
  inventory: readonly InventoryRecord[];
  /** The competitor's prices: NaN on days without one. */
  competitor: readonly CompetitorPriceRecord[];
}

type Keyed = { sku: string; date: string };

const before = (a: Keyed, b: Keyed) => a.sku < b.sku || (a.sku === b.sku && a.date < b.date);

function assertSorted(list: readonly Keyed[], what: string): void {
  for (let i = 1; i < list.length; i++) {
    if (!before(list[i - 1], list[i])) {
      throw new RangeError(
        `Cannot join histories: ${what} are not sorted by SKU then date with one row per day (row ${i}: ${
          list[i].sku
        } ${list[i].date})`,
      );
    }
  }
}

/**
 * Joins the records into one {@linkcode SkuHistory} per SKU with sales, in date
 * order: each sales day gets the day's censoring flag (closing stock 0) and the
 * competitor's price (NaN when not observed).
 *
 * @param records Sales, inventory and competitor prices, each sorted by SKU then
 * date with one row per SKU and day (corrections already applied).
 * @returns The histories by SKU, in the order of the sales.
 * @throws {RangeError} When a list is not sorted or has two rows for a SKU and day.
 *
 * @example Usage
 * ```ts
 * import { skuHistories } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * const sale = {
 *   sku: "A1", units: 3, returned_units: 0, revenue: 8.97, shelf_price: 2.99, promo: false,
 *   reason: "observed",
 * };
 * const histories = skuHistories({
 *   sales: [{ ...sale, date: "2025-01-06" }, { ...sale, date: "2025-01-07" }],
 *   inventory: [{
 *     sku: "A1", date: "2025-01-07", on_hand: 0, on_order: 50, next_receipt_date: "2025-01-09",
 *     reason: "observed",
 *   }],
 *   competitor: [{ sku: "A1", date: "2025-01-06", competitor_price: 3.09, reason: "observed" }],
 * });
 * const a1 = histories.get("A1")!;
 * assert.deepEqual([...a1.censored], [0, 1]);
 * assert.deepEqual([...a1.competitor], [3.09, NaN]);
 * ```
 */
export function skuHistories(records: HistoryRecords): Map<string, SkuHistory> {
  const { sales, inventory: inv, competitor: comp } = records;
  assertSorted(sales, "sales");
  assertSorted(inv, "inventory records");
  assertSorted(comp, "competitor prices");
  const out = new Map<string, SkuHistory>();
  let a = 0, b = 0, start = 0;
  for (let i = 1; i <= sales.length; i++) {
    if (i < sales.length && sales[i].sku === sales[start].sku) continue;
    const n = i - start;
    const h: SkuHistory = emptySkuHistory(n);
    for (let j = 0; j < n; j++) {
      const r = sales[start + j];
      while (a < inv.length && before(inv[a], r)) a++;
      while (b < comp.length && before(comp[b], r)) b++;
      const stock = a < inv.length && inv[a].sku === r.sku && inv[a].date === r.date
        ? inv[a]
        : null;
      const rival = b < comp.length && comp[b].sku === r.sku && comp[b].date === r.date
        ? comp[b]
        : null;
      h.day[j] = toDayNumber(r.date);
      h.units[j] = r.units;
      h.price[j] = r.shelf_price;
      h.promo[j] = r.promo ? 1 : 0;
      h.censored[j] = stock?.on_hand === 0 ? 1 : 0;
      h.competitor[j] = rival?.competitor_price ?? NaN;
    }
    out.set(sales[start].sku, h);
    start = i;
  }
  return out;
}
