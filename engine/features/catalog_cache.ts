/**
 * An incremental reader of the catalog, one per open store, like the input
 * cache: the first read loads every record, later reads only those appended
 * since. Each SKU's records are kept by effective date then recording order, so
 * the terms in force on a date are one binary search away. A rollback of the
 * store drops the cache. Same records, same answers as `readCatalogBefore` and
 * `readCatalogHistory`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CatalogRecord } from "../schema/inputs.ts";
import { onRollback } from "../store/db.ts";
import { readCatalogAfter } from "../store/queries.ts";

interface CatalogCache {
  lastId: number;
  bySku: Map<string, CatalogRecord[]>;
  skus: string[] | null;
}

const caches = new WeakMap<DatabaseSync, CatalogCache>();

/** Index of the first record effective on or after `date` (or after it, with `after`). */
function bound(list: readonly CatalogRecord[], date: string, after = false): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = list[mid].effective_date;
    if (d < date || (after && d === date)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cached catalog of `db`, brought up to date with every record appended since the last read. */
export function cachedCatalog(db: DatabaseSync): {
  /** Per SKU, the latest record effective before `date`, by SKU (`readCatalogBefore`). */
  before(date: string): CatalogRecord[];
  /** Every record effective before `date`, by SKU, effective date and recording (`readCatalogHistory`). */
  history(date: string): CatalogRecord[];
} {
  let c = caches.get(db);
  if (!c) {
    caches.set(db, c = { lastId: 0, bySku: new Map(), skus: null });
    onRollback(db, () => caches.delete(db));
  }
  const cache = c;
  const { lastId, rows } = readCatalogAfter(db, cache.lastId);
  for (const { record } of rows) {
    let list = cache.bySku.get(record.sku);
    if (!list) {
      cache.bySku.set(record.sku, list = []);
      cache.skus = null;
    }
    // After every record of the same or an earlier date: later recordings win ties.
    list.splice(bound(list, record.effective_date, true), 0, record);
  }
  cache.lastId = lastId;
  const skus = cache.skus ??= [...cache.bySku.keys()].sort();
  return {
    before(date) {
      const out: CatalogRecord[] = [];
      for (const sku of skus) {
        const list = cache.bySku.get(sku)!;
        const i = bound(list, date) - 1;
        if (i >= 0) out.push(list[i]);
      }
      return out;
    },
    history(date) {
      const out: CatalogRecord[] = [];
      for (const sku of skus) {
        const list = cache.bySku.get(sku)!;
        for (let i = 0, n = bound(list, date); i < n; i++) out.push(list[i]);
      }
      return out;
    },
  };
}
