/**
 * Reading SKUs' history from the history blocks: the days of a span, joined
 * (sales, closing stock, competitor price), one {@linkcode Block} per SKU. A
 * year of one SKU is about a dozen small values, so the feature job reads what
 * a chunk of SKUs needs and nothing else.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { statement } from "../db.ts";
import { type Block, decodeBlocksWithin, HAS_SALES, monthOf, monthStart } from "./block.ts";

/**
 * The days in [fromDay, toDay) of each SKU, as one block per SKU (SKUs without a
 * day in the span are left out). Reads the blocks as of the last history sync
 * (see `syncHistory`).
 *
 * @param db The store.
 * @param skus The SKUs to read.
 * @param fromDay First day number of the span.
 * @param toDay Day number after its last day.
 * @returns The blocks by SKU, in the order of `skus`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readHistoryBlocks, syncHistory, toDayNumber } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = { sku: "A1", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false };
 * appendSales(db, [{ ...sale, date: "2025-01-31" }, { ...sale, date: "2025-02-01", units: 5 }]);
 * syncHistory(db);
 * const from = toDayNumber("2025-01-01");
 * const a1 = readHistoryBlocks(db, ["A1", "B2"], from, from + 60);
 * assert.deepEqual([...a1.get("A1")!.units], [3, 5]);
 * assert.equal(a1.has("B2"), false);
 * ```
 */
export function readHistoryBlocks(
  db: DatabaseSync,
  skus: readonly string[],
  fromDay: number,
  toDay: number,
): Map<string, Block> {
  const out = new Map<string, Block>();
  if (!(toDay > fromDay)) return out;
  const stored = storedMonths(db, skus, monthOf(fromDay), monthOf(toDay - 1), () => true);
  for (const sku of skus) {
    const months = stored.get(sku);
    if (!months) continue;
    const block = decodeBlocksWithin(months.map((m) => m.data!), fromDay, toDay);
    if (block.day.length) out.set(sku, block);
  }
  return out;
}

/** One stored month of a SKU: its count of sales days, and its packed days when asked for. */
interface StoredMonth {
  month: number;
  salesDays: number;
  data: Uint8Array | null;
}

/**
 * Each SKU's stored count of sales days summed over months [first, last] (SKUs without a
 * block there are left out), summed in SQL month by month over the SKUs' range.
 */
function salesDaysSums(
  db: DatabaseSync,
  skus: readonly string[],
  first: number,
  last: number,
): Map<string, number> {
  const out = new Map<string, number>();
  if (skus.length === 0 || last < first) return out;
  if (skus.length < LOOKUP_SKUS) {
    for (const [sku, months] of storedMonths(db, skus, first, last, () => false)) {
      out.set(sku, months.reduce((n, m) => n + m.salesDays, 0));
    }
    return out;
  }
  const wanted = new Set(skus);
  const months = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const sum = statement(
    db,
    `SELECT sku, sum(sales_days) AS n FROM history_blocks
     WHERE month IN (${months.map(() => "?").join(", ")}) AND sku BETWEEN ? AND ? GROUP BY sku`,
  );
  const [lo, hi] = skuRange(skus);
  for (const r of sum.iterate(...months, lo, hi)) {
    const sku = r.sku as string;
    if (wanted.has(sku)) out.set(sku, Number(r.n));
  }
  return out;
}

/** The least and the greatest of `skus` (not empty). */
function skuRange(skus: readonly string[]): [string, string] {
  let lo = skus[0], hi = skus[0];
  for (const sku of skus) {
    if (sku < lo) lo = sku;
    if (sku > hi) hi = sku;
  }
  return [lo, hi];
}

/** Below this many SKUs, each month of each SKU is looked up by its key. */
const LOOKUP_SKUS = 64;

/**
 * The stored months in [first, last] of each of `skus`, in month order, with the packed
 * days of the months `withData` asks for. The blocks are keyed by month then SKU, so a
 * chunk is read month by month over its range of SKUs (each page once); a few SKUs are
 * looked up by key.
 */
function storedMonths(
  db: DatabaseSync,
  skus: readonly string[],
  first: number,
  last: number,
  withData: (month: number) => boolean,
): Map<string, StoredMonth[]> {
  const out = new Map<string, StoredMonth[]>();
  if (skus.length === 0 || last < first) return out;
  const add = (sku: string, month: number, salesDays: unknown, data: unknown) => {
    const m = { month, salesDays: Number(salesDays), data: (data ?? null) as Uint8Array | null };
    const list = out.get(sku);
    if (list) list.push(m);
    else out.set(sku, [m]);
  };
  if (skus.length < LOOKUP_SKUS) {
    const one = statement(
      db,
      "SELECT sales_days, CASE WHEN ? THEN data END AS data FROM history_blocks WHERE month = ? AND sku = ?",
    );
    for (let month = first; month <= last; month++) {
      const data = withData(month) ? 1 : 0;
      for (const sku of skus) {
        const r = one.get(data, month, sku);
        if (r) add(sku, month, r.sales_days, r.data);
      }
    }
    return out;
  }
  const wanted = new Set(skus);
  const [lo, hi] = skuRange(skus);
  const range = statement(
    db,
    `SELECT sku, sales_days, CASE WHEN ? THEN data END AS data FROM history_blocks
     WHERE month = ? AND sku BETWEEN ? AND ?`,
  );
  (range as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  for (let month = first; month <= last; month++) {
    const data = withData(month) ? 1 : 0;
    for (const r of range.iterate(data, month, lo, hi) as Iterable<unknown[]>) {
      const sku = r[0] as string;
      if (wanted.has(sku)) add(sku, month, r[1], r[2]);
    }
  }
  return out;
}

/**
 * The SKUs with a history block in the months of [fromDay, toDay), sorted.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readHistorySkus, syncHistory, toDayNumber } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{ sku: "B2", date: "2025-01-31", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false }]);
 * syncHistory(db);
 * const day = toDayNumber("2025-01-31");
 * assert.deepEqual(readHistorySkus(db, day - 30, day + 1), ["B2"]);
 * assert.deepEqual(readHistorySkus(db, day + 40, day + 41), []);
 * ```
 */
export function readHistorySkus(db: DatabaseSync, fromDay: number, toDay: number): string[] {
  if (!(toDay > fromDay)) return [];
  return statement(
    db,
    "SELECT DISTINCT sku FROM history_blocks WHERE month BETWEEN ? AND ? ORDER BY sku",
  ).all(monthOf(fromDay), monthOf(toDay - 1)).map((r) => String(r.sku));
}

/**
 * Whether input rows were appended since the last history sync (then `syncHistory`
 * brings the blocks up to date).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, historyBehind, openStore, syncHistory } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(historyBehind(db), false);
 * appendSales(db, [{ sku: "B2", date: "2025-01-31", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false }]);
 * assert.equal(historyBehind(db), true);
 * syncHistory(db);
 * assert.equal(historyBehind(db), false);
 * ```
 */
export function historyBehind(db: DatabaseSync): boolean {
  const r = statement(
    db,
    `SELECT
       (SELECT coalesce(max(id), 0) FROM sales) > coalesce(s.sales_id, 0)
       OR (SELECT coalesce(max(id), 0) FROM inventory) > coalesce(s.inventory_id, 0)
       OR (SELECT coalesce(max(id), 0) FROM competitor_prices) > coalesce(s.competitor_id, 0)
       OR (SELECT coalesce(max(id), 0) FROM catalog) > coalesce(s.catalog_id, 0) AS behind
     FROM (SELECT 1) LEFT JOIN history_state s ON s.id = 1`,
  ).get()!;
  return Number(r.behind) === 1;
}

/** The last input row id of each input table the history blocks have read. */
export interface HistoryState {
  /** Of `sales`. */
  sales: number;
  /** Of `inventory`. */
  inventory: number;
  /** Of `competitor_prices`. */
  competitor_prices: number;
  /** Of `catalog`. */
  catalog: number;
}

/**
 * How far the history blocks have read each input table (all 0 before the first sync).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readHistoryState, syncHistory } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{ sku: "B2", date: "2025-01-31", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false }]);
 * syncHistory(db);
 * assert.deepEqual(readHistoryState(db), { sales: 1, inventory: 0, competitor_prices: 0, catalog: 0 });
 * ```
 */
export function readHistoryState(db: DatabaseSync): HistoryState {
  const r = statement(db, "SELECT * FROM history_state WHERE id = 1").get();
  return {
    sales: Number(r?.sales_id ?? 0),
    inventory: Number(r?.inventory_id ?? 0),
    competitor_prices: Number(r?.competitor_id ?? 0),
    catalog: Number(r?.catalog_id ?? 0),
  };
}

/** One SKU's recent days, and how many sales days it had before them in the window. */
export interface RecentHistory {
  /** Its days in [splitDay, toDay). */
  block: Block;
  /** Its sales days in [fromDay, splitDay), counted from the stored per-month counts. */
  salesDaysBefore: number;
}

/**
 * The days in [splitDay, toDay) of each SKU, unpacked, with the number of its sales days
 * in [fromDay, splitDay) counted without unpacking those months (each block's stored
 * count of sales days; only a month cut by `fromDay` is unpacked). For the days a run
 * reads when its elasticity fits are stored: the recent window's days, and the count of
 * sales days over the whole window. SKUs without a day in [splitDay, toDay) are left out.
 *
 * @param db The store.
 * @param skus The SKUs to read.
 * @param fromDay First day number of the window.
 * @param splitDay First day number unpacked: the first day of a month, after `fromDay`.
 * @param toDay Day number after the window's last day.
 * @returns The recent days and the earlier count, by SKU, in the order of `skus`.
 * @throws {RangeError} When `splitDay` is not a month's first day in (fromDay, toDay).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, monthStart, openStore, readRecentHistory, syncHistory, toDayNumber } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = { sku: "A1", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false };
 * appendSales(db, ["2024-12-30", "2025-01-10", "2025-02-03", "2025-03-04"].map((date) => ({ ...sale, date })));
 * syncHistory(db);
 * const from = toDayNumber("2024-12-31"), split = toDayNumber("2025-02-01");
 * const a1 = readRecentHistory(db, ["A1"], from, split, toDayNumber("2025-03-01")).get("A1")!;
 * assert.equal(a1.block.day.length, 1); // 2025-02-03
 * assert.equal(a1.salesDaysBefore, 1); // 2025-01-10 (2024-12-30 is before the window)
 * ```
 */
export function readRecentHistory(
  db: DatabaseSync,
  skus: readonly string[],
  fromDay: number,
  splitDay: number,
  toDay: number,
): Map<string, RecentHistory> {
  const splitMonth = monthOf(splitDay);
  if (!(fromDay < splitDay && splitDay < toDay) || monthStart(splitMonth) !== splitDay) {
    throw new RangeError(
      `Cannot read recent history split on day ${splitDay}: expected the first day of a month after day ${fromDay} and before day ${toDay}`,
    );
  }
  const firstMonth = monthOf(fromDay), lastMonth = monthOf(toDay - 1);
  const cut = monthStart(firstMonth) < fromDay; // the first month is partly before the window
  // Unpacked: the recent months, and a first month the window cuts; the months between,
  // their stored counts of sales days summed.
  const recent = storedMonths(db, skus, splitMonth, lastMonth, () => true);
  const cutMonth = cut ? storedMonths(db, skus, firstMonth, firstMonth, () => true) : null;
  const sums = salesDaysSums(db, skus, cut ? firstMonth + 1 : firstMonth, splitMonth - 1);
  const out = new Map<string, RecentHistory>();
  for (const sku of skus) {
    const months = recent.get(sku);
    if (!months) continue;
    const parts = months.map((m) => m.data!);
    let before = sums.get(sku) ?? 0;
    for (const m of cutMonth?.get(sku) ?? []) {
      const b = decodeBlocksWithin([m.data!], fromDay, splitDay);
      for (let i = 0; i < b.flags.length; i++) if (b.flags[i] & HAS_SALES) before++;
    }
    const block = decodeBlocksWithin(parts, splitDay, toDay);
    if (block.day.length) out.set(sku, { block, salesDaysBefore: before });
  }
  return out;
}
