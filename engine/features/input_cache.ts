/**
 * An incremental reader of the inputs, one per open store: the first read
 * loads every row, later reads only the rows appended since (by row id, so a
 * correction of an old date is seen too; the latest row per SKU and date
 * wins). It also keeps every SKU's joined history (sales with the day's
 * stockout flag and competitor price) as columns, re-joining a SKU only from
 * the earliest date its new rows touch. A rollback of the store drops the
 * cache. Same rows, same inputs: the result equals a fresh read and join.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { SkuHistory } from "../elasticity/estimate.ts";
import type { CompetitorPriceRecord, InventoryRecord, SalesRecord } from "../schema/inputs.ts";
import { onRollback } from "../store/db.ts";
import {
  type AppendedRows,
  readCompetitorPricesAfter,
  readInventoryAfter,
  readSalesAfter,
} from "../store/queries.ts";
import { toDayNumber } from "../util/date.ts";
import { skuHistories } from "./history.ts";
import { HistoryColumns } from "./history_columns.ts";

type Dated = { sku: string; date: string };

/** Index of the first record dated on or after `date` in a date-ordered list. */
export function lowerBound(list: readonly Dated[], date: string): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One table's rows by SKU, each list in date order with one row per date. */
class TableCache<T extends Dated> {
  lastId = 0;
  readonly bySku = new Map<string, T[]>();
  #skus: string[] | null = null;

  constructor(readonly read: (db: DatabaseSync, afterId: number) => AppendedRows<T>) {}

  /** Reads the rows appended since the last refresh; notes each SKU's earliest new date. */
  refresh(db: DatabaseSync, touched: Map<string, string>): void {
    const { lastId, rows } = this.read(db, this.lastId);
    for (const { record } of rows) {
      this.#put(record);
      const t = touched.get(record.sku);
      if (t === undefined || record.date < t) touched.set(record.sku, record.date);
    }
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

  /** Every SKU with a row, sorted. */
  skus(): readonly string[] {
    return this.#skus ??= [...this.bySku.keys()].sort();
  }

  /** The SKU's rows dated in [from, to). */
  of(sku: string, from: string, to: string): T[] {
    const list = this.bySku.get(sku);
    return list ? list.slice(lowerBound(list, from), lowerBound(list, to)) : [];
  }

  /** The SKU's latest row dated in [from, to), or null. */
  latest(sku: string, from: string, to: string): T | null {
    const list = this.bySku.get(sku);
    const i = list ? lowerBound(list, to) - 1 : -1;
    return i >= 0 && list![i].date >= from ? list![i] : null;
  }

  /** Rows dated in [from, to), by SKU then date. */
  between(from: string, to: string): T[] {
    const out: T[] = [];
    for (const sku of this.skus()) {
      const list = this.bySku.get(sku)!;
      for (let i = lowerBound(list, from); i < list.length && list[i].date < to; i++) {
        out.push(list[i]);
      }
    }
    return out;
  }
}

/** The cached inputs of one store. */
export interface CachedInputs {
  sales(from: string, to: string): SalesRecord[];
  inventory(from: string, to: string): InventoryRecord[];
  competitor(from: string, to: string): CompetitorPriceRecord[];
  /** SKUs with at least one sales row, sorted. */
  salesSkus(): readonly string[];
  /** A SKU's joined history of days in [fromDay, toDay), as views (empty when unknown). */
  history(sku: string, fromDay: number, toDay: number): SkuHistory;
  /** An identity of those rows: equal keys (in this process) mean equal rows. */
  historyKey(sku: string, fromDay: number, toDay: number): string;
  /** A SKU's inventory rows dated in [from, to). */
  inventoryOf(sku: string, from: string, to: string): InventoryRecord[];
  latestInventory(sku: string, from: string, to: string): InventoryRecord | null;
  /** Every SKU's latest inventory row dated in [from, to), by SKU. */
  latestInventories(from: string, to: string): InventoryRecord[];
  latestCompetitor(sku: string, from: string, to: string): CompetitorPriceRecord | null;
}

interface InputCache {
  sales: TableCache<SalesRecord>;
  inventory: TableCache<InventoryRecord>;
  competitor: TableCache<CompetitorPriceRecord>;
  histories: Map<string, HistoryColumns>;
}

const caches = new WeakMap<DatabaseSync, InputCache>();
const EMPTY = new HistoryColumns();

/** Re-joins the histories of `touched` SKUs from their earliest new date on. */
function rejoin(c: InputCache, touched: ReadonlyMap<string, string>): void {
  for (const [sku, date] of touched) {
    const sales = c.sales.bySku.get(sku);
    if (!sales) continue;
    let columns = c.histories.get(sku);
    if (!columns) c.histories.set(sku, columns = new HistoryColumns());
    columns.truncateFrom(toDayNumber(date));
    const end = "9999-12-31";
    const joined = skuHistories({
      sales: c.sales.of(sku, date, end),
      inventory: c.inventory.of(sku, date, end),
      competitor: c.competitor.of(sku, date, end),
    }).get(sku);
    if (joined) columns.append(joined);
  }
}

/** The cached inputs of `db`, brought up to date with every row appended since the last read. */
export function cachedInputs(db: DatabaseSync): CachedInputs {
  let cache = caches.get(db);
  if (!cache) {
    cache = {
      sales: new TableCache(readSalesAfter),
      inventory: new TableCache(readInventoryAfter),
      competitor: new TableCache(readCompetitorPricesAfter),
      histories: new Map(),
    };
    caches.set(db, cache);
    onRollback(db, () => caches.delete(db));
  }
  const c = cache;
  const touched = new Map<string, string>();
  c.sales.refresh(db, touched);
  c.inventory.refresh(db, touched);
  c.competitor.refresh(db, touched);
  rejoin(c, touched);
  return {
    sales: (from, to) => c.sales.between(from, to),
    inventory: (from, to) => c.inventory.between(from, to),
    competitor: (from, to) => c.competitor.between(from, to),
    salesSkus: () => c.sales.skus(),
    history: (sku, fromDay, toDay) => (c.histories.get(sku) ?? EMPTY).between(fromDay, toDay),
    historyKey: (sku, fromDay, toDay) => (c.histories.get(sku) ?? EMPTY).key(fromDay, toDay),
    inventoryOf: (sku, from, to) => c.inventory.of(sku, from, to),
    latestInventory: (sku, from, to) => c.inventory.latest(sku, from, to),
    latestInventories: (from, to) =>
      c.inventory.skus().flatMap((sku) => c.inventory.latest(sku, from, to) ?? []),
    latestCompetitor: (sku, from, to) => c.competitor.latest(sku, from, to),
  };
}
