/**
 * Forecast pairs kept per open connection, compactly: each run date's pairs as
 * columns (typed arrays, SKU, category and strategy as indexes into shared
 * lists; about 26 bytes a pair), re-read only when a sales, inventory or run
 * row of that date was appended since (a correction, the day's actuals, a new
 * run), and dropped once they fall before the window asked for. A process that
 * runs many dates (a backtest) reads each date's pairs about once; a fresh daily
 * process reads its window once. The pairs equal `iterateForecastPairs`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { connectionState } from "../connection_state.ts";
import { statement } from "../db.ts";
import { iterateForecastPairs } from "../read/forecast_pairs.ts";
import type { ForecastPairRow } from "../read/monitoring.ts";
import { addDays } from "../../util/date.ts";

const PROMO = 1, CENSORED = 2;

/** One date's pairs, by SKU, as columns. */
interface DatePairs {
  sku: Uint32Array;
  category: Uint32Array;
  strategy: Uint32Array;
  predicted: Float64Array;
  actual: Float64Array;
  flags: Uint8Array;
}

/** Each distinct string once, by index. */
class Pool {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();
  of(value: string): number {
    let i = this.#index.get(value);
    if (i === undefined) {
      this.#index.set(value, i = this.values.length);
      this.values.push(value);
    }
    return i;
  }
}

interface State {
  salesId: number;
  inventoryId: number;
  runEventId: number;
  byDate: Map<string, DatePairs>;
  skus: Pool;
  labels: Pool;
}

/**
 * Dates of rows appended after `afterId`, and the new last id. Grouped here, not in
 * SQL: with GROUP BY the planner scans the whole date index instead of the id range.
 */
function touched(
  db: DatabaseSync,
  sql: string,
  afterId: number,
): { dates: string[]; lastId: number } {
  const rows = statement(db, sql).all(afterId) as { date: string; id: number }[];
  let lastId = afterId;
  const dates = new Set<string>();
  for (const r of rows) {
    lastId = Math.max(lastId, Number(r.id));
    dates.add(r.date);
  }
  return { dates: [...dates], lastId };
}

const lastRowId = (db: DatabaseSync, table: string) =>
  Number(statement(db, `SELECT coalesce(max(id), 0) AS id FROM ${table}`).get()!.id);

/** Reads the pairs of dates in [from, to) into columns, one date at a time. */
function readDates(state: State, db: DatabaseSync, from: string, to: string): void {
  let date = from;
  let ps: ForecastPairRow[] = [];
  const flush = (until: string) => {
    // The date read, then the dates up to `until` without pairs.
    for (; date < until; date = addDays(date, 1), ps = []) {
      const n = ps.length;
      const c: DatePairs = {
        sku: new Uint32Array(n),
        category: new Uint32Array(n),
        strategy: new Uint32Array(n),
        predicted: new Float64Array(n),
        actual: new Float64Array(n),
        flags: new Uint8Array(n),
      };
      for (let i = 0; i < n; i++) {
        const p = ps[i];
        c.sku[i] = state.skus.of(p.sku);
        c.category[i] = state.labels.of(p.category);
        c.strategy[i] = state.labels.of(p.strategy);
        c.predicted[i] = p.predicted;
        c.actual[i] = p.actual;
        c.flags[i] = (p.promo ? PROMO : 0) | (p.censored ? CENSORED : 0);
      }
      state.byDate.set(date, c);
    }
  };
  for (const p of iterateForecastPairs(db, from, to)) {
    if (p.date !== date) flush(p.date);
    ps.push(p);
  }
  flush(to);
}

/** A date's pairs as stored in `forecast_pair_days`: its own lists of labels, then columns. */
function encodeDay(state: State, p: DatePairs): { labels: string; data: Uint8Array } {
  const n = p.sku.length;
  const local = new Pool();
  const category = new Uint32Array(n), strategy = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    category[i] = local.of(state.labels.values[p.category[i]]);
    strategy[i] = local.of(state.labels.values[p.strategy[i]]);
  }
  const labels = JSON.stringify({
    sku: Array.from(p.sku, (k) => state.skus.values[k]),
    label: local.values,
  });
  const data = new Uint8Array(n * 25);
  data.set(new Uint8Array(p.predicted.buffer, p.predicted.byteOffset, 8 * n), 0);
  data.set(new Uint8Array(p.actual.buffer, p.actual.byteOffset, 8 * n), 8 * n);
  data.set(new Uint8Array(category.buffer), 16 * n);
  data.set(new Uint8Array(strategy.buffer), 20 * n);
  data.set(p.flags, 24 * n);
  return { labels, data };
}

/** A stored date's pairs, or null when the row does not read back as written. */
function decodeDay(state: State, labelsText: string, data: Uint8Array): DatePairs | null {
  let labels: { sku?: unknown; label?: unknown };
  try {
    labels = JSON.parse(labelsText);
  } catch {
    return null;
  }
  const { sku, label } = labels;
  if (!Array.isArray(sku) || !Array.isArray(label)) return null;
  const n = sku.length;
  if (data.byteLength !== 25 * n || !sku.every(isText) || !label.every(isText)) return null;
  const copy = (from: number, bytes: number) => data.slice(from, from + bytes).buffer;
  const category = new Uint32Array(copy(16 * n, 4 * n));
  const strategy = new Uint32Array(copy(20 * n, 4 * n));
  const out: DatePairs = {
    sku: new Uint32Array(n),
    category: new Uint32Array(n),
    strategy: new Uint32Array(n),
    predicted: new Float64Array(copy(0, 8 * n)),
    actual: new Float64Array(copy(8 * n, 8 * n)),
    flags: data.slice(24 * n, 25 * n),
  };
  for (let i = 0; i < n; i++) {
    if (category[i] >= label.length || strategy[i] >= label.length) return null;
    out.sku[i] = state.skus.of(sku[i]);
    out.category[i] = state.labels.of(label[category[i]]);
    out.strategy[i] = state.labels.of(label[strategy[i]]);
  }
  return out;
}

const isText = (v: unknown): v is string => typeof v === "string";

/** The stored pairs of `date`, when no sales or inventory row of that date came after them. */
function keptDay(db: DatabaseSync, state: State, date: string): DatePairs | null {
  const row = statement(db, "SELECT * FROM forecast_pair_days WHERE run_date = ?").get(date);
  if (!row) return null;
  const newest = (table: string) =>
    Number(
      statement(db, `SELECT coalesce(max(id), 0) AS id FROM ${table} WHERE date = ?`)
        .get(date)!.id,
    );
  if (newest("sales") > Number(row.sales_id) || newest("inventory") > Number(row.inventory_id)) {
    return null;
  }
  return decodeDay(state, String(row.labels), row.data as Uint8Array);
}

/** Keeps a date's pairs with the last sales and inventory ids they were read at. */
function keepDay(db: DatabaseSync, state: State, date: string, p: DatePairs): void {
  const { labels, data } = encodeDay(state, p);
  statement(
    db,
    `INSERT OR REPLACE INTO forecast_pair_days (run_date, sales_id, inventory_id, labels, data)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(date, state.salesId, state.inventoryId, labels, data);
}

/** Options of {@linkcode cachedForecastPairs}. */
export interface CachedPairsOptions {
  /**
   * Also keep the pairs in the store (`forecast_pair_days`), and take a date's pairs from
   * there when no sales or inventory row of that date was appended since they were kept:
   * for a caller in a write transaction (the daily run's monitoring). Default false.
   */
  keep?: boolean;
}

/**
 * The forecast pairs of dates in [from, to), by date then SKU, as `iterateForecastPairs`
 * gives them; dates kept from an earlier call (or, with `keep`, in the store) are not read
 * again unless their rows changed. Dates with pairs are kept in the store with `keep`.
 *
 * @param db The store.
 * @param from First run date, `YYYY-MM-DD` (inclusive); kept dates before it are dropped.
 * @param to Last run date, `YYYY-MM-DD` (exclusive).
 * @returns The pairs (the dates are read when this is called; each pair is built as iterated).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { cachedForecastPairs, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual([...cachedForecastPairs(db, "2025-01-01", "2025-01-31")], []);
 * ```
 */
export function cachedForecastPairs(
  db: DatabaseSync,
  from: string,
  to: string,
  options: CachedPairsOptions = {},
): Iterable<ForecastPairRow> {
  // Nothing is kept yet when the state is created, so nothing appended so far can be stale.
  const c = connectionState<State>(db, "forecast-pairs", () => ({
    salesId: lastRowId(db, "sales"),
    inventoryId: lastRowId(db, "inventory"),
    runEventId: lastRowId(db, "run_events"),
    byDate: new Map(),
    skus: new Pool(),
    labels: new Pool(),
  }));
  const sales = touched(db, "SELECT date, id FROM sales WHERE id > ?", c.salesId);
  const inventory = touched(db, "SELECT date, id FROM inventory WHERE id > ?", c.inventoryId);
  const runs = touched(
    db,
    `SELECT r.run_date AS date, e.id AS id FROM run_events e JOIN runs r ON r.run_id = e.run_id
     WHERE e.id > ?`,
    c.runEventId,
  );
  for (const d of [...sales.dates, ...inventory.dates, ...runs.dates]) c.byDate.delete(d);
  c.salesId = sales.lastId;
  c.inventoryId = inventory.lastId;
  c.runEventId = runs.lastId;
  for (const d of c.byDate.keys()) if (d < from) c.byDate.delete(d);
  if (options.keep) {
    for (let date = from; date < to; date = addDays(date, 1)) {
      if (c.byDate.has(date)) continue;
      const kept = keptDay(db, c, date);
      if (kept) c.byDate.set(date, kept);
    }
  }
  const dates: DatePairs[] = [];
  for (let date = from; date < to; date = addDays(date, 1)) {
    if (!c.byDate.has(date)) {
      // Read the run of dates missing from here on in one pass.
      let end = addDays(date, 1);
      while (end < to && !c.byDate.has(end)) end = addDays(end, 1);
      readDates(c, db, date, end);
      if (options.keep) {
        for (let d = date; d < end; d = addDays(d, 1)) {
          const p = c.byDate.get(d)!;
          if (p.sku.length > 0) keepDay(db, c, d, p);
        }
      }
    }
    dates.push(c.byDate.get(date)!);
  }
  const { values: skus } = c.skus, { values: labels } = c.labels;
  return {
    *[Symbol.iterator]() {
      let date = from;
      for (const p of dates) {
        for (let i = 0; i < p.sku.length; i++) {
          yield {
            date,
            sku: skus[p.sku[i]],
            category: labels[p.category[i]],
            strategy: labels[p.strategy[i]],
            predicted: p.predicted[i],
            actual: p.actual[i],
            promo: (p.flags[i] & PROMO) !== 0,
            censored: (p.flags[i] & CENSORED) !== 0,
          };
        }
        date = addDays(date, 1);
      }
    },
  };
}
