/**
 * Forecast pairs (what a run expected, what then sold) for the monitoring
 * stage, read incrementally: one open store keeps each date's pairs and
 * re-reads a date only when a sales, inventory or run row of that date was
 * appended since (a correction, the day's actuals, a new run). A rollback of
 * the store drops the cache. The result equals `readForecastPairs`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { ForecastPairRow } from "../store/read/monitoring.ts";
import { onRollback, statement } from "../store/db.ts";
import { readForecastPairs } from "../store/queries.ts";
import { addDays } from "../util/date.ts";

interface PairCache {
  salesId: number;
  inventoryId: number;
  runEventId: number;
  byDate: Map<string, ForecastPairRow[]>;
}

const caches = new WeakMap<DatabaseSync, PairCache>();

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

/** The forecast pairs of dates in [from, to), by date then SKU, as `readForecastPairs` gives them. */
export function cachedForecastPairs(db: DatabaseSync, from: string, to: string): ForecastPairRow[] {
  let cache = caches.get(db);
  if (!cache) {
    // Nothing is cached yet, so nothing appended so far can be stale.
    const last = (table: string) =>
      Number(statement(db, `SELECT coalesce(max(id), 0) AS id FROM ${table}`).get()!.id);
    cache = {
      salesId: last("sales"),
      inventoryId: last("inventory"),
      runEventId: last("run_events"),
      byDate: new Map(),
    };
    caches.set(db, cache);
    onRollback(db, () => caches.delete(db));
  }
  const c = cache;
  const sales = touched(
    db,
    "SELECT date, id FROM sales WHERE id > ?",
    c.salesId,
  );
  const inventory = touched(
    db,
    "SELECT date, id FROM inventory WHERE id > ?",
    c.inventoryId,
  );
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
