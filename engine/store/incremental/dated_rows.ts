/**
 * One input table's rows by SKU, read incrementally: the first refresh reads
 * every row, later refreshes only the rows appended since (by row id, so a
 * correction of an old date is seen too). Each SKU's list is in date order
 * with one row per date: of several rows for one SKU and date, the last
 * recorded wins.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { AppendedRows } from "../read/inputs.ts";
import { lowerBound } from "../../util/lower_bound.ts";

/** A row of a SKU on a date. */
export type Dated = {
  /** The SKU. */
  sku: string;
  /** The date, `YYYY-MM-DD`. */
  date: string;
};

/** Index of the first record dated on or after `date` in a date-ordered list. */
const firstOnOrAfter = (list: readonly Dated[], date: string) =>
  lowerBound(list.length, (i) => list[i].date < date);

/** A table's rows by SKU, each list in date order with one row per date. */
export class DatedRows<T extends Dated> {
  #lastId = 0;
  readonly #bySku = new Map<string, T[]>();
  #skus: string[] | null = null;
  readonly #read: (db: DatabaseSync, afterId: number) => AppendedRows<T>;

  /** `read` returns the rows recorded after a row id, in recording order. */
  constructor(read: (db: DatabaseSync, afterId: number) => AppendedRows<T>) {
    this.#read = read;
  }

  /** Reads the rows appended since the last refresh; returns them in recording order. */
  refresh(db: DatabaseSync): T[] {
    const { lastId, rows } = this.#read(db, this.#lastId);
    const added: T[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      this.#put(added[i] = rows[i].record);
    }
    this.#lastId = lastId;
    return added;
  }

  #put(r: T): void {
    let list = this.#bySku.get(r.sku);
    if (!list) {
      this.#bySku.set(r.sku, list = []);
      this.#skus = null;
    }
    const last = list[list.length - 1];
    if (!last || last.date < r.date) {
      list.push(r);
      return;
    }
    const i = firstOnOrAfter(list, r.date);
    if (i < list.length && list[i].date === r.date) list[i] = r;
    else list.splice(i, 0, r);
  }

  /** Whether `sku` has a row. */
  has(sku: string): boolean {
    return this.#bySku.has(sku);
  }

  /** Every SKU with a row, sorted. */
  skus(): readonly string[] {
    return this.#skus ??= [...this.#bySku.keys()].sort();
  }

  /** The SKU's rows dated in [from, to). */
  of(sku: string, from: string, to: string): T[] {
    const list = this.#bySku.get(sku);
    return list ? list.slice(firstOnOrAfter(list, from), firstOnOrAfter(list, to)) : [];
  }

  /** The SKU's latest row dated in [from, to), or null. */
  latest(sku: string, from: string, to: string): T | null {
    const list = this.#bySku.get(sku);
    const i = list ? firstOnOrAfter(list, to) - 1 : -1;
    return i >= 0 && list![i].date >= from ? list![i] : null;
  }

  /** Rows dated in [from, to), by SKU then date. */
  between(from: string, to: string): T[] {
    const out: T[] = [];
    for (const sku of this.skus()) {
      const list = this.#bySku.get(sku)!;
      for (let i = firstOnOrAfter(list, from); i < list.length && list[i].date < to; i++) {
        out.push(list[i]);
      }
    }
    return out;
  }

  /** Per SKU (sorted), the latest row dated in [from, to). */
  latestEach(from: string, to: string): T[] {
    return this.skus().flatMap((sku) => this.latest(sku, from, to) ?? []);
  }
}
