/**
 * Read-only queries of runs and their feature snapshots.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { SnapshotRow } from "../../schema/features.ts";
import { RunRecord } from "../../schema/run.ts";
import { rows } from "./_rows.ts";

/** Runs, newest first, optionally for one date. */
export function readRuns(db: DatabaseSync, options: { date?: string } = {}): RunRecord[] {
  const raw = options.date
    ? statement(db, "SELECT * FROM v_runs WHERE run_date = ? ORDER BY run_date DESC, attempt DESC")
      .all(options.date)
    : statement(db, "SELECT * FROM v_runs ORDER BY run_date DESC, attempt DESC").all();
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
