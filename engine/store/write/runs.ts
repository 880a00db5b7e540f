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
 * Appends feature snapshots, one per run date and SKU.
 *
 * @param db A connection open for writing.
 * @param rows The snapshots.
 * @param featuresJson Each row's canonical features JSON when already computed
 * (`buildSnapshots` gives it); computed here when omitted.
 * @throws {RangeError} When `featuresJson` and `rows` differ in length.
 * @throws {Error} SQLite's constraint error when a (run date, SKU) is stored already.
 *
 * @example Usage
 * ```ts
 * import { appendSnapshots } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readSnapshots } from "../read/runs.ts";
 * import type { FeatureSnapshot } from "../../schema/features.ts";
 * import { contentHash } from "../../util/hash.ts";
 * import assert from "node:assert/strict";
 *
 * const features: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1.04, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const db = openStore(":memory:");
 * const row = { run_date: "2025-01-08", sku: "A1", snapshot_id: contentHash(features), features };
 * appendSnapshots(db, [row]);
 * assert.deepEqual(readSnapshots(db, "2025-01-08"), [row]);
 * db.close();
 * ```
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
  /** The run's id, unique in the store. */
  runId: string;
  /** The date it prices, `YYYY-MM-DD`. */
  runDate: string;
  /** 1 for the first run of the date, then 2, 3, …: (runDate, attempt) is unique. */
  attempt: number;
  /** The version of the code that runs. */
  codeVersion: string;
  /** The hash of the run's configuration. */
  configHash: string;
  /** Wall-clock time supplied by the caller (tasks/), or null. Never part of a digest. */
  recordedAt: string | null;
  /** Anything worth keeping with the `started` event (stored as canonical JSON). */
  details: Record<string, unknown>;
}

/**
 * Appends the run row and its `started` event.
 *
 * @param db A connection open for writing.
 * @param run What the run records.
 * @throws {Error} SQLite's constraint error when the run id, or the date and attempt, exist.
 *
 * @example Usage
 * ```ts
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readRuns } from "../read/runs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * assert.equal(readRuns(db)[0].status, "started");
 * db.close();
 * ```
 */
export function appendRunStart(db: DatabaseSync, run: RunStart): void {
  statement(
    db,
    "INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash, recorded_at) VALUES (?,?,?,?,?,?)",
  ).run(run.runId, run.runDate, run.attempt, run.codeVersion, run.configHash, run.recordedAt);
  appendRunEvent(db, run.runId, "started", run.details, run.recordedAt);
}

/**
 * Appends an event to a run's log; the latest event is the run's status.
 *
 * @param db A connection open for writing.
 * @param runId The run, which must exist.
 * @param event What happened.
 * @param details Anything worth keeping with it (stored as canonical JSON).
 * @param recordedAt Wall-clock time supplied by the caller, or null.
 *
 * @example Usage
 * ```ts
 * import { appendRunEvent, appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readRuns } from "../read/runs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendRunEvent(db, "run-1", "succeeded", { skus: 1 }, null);
 * const [run] = readRuns(db);
 * assert.equal(run.status, "succeeded");
 * assert.deepEqual(run.details, { skus: 1 });
 * db.close();
 * ```
 */
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

/**
 * Appends a link of the run chain (see `engine/pipeline/chain.ts`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendRunChainLink, appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readChainHash } from "../read/integrity.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const link = { run_id: "run-1", prev_hash: "0".repeat(64), hash: "a".repeat(64), payload: {} };
 * appendRunChainLink(db, link);
 * assert.equal(readChainHash(db, "run-1"), "a".repeat(64));
 * assert.throws(() => appendRunChainLink(db, link), /append-only/); // one link per run
 * db.close();
 * ```
 */
export function appendRunChainLink(
  db: DatabaseSync,
  link: { run_id: string; prev_hash: string; hash: string; payload: Record<string, unknown> },
): void {
  statement(db, "INSERT INTO run_chain (run_id, prev_hash, hash, payload) VALUES (?,?,?,?)").run(
    link.run_id,
    link.prev_hash,
    link.hash,
    canonicalJson(link.payload),
  );
}

/** A shard of a sharded run, as it commits. */
export interface RunShardRecord {
  /** The run (its start must exist). */
  runId: string;
  /** The shard, 1-based. */
  shard: number;
  /** How many shards the run has. */
  shards: number;
  /** SKUs the shard priced. */
  skus: number;
  /** What the shard read and skipped (stored as canonical JSON). */
  details: Record<string, unknown>;
  /** Wall-clock time supplied by the caller, or null. */
  recordedAt: string | null;
}

/**
 * Records that a shard of a run committed (once: a second record of the same shard is
 * refused by the table).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendRunShard, appendRunStart } from "./runs.ts";
 * import { readRunShards } from "../read/runs.ts";
 * import { openStore } from "../db.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: { shards: 2 },
 * });
 * appendRunShard(db, { runId: "run-1", shard: 2, shards: 2, skus: 10, details: {}, recordedAt: null });
 * assert.deepEqual(readRunShards(db, "run-1").map((s) => s.shard), [2]);
 * assert.throws(() =>
 *   appendRunShard(db, { runId: "run-1", shard: 2, shards: 2, skus: 10, details: {}, recordedAt: null })
 * );
 * ```
 */
export function appendRunShard(db: DatabaseSync, record: RunShardRecord): void {
  statement(
    db,
    `INSERT INTO run_shards (run_id, shard, shards, skus, details, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    record.runId,
    record.shard,
    record.shards,
    record.skus,
    canonicalJson(record.details),
    record.recordedAt,
  );
}
