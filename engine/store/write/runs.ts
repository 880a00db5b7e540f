/**
 * Writes of a run: its feature snapshots, its row and its event log.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import type { SnapshotRow } from "../../schema/features.ts";
import { canonicalJson } from "../../util/hash.ts";

/**
 * Appends feature snapshots (one per run date and SKU). `featuresJson`, when given,
 * is each row's canonical features JSON already computed (`buildSnapshots` gives it).
 */
export function appendSnapshots(
  db: DatabaseSync,
  rows: readonly SnapshotRow[],
  featuresJson?: readonly string[],
): void {
  if (featuresJson && featuresJson.length !== rows.length) {
    throw new RangeError(
      `Cannot append ${rows.length} snapshots with ${featuresJson.length} features JSON texts`,
    );
  }
  const stmt = statement(
    db,
    "INSERT INTO feature_snapshots (run_date, sku, snapshot_id, features) VALUES (?,?,?,?)",
  );
  rows.forEach((r, i) =>
    stmt.run(r.run_date, r.sku, r.snapshot_id, featuresJson?.[i] ?? canonicalJson(r.features))
  );
}

/** What a run records when it starts. */
export interface RunStart {
  runId: string;
  runDate: string;
  attempt: number;
  codeVersion: string;
  configHash: string;
  /** Wall-clock time supplied by the caller (tasks/), or null. Never part of a digest. */
  recordedAt: string | null;
  details: Record<string, unknown>;
}

/** Appends the run row and its `started` event. */
export function appendRunStart(db: DatabaseSync, run: RunStart): void {
  statement(
    db,
    "INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash, recorded_at) VALUES (?,?,?,?,?,?)",
  ).run(run.runId, run.runDate, run.attempt, run.codeVersion, run.configHash, run.recordedAt);
  appendRunEvent(db, run.runId, "started", run.details, run.recordedAt);
}

/** Appends an event to a run's log. */
export function appendRunEvent(
  db: DatabaseSync,
  runId: string,
  event: "started" | "succeeded" | "failed",
  details: Record<string, unknown>,
  recordedAt: string | null,
): void {
  statement(db, "INSERT INTO run_events (run_id, event, details, recorded_at) VALUES (?,?,?,?)")
    .run(runId, event, canonicalJson(details), recordedAt);
}
