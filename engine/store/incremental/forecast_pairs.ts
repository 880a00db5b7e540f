/**
 * Forecast pairs (what a run expected, what then sold) read incrementally: one
 * open connection keeps each date's pairs and re-reads a date only when a
 * sales, inventory or run row of that date was appended since (a correction,
 * the day's actuals, a new run). The result equals `readForecastPairs`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { connectionState } from "../connection_state.ts";
import { statement } from "../db.ts";
import { type ForecastPairRow, readForecastPairs } from "../read/monitoring.ts";
import { addDays } from "../../util/date.ts";

interface State {
  salesId: number;
  inventoryId: number;
  runEventId: number;
  byDate: Map<string, ForecastPairRow[]>;
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

/**
 * The forecast pairs of dates in [from, to), by date then SKU, as `readForecastPairs` gives them.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { cachedForecastPairs, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(cachedForecastPairs(db, "2025-01-01", "2025-01-31"), []);
 * ```
 */
export function cachedForecastPairs(db: DatabaseSync, from: string, to: string): ForecastPairRow[] {
  // Nothing is cached yet when the state is created, so nothing appended so far can be stale.
  const c = connectionState<State>(db, "forecast-pairs", () => ({
    salesId: lastRowId(db, "sales"),
    inventoryId: lastRowId(db, "inventory"),
    runEventId: lastRowId(db, "run_events"),
    byDate: new Map(),
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
  const out: ForecastPairRow[] = [];
  for (let date = from; date < to; date = addDays(date, 1)) {
    let pairs = c.byDate.get(date);
    if (!pairs) {
      // Read the run of dates missing from here on in one query.
      let end = addDays(date, 1);
      while (end < to && !c.byDate.has(end)) end = addDays(end, 1);
      const read = readForecastPairs(db, date, end);
      for (let d = date; d < end; d = addDays(d, 1)) c.byDate.set(d, []);
      for (const p of read) c.byDate.get(p.date)!.push(p);
      pairs = c.byDate.get(date)!;
    }
    for (const p of pairs) out.push(p);
  }
  return out;
}
