/**
 * The catalog read incrementally, one reader per open connection: the first
 * read loads every record, later reads only those appended since. Each SKU's
 * records are kept by effective date then recording order, so the terms in
 * force on a date are one binary search away. Same records, same answers as
 * `readCatalogBefore` and `readCatalogHistory`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CatalogRecord } from "../../schema/inputs.ts";
import { connectionState } from "../connection_state.ts";
import { readCatalogAfter } from "../read/inputs.ts";
import { lowerBound } from "../../util/lower_bound.ts";

/** The catalog as of a date. */
export interface CachedCatalog {
  /** Per SKU, the latest record effective before `date`, by SKU (as `readCatalogBefore`). */
  before(date: string): CatalogRecord[];
  /**
   * Every record effective before `date`, by SKU, effective date and recording (as
   * `readCatalogHistory`); with `latest`, only each SKU's last `latest` of them.
   */
  history(date: string, latest?: number): CatalogRecord[];
}

interface State {
  lastId: number;
  bySku: Map<string, CatalogRecord[]>;
  skus: string[] | null;
}

/** Index of the first record effective on or after `date` (or after it, with `after`). */
function bound(list: readonly CatalogRecord[], date: string, after = false): number {
  return lowerBound(list.length, (i) => {
    const d = list[i].effective_date;
    return d < date || (after && d === date);
  });
}

/**
 * The catalog of `db`, brought up to date with every record appended since the last read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, cachedCatalog, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const terms = {
 *   sku: "A", category: "snacks", unit_cost: 1, floor_price: 1.5, ceiling_price: 3,
 *   min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const, active: true,
 * };
 * appendCatalog(db, [{ ...terms, effective_date: "2025-01-01", reason: "initial" }]);
 * appendCatalog(db, [{ ...terms, effective_date: "2025-02-01", unit_cost: 1.2, reason: "cost" }]);
 * assert.equal(cachedCatalog(db).before("2025-02-01")[0].unit_cost, 1);
 * assert.equal(cachedCatalog(db).before("2025-02-02")[0].unit_cost, 1.2);
 * ```
 */
export function cachedCatalog(db: DatabaseSync): CachedCatalog {
  const state = connectionState<State>(
    db,
    "catalog",
    () => ({ lastId: 0, bySku: new Map(), skus: null }),
  );
  const { lastId, rows } = readCatalogAfter(db, state.lastId);
  for (const { record } of rows) {
    let list = state.bySku.get(record.sku);
    if (!list) {
      state.bySku.set(record.sku, list = []);
      state.skus = null;
    }
    // After every record of the same or an earlier date: later recordings win ties.
    list.splice(bound(list, record.effective_date, true), 0, record);
  }
  state.lastId = lastId;
  const skus = state.skus ??= [...state.bySku.keys()].sort();
  return {
    before(date) {
      const out: CatalogRecord[] = [];
      for (const sku of skus) {
        const list = state.bySku.get(sku)!;
        const i = bound(list, date) - 1;
        if (i >= 0) out.push(list[i]);
      }
      return out;
    },
    history(date, latest = Infinity) {
      const out: CatalogRecord[] = [];
      for (const sku of skus) {
        const list = state.bySku.get(sku)!;
        const n = bound(list, date);
        for (let i = Math.max(0, n - latest); i < n; i++) out.push(list[i]);
      }
      return out;
    },
  };
}
