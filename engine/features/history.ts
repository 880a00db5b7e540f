/**
 * Per-SKU columnar histories from input records: sales joined with the day's
 * closing stock (a stockout censors sales) and the competitor's price. All
 * three inputs are sorted by SKU then date, so one merge pass joins them.
 *
 * @module
 */
import type { SkuHistory } from "../elasticity/estimate.ts";
import type { CompetitorPriceRecord, InventoryRecord, SalesRecord } from "../schema/inputs.ts";
import { toDayNumber } from "../util/date.ts";

/** The records a join reads, each sorted by SKU then date with one row per SKU and day. */
export interface HistoryRecords {
  sales: readonly SalesRecord[];
  inventory: readonly InventoryRecord[];
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

/** Groups `records.sales` into one {@linkcode SkuHistory} per SKU, in date order. */
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
    const h: SkuHistory = {
      day: new Int32Array(n),
      units: new Float64Array(n),
      price: new Float64Array(n),
      promo: new Uint8Array(n),
      censored: new Uint8Array(n),
      competitor: new Float64Array(n),
    };
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
