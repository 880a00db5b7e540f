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

/**
 * The forecast pairs of dates in [from, to), by date then SKU, as `iterateForecastPairs`
 * gives them; dates kept from an earlier call are not read again unless their rows changed.
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
  const dates: DatePairs[] = [];
  for (let date = from; date < to; date = addDays(date, 1)) {
    if (!c.byDate.has(date)) {
      // Read the run of dates missing from here on in one pass.
      let end = addDays(date, 1);
      while (end < to && !c.byDate.has(end)) end = addDays(end, 1);
      readDates(c, db, date, end);
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
