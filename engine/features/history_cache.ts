/**
 * Every SKU's joined history (sales with the day's stockout flag and the
 * competitor's price) kept as columns per open connection, built from the
 * store's incremental input reader: a SKU is re-joined only from the earliest
 * date its new rows touch. Same rows, same histories as a fresh read and join.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { SkuHistory } from "../elasticity/estimate.ts";
import { connectionState } from "../store/connection_state.ts";
import { cachedInputRows, type InputRows } from "../store/incremental/inputs.ts";
import { toDayNumber } from "../util/date.ts";
import { skuHistories } from "./history.ts";
import { HistoryColumns } from "./history_columns.ts";

/** Joined histories of one store. */
export interface CachedHistories {
  /** The input rows they were joined from, up to date. */
  rows: InputRows;
  /** A SKU's joined history of days in [fromDay, toDay), as views (empty when unknown). */
  history(sku: string, fromDay: number, toDay: number): SkuHistory;
  /** An identity of those rows: equal keys (in this process) mean equal rows. */
  historyKey(sku: string, fromDay: number, toDay: number): string;
}

interface State {
  touched: Map<string, string>;
  histories: Map<string, HistoryColumns>;
}

const EMPTY = new HistoryColumns();
const END = "9999-12-31";

/**
 * The joined histories of `db`, brought up to date with every input row appended since.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, cachedHistories, openStore, toDayNumber } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = { sku: "A", units: 3, revenue: 6, shelf_price: 2, promo: false, reason: "observed" };
 * appendSales(db, [{ ...sale, date: "2025-01-01" }, { ...sale, date: "2025-01-02" }]);
 * const day = toDayNumber("2025-01-01");
 * assert.deepEqual([...cachedHistories(db).history("A", day, day + 2).units], [3, 3]);
 * ```
 */
export function cachedHistories(db: DatabaseSync): CachedHistories {
  const rows = cachedInputRows(db);
  const state = connectionState<State>(db, "histories", () => ({
    touched: rows.subscribe(),
    histories: new Map(),
  }));
  for (const [sku, date] of state.touched) {
    if (rows.sales.has(sku)) rejoin(rows, state.histories, sku, date);
  }
  state.touched.clear();
  const of = (sku: string) => state.histories.get(sku) ?? EMPTY;
  return {
    rows,
    history: (sku, fromDay, toDay) => of(sku).between(fromDay, toDay),
    historyKey: (sku, fromDay, toDay) => of(sku).key(fromDay, toDay),
  };
}

/** Re-joins `sku`'s history from `date` on. */
function rejoin(
  rows: InputRows,
  histories: Map<string, HistoryColumns>,
  sku: string,
  date: string,
): void {
  let columns = histories.get(sku);
  if (!columns) histories.set(sku, columns = new HistoryColumns());
  else columns.truncateFrom(toDayNumber(date));
  const joined = skuHistories({
    sales: rows.sales.of(sku, date, END),
    inventory: rows.inventory.of(sku, date, END),
    competitor: rows.competitor.of(sku, date, END),
  }).get(sku);
  if (joined) columns.append(joined);
}
