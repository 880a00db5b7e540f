/**
 * The dunnhumby "Breakfast at the Frat" files turned into a weekly store's
 * contract files (`catalog.csv`, `sales.csv`). The data has no unit cost, no
 * guardrails, no inventory and no competitor prices, so:
 *
 * - a SKU is a (store, product) pair, `F<store>-<upc>`, named by the product's
 *   description; its category is the product's category (`product.csv`);
 * - a week is dated by its first day, a Thursday (the data's weeks end on Wednesday);
 * - the shelf price is `PRICE` ("actual amount charged for the product at shelf"),
 *   revenue is `SPEND`; a week with a feature (circular) or an in-store display is a
 *   promotion week, a temporary price reduction alone is a shelf-price move;
 * - a week without a row is a week without sales: from a SKU's first week with a row
 *   to the data's last week it gets a zero-sale row at its latest shelf price, unless
 *   it sold nothing in the data's last 13 weeks (then it was delisted: its rows end at
 *   its last sale and the catalog makes it inactive from the week after);
 * - the reference price is the median `BASE_PRICE` of the SKU's weeks, the unit cost
 *   70% of it (what the data set's notes suggest), the rest as `derivedTerms`.
 *
 * @module
 */
import { addDays } from "../util/date.ts";
import type { FratData, FratTransaction } from "./frat.ts";
import { cents, contractText, type ConvertedStore, derivedTerms, median } from "./real_store.ts";

/** Unit cost = this share of the reference (base) price. */
export const FRAT_COST_SHARE = 0.7;

/** Weeks without a sale at the end of the data after which a SKU counts as delisted. */
export const FRAT_DELISTED_WEEKS = 13;

/** Options of {@linkcode fratContractFiles}. */
export interface FratConvertOptions {
  /** Stores to keep: this many, those with the most rows first (then by id). Default: all. */
  stores?: number;
}

/**
 * Turns the loaded data set into a weekly store's contract files by the rules in the
 * module notes.
 *
 * @param data What `loadFrat` read.
 * @param options Which stores to keep.
 * @returns The files' text and a summary.
 * @throws {RangeError} When no row is left.
 *
 * @example Usage
 * ```ts
 * import { fratContractFiles } from "./frat_store.ts";
 * import type { FratData } from "./frat.ts";
 * import assert from "node:assert/strict";
 *
 * const row = {
 *   store_id: 367, upc_id: "1111009477", visits: 1, hhs: 1, base_price: 1.57, feature: 0,
 *   display: 0, tpr_only: 0,
 * } as const;
 * const data: FratData = {
 *   dir: "/data/frat",
 *   transactions: [
 *     { ...row, week_end_date: "2010-01-13", units: 13, spend: 18.07, price: 1.39 },
 *     // no row for the week ending 2010-01-20: nothing sold
 *     { ...row, week_end_date: "2010-01-27", units: 9, spend: 14.13, price: 1.57 },
 *   ],
 *   products: [{
 *     upc_id: "1111009477", description: "PL MINI TWIST PRETZELS", manufacturer: "PL",
 *     category: "BAG SNACKS", sub_category: "PRETZELS", product_size: "15 OZ",
 *   }],
 *   stores: [],
 * };
 * const { files, summary } = fratContractFiles(data);
 * assert.deepEqual(files["sales.csv"].trim().split("\n").slice(1), [
 *   "F367-1111009477,2010-01-07,13,18.07,1.39,false,0",
 *   "F367-1111009477,2010-01-14,0,0,1.39,false,0",
 *   "F367-1111009477,2010-01-21,9,14.13,1.57,false,0",
 * ]);
 * assert.equal(summary.weeks, 3);
 * ```
 */
export function fratContractFiles(
  data: FratData,
  options: FratConvertOptions = {},
): ConvertedStore {
  const stores = _chooseStores(data.transactions, options.stores);
  const keep = new Set(stores);
  const products = new Map(data.products.map((p) => [p.upc_id, p]));
  const bySku = new Map<string, FratTransaction[]>();
  const weeks = new Set<string>();
  for (const t of data.transactions) {
    weeks.add(t.week_end_date);
    if (!keep.has(t.store_id) || !products.has(t.upc_id)) continue;
    const sku = fratSku(t.store_id, t.upc_id);
    const list = bySku.get(sku);
    if (list) list.push(t);
    else bySku.set(sku, [t]);
  }
  if (bySku.size === 0) throw new RangeError("Cannot convert the Frat data: no rows left");
  // Every week from the first to the last (a week no store sold in still is one).
  const seen = [...weeks].sort();
  const allWeeks: string[] = [];
  for (let w = seen[0]; w <= seen[seen.length - 1]; w = addDays(w, 7)) allWeeks.push(w);
  const lastWeek = allWeeks[allWeeks.length - 1];
  const delistedBefore = allWeeks[Math.max(0, allWeeks.length - FRAT_DELISTED_WEEKS)];
  const sales: Record<string, unknown>[] = [];
  const catalog: Record<string, unknown>[] = [];
  let delisted = 0, zeroRows = 0;
  for (const sku of [...bySku.keys()].sort()) {
    const rows = bySku.get(sku)!.sort((a, b) => (a.week_end_date < b.week_end_date ? -1 : 1));
    const product = products.get(rows[0].upc_id)!;
    const lastSale = rows[rows.length - 1].week_end_date;
    const listed = lastSale >= delistedBefore;
    const end = listed ? lastWeek : lastSale;
    const byWeek = new Map(rows.map((r) => [r.week_end_date, r]));
    let price: number | null = null;
    for (const week of allWeeks) {
      if (week < rows[0].week_end_date || week > end) continue;
      const r = byWeek.get(week);
      const date = addDays(week, -6);
      const shelf = r ? _shelfPrice(r) : null;
      if (shelf !== null) price = shelf;
      if (price === null) continue;
      if (!r || shelf === null) zeroRows += r ? 0 : 1;
      sales.push({
        sku,
        date,
        units: r && shelf !== null ? r.units : 0,
        revenue: r && shelf !== null ? cents(r.spend) : 0,
        shelf_price: price,
        promo: r ? r.feature === 1 || r.display === 1 : false,
        returned_units: 0,
      });
    }
    const bases = rows.flatMap((r) => (r.base_price !== null ? [r.base_price] : []));
    const reference = median(bases.length ? bases : rows.map((r) => _shelfPrice(r) ?? 0));
    const terms = {
      sku,
      category: product.category,
      ...derivedTerms(reference, FRAT_COST_SHARE * reference),
      name: product.description.slice(0, 200),
    };
    catalog.push({ ...terms, effective_date: addDays(rows[0].week_end_date, -6), active: true });
    if (!listed) {
      delisted++;
      catalog.push({ ...terms, effective_date: addDays(lastSale, 1), active: false });
    }
  }
  const firstWeek = addDays(allWeeks[0], -6);
  return {
    files: {
      "catalog.csv": contractText("catalog", catalog),
      "sales.csv": contractText("sales", sales),
    },
    summary: {
      source: `dunnhumby "Breakfast at the Frat" (${data.dir})`,
      stores,
      skus: bySku.size,
      categories: [...new Set(catalog.map((c) => String(c.category)))].sort(),
      weeks: allWeeks.length,
      first_week: firstWeek,
      last_week: addDays(lastWeek, -6),
      rows: { catalog: catalog.length, sales: sales.length, zero_sale_weeks: zeroRows, delisted },
      week_start: "thursday",
      notes: [
        "a week without a row is a week without sales (zero-sale row at the latest shelf price)",
        `a SKU without sales in the last ${FRAT_DELISTED_WEEKS} weeks is delisted (inactive)`,
        `unit cost: ${FRAT_COST_SHARE} x the median base price`,
        "promotion: feature or display; a temporary price reduction alone is a shelf-price move",
      ],
    },
  };
}

/**
 * The SKU code of a (store, product).
 *
 * @param store The store id.
 * @param upc The product's UPC.
 * @returns E.g. `F367-1111009477`.
 *
 * @example Usage
 * ```ts
 * import { fratSku } from "./frat_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fratSku(367, "1111009477"), "F367-1111009477");
 * ```
 */
export function fratSku(store: number, upc: string): string {
  return `F${store}-${upc}`;
}

/** The week's shelf price: PRICE, else spend / units, else none (a row to skip). */
function _shelfPrice(r: FratTransaction): number | null {
  if (r.price !== null && r.price > 0) return r.price;
  if (r.units > 0 && r.spend > 0) return cents(r.spend / r.units);
  return null;
}

function _chooseStores(rows: readonly FratTransaction[], count: number | undefined): number[] {
  const n = new Map<number, number>();
  for (const r of rows) n.set(r.store_id, (n.get(r.store_id) ?? 0) + 1);
  const all = [...n.keys()].sort((a, b) => a - b);
  if (count === undefined || count >= all.length) return all;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot keep ${count} stores: expected a whole number >= 1`);
  }
  return [...all].sort((a, b) => n.get(b)! - n.get(a)! || a - b).slice(0, count).sort((a, b) =>
    a - b
  );
}
