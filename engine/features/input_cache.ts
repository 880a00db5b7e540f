/**
 * An incremental reader of the inputs, one per open store: the first read
 * loads every row, later reads only the rows appended since (by row id, so a
 * correction of an old date is seen too; the latest row per SKU and date
 * wins). A rollback of the store drops the cache. Same rows, same inputs: the
 * result equals a fresh read.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CompetitorPriceRecord, InventoryRecord, SalesRecord } from "../schema/inputs.ts";
import { onRollback } from "../store/db.ts";
import {
  type AppendedRows,
  readCompetitorPricesAfter,
  readInventoryAfter,
  readSalesAfter,
} from "../store/queries.ts";

type Dated = { sku: string; date: string };

/** One table's rows by SKU, each list in date order with one row per date. */
class TableCache<T extends Dated> {
  lastId = 0;
  readonly bySku = new Map<string, T[]>();
  #skus: string[] | null = null;

  constructor(readonly read: (db: DatabaseSync, afterId: number) => AppendedRows<T>) {}

  refresh(db: DatabaseSync): void {
    const { lastId, rows } = this.read(db, this.lastId);
    for (const { record } of rows) this.#put(record);
    this.lastId = lastId;
  }

  #put(r: T): void {
    let list = this.bySku.get(r.sku);
    if (!list) {
      this.bySku.set(r.sku, list = []);
      this.#skus = null;
    }
    const last = list[list.length - 1];
    if (!last || last.date < r.date) {
      list.push(r);
      return;
    }
    const i = lowerBound(list, r.date);
    if (i < list.length && list[i].date === r.date) list[i] = r;
    else list.splice(i, 0, r);
  }

  /** Rows dated in [from, to), by SKU then date. */
  between(from: string, to: string): T[] {
    this.#skus ??= [...this.bySku.keys()].sort();
    const out: T[] = [];
    for (const sku of this.#skus) {
      const list = this.bySku.get(sku)!;
      for (let i = lowerBound(list, from); i < list.length && list[i].date < to; i++) {
        out.push(list[i]);
      }
    }
    return out;
  }
}

function lowerBound(list: readonly Dated[], date: string): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface InputCache {
  sales: TableCache<SalesRecord>;
  inventory: TableCache<InventoryRecord>;
  competitor: TableCache<CompetitorPriceRecord>;
}

const caches = new WeakMap<DatabaseSync, InputCache>();

/** The cached inputs of `db`, brought up to date with every row appended since the last read. */
export function cachedInputs(db: DatabaseSync): {
  sales(from: string, to: string): SalesRecord[];
  inventory(from: string, to: string): InventoryRecord[];
  competitor(from: string, to: string): CompetitorPriceRecord[];
} {
  let cache = caches.get(db);
  if (!cache) {
    cache = {
      sales: new TableCache(readSalesAfter),
      inventory: new TableCache(readInventoryAfter),
      competitor: new TableCache(readCompetitorPricesAfter),
    };
    caches.set(db, cache);
    onRollback(db, () => caches.delete(db));
  }
  const c = cache;
  c.sales.refresh(db);
  c.inventory.refresh(db);
  c.competitor.refresh(db);
  return {
    sales: (from, to) => c.sales.between(from, to),
    inventory: (from, to) => c.inventory.between(from, to),
    competitor: (from, to) => c.competitor.between(from, to),
  };
}
