/**
 * Read-only queries of runs and their feature snapshots.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { SnapshotRow } from "../../schema/features.ts";
import { RunRecord } from "../../schema/run.ts";
import { addDays } from "../../util/date.ts";
import { latestSalesDate } from "./inputs.ts";
import { rows } from "./_rows.ts";

/** Runs, newest first, optionally for one date, at most `limit` (all by default) after `offset`. */
export function readRuns(
  db: DatabaseSync,
  options: { date?: string; limit?: number; offset?: number } = {},
): RunRecord[] {
  const raw = options.date
    ? statement(db, "SELECT * FROM v_runs WHERE run_date = ? ORDER BY run_date DESC, attempt DESC")
      .all(options.date)
    : statement(db, "SELECT * FROM v_runs ORDER BY run_date DESC, attempt DESC LIMIT ? OFFSET ?")
      .all(options.limit ?? -1, options.offset ?? 0);
  return rows(RunRecord, "run", raw, (r) => ({ ...r, details: JSON.parse(String(r.details)) }));
}

/** The stored feature snapshots of a run date, by SKU. */
export function readSnapshots(db: DatabaseSync, runDate: string): SnapshotRow[] {
  const raw = statement(
    db,
    "SELECT run_date, sku, snapshot_id, features FROM feature_snapshots WHERE run_date = ? ORDER BY sku",
  ).all(runDate);
  return rows(
    SnapshotRow,
    "feature snapshot",
    raw,
    (r) => ({ ...r, features: JSON.parse(String(r.features)) }),
  );
}

/** The latest run date with a succeeded run, or null. */
export function latestSucceededRunDate(db: DatabaseSync): string | null {
  const r = statement(db, "SELECT max(run_date) AS d FROM v_runs WHERE status = 'succeeded'").get();
  return (r?.d as string | null) ?? null;
}

/**
 * The date the next run prices: the day after the latest sales or the day after the
 * latest successful run, whichever is later (in a simulator-backed store a day's sales
 * are recorded only by the next day's run). Throws `RangeError` on a store without sales.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, defaultRunDate, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.throws(() => defaultRunDate(db), /no sales yet/);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 1, revenue: 2, avg_price: 2, promo: false, reason: "observed",
 * }]);
 * assert.equal(defaultRunDate(db), "2025-02-01");
 * ```
 */
export function defaultRunDate(db: DatabaseSync): string {
  const last = latestSalesDate(db);
  if (!last) throw new RangeError("Cannot choose a run date: the store has no sales yet");
  const next = addDays(last, 1);
  const lastRun = latestSucceededRunDate(db);
  return lastRun && addDays(lastRun, 1) > next ? addDays(lastRun, 1) : next;
}

/** The details a run recorded with its start (parsed JSON), or null when it has none. */
export function readRunStartDetails(db: DatabaseSync, runId: string): unknown {
  const r = statement(
    db,
    "SELECT details FROM run_events WHERE run_id = ? AND event = 'started' ORDER BY id LIMIT 1",
  ).get(runId);
  return r ? JSON.parse(String(r.details)) : null;
}

/** How many runs (attempts) the run log holds. */
export function countRuns(db: DatabaseSync): number {
  return Number(statement(db, "SELECT count(*) AS n FROM runs").get()?.n ?? 0);
}

/** The latest successful run (the latest date's), or null. */
export function latestSucceededRun(db: DatabaseSync): RunRecord | null {
  const raw = statement(
    db,
    `SELECT * FROM v_runs WHERE status = 'succeeded' ORDER BY run_date DESC, attempt DESC LIMIT 1`,
  ).all();
  return rows(
    RunRecord,
    "run",
    raw,
    (r) => ({ ...r, details: JSON.parse(String(r.details)) }),
  )[0] ??
    null;
}
