/**
 * The store's input rows (sales, inventory, competitor prices) read
 * incrementally, one reader per open connection: the first read loads every
 * row, later reads only the rows appended since. Same rows, same answers as a
 * fresh read with corrections applied. Consumers that keep state derived from
 * the rows (e.g. joined histories) subscribe to learn which SKUs changed from
 * which date.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CompetitorPriceRecord, InventoryRecord, SalesRecord } from "../../schema/inputs.ts";
import { connectionState } from "../connection_state.ts";
import { readCompetitorPricesAfter, readInventoryAfter, readSalesAfter } from "../read/inputs.ts";
import { DatedRows } from "./dated_rows.ts";

/** The input tables, each by SKU and date. */
export interface InputRows {
  /** Sales rows. */
  sales: DatedRows<SalesRecord>;
  /** Inventory rows. */
  inventory: DatedRows<InventoryRecord>;
  /** Competitor price rows. */
  competitor: DatedRows<CompetitorPriceRecord>;
  /**
   * A map the reader fills, from now on, with the earliest date of the rows appended for
   * each SKU (any input table); it starts with every SKU known so far, from its first row.
   * The subscriber deletes the entries it has dealt with.
   */
  subscribe(): Map<string, string>;
}

interface State extends InputRows {
  subscribers: Map<string, string>[];
}

/**
 * The input rows of `db`, brought up to date with every row appended since the last read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, cachedInputRows, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = { sku: "A", units: 3, revenue: 6, shelf_price: 2, promo: false, reason: "observed" };
 * appendSales(db, [{ ...sale, date: "2025-01-01" }]);
 * assert.equal(cachedInputRows(db).sales.between("2025-01-01", "2025-01-02").length, 1);
 * appendSales(db, [{ ...sale, date: "2025-01-01", units: 4, reason: "recount" }]);
 * assert.equal(cachedInputRows(db).sales.latest("A", "2025-01-01", "2025-01-02")?.units, 4);
 * ```
 */
export function cachedInputRows(db: DatabaseSync): InputRows {
  const state = connectionState<State>(db, "input-rows", () => {
    const s: State = {
      sales: new DatedRows(readSalesAfter),
      inventory: new DatedRows(readInventoryAfter),
      competitor: new DatedRows(readCompetitorPricesAfter),
      subscribers: [],
      subscribe() {
        const touched = new Map<string, string>();
        for (const table of [s.sales, s.inventory, s.competitor]) {
          for (const sku of table.skus()) touched.set(sku, "0000-01-01");
        }
        s.subscribers.push(touched);
        return touched;
      },
    };
    return s;
  });
  for (
    const table of [state.sales, state.inventory, state.competitor] as DatedRows<SalesRecord>[]
  ) {
    const added = table.refresh(db);
    for (const touched of state.subscribers) {
      for (const r of added) {
        const t = touched.get(r.sku);
        if (t === undefined || r.date < t) touched.set(r.sku, r.date);
      }
    }
  }
  return state;
}
