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
import { InputError } from "../../util/errors.ts";
import { latestSalesDate } from "./inputs.ts";
import { readClosedDays, readPricingPeriod } from "./imports.ts";
import { addPeriods, periodStartOf, type PricingPeriod } from "../../util/period.ts";
import { rows } from "./_rows.ts";

/**
 * Runs as the run log shows them (view `v_runs`: each run with its latest event),
 * by run date then attempt, newest first.
 *
 * @param db The store.
 * @param options `date`: only the runs of that date (default: all); at most `limit` runs
 * (default all) after skipping `offset`.
 * @returns The runs.
 *
 * @example Usage
 * ```ts
 * import { readRuns } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunEvent, appendRunStart } from "../write/runs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendRunEvent(db, "run-1", "failed", { error: "no sales for 2025-01-07" }, null);
 * assert.deepEqual(readRuns(db, { date: "2025-01-08" }).map((r) => r.status), ["failed"]);
 * assert.deepEqual(readRuns(db, { date: "2025-01-09" }), []);
 * db.close();
 * ```
 */
export function readRuns(
  db: DatabaseSync,
  options: { date?: string; limit?: number; offset?: number } = {},
): RunRecord[] {
  const raw = options.date
    ? statement(db, "SELECT * FROM v_runs WHERE run_date = ? ORDER BY run_date DESC, attempt DESC")
      .all(options.date)
    : statement(db, "SELECT * FROM v_runs ORDER BY run_date DESC, attempt DESC LIMIT ? OFFSET ?")
      .all(options.limit ?? -1, options.offset ?? 0);
  return rows(RunRecord, "run", raw, (r) => ({ ...r, details: _details(r.details) }));
}

/**
 * An event's stored details as an object; text that is not a JSON object (a forged or
 * damaged event) reads as `{ unreadable: text }` so that one event cannot stop a read.
 */
function _details(text: unknown): Record<string, unknown> {
  try {
    const value = JSON.parse(String(text));
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  return { unreadable: String(text) };
}

/**
 * The attempt number and run id of the next run of `runDate`: one past every attempt
 * recorded for the date (with or without events), skipping a run id already taken.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextRunAttempt } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(nextRunAttempt(db, "2025-01-08"), { attempt: 1, runId: "2025-01-08#1" });
 * appendRunStart(db, {
 *   runId: "2025-01-08#2", runDate: "2025-01-08", attempt: 1, codeVersion: "dev",
 *   configHash: "c0", recordedAt: null, details: {},
 * });
 * assert.deepEqual(nextRunAttempt(db, "2025-01-08"), { attempt: 3, runId: "2025-01-08#3" });
 * ```
 */
export function nextRunAttempt(
  db: DatabaseSync,
  runDate: string,
): { attempt: number; runId: string } {
  const taken = statement(
    db,
    `SELECT run_id, CASE WHEN attempt BETWEEN 0 AND 1000000000 THEN attempt ELSE 0 END AS attempt
     FROM runs WHERE run_date = ? OR run_id LIKE ? ESCAPE '\\'`,
  ).all(runDate, `${runDate.replaceAll(/[%_\\]/g, "\\$&")}#%`);
  const ids = new Set(taken.map((r) => String(r.run_id)));
  let attempt = 1;
  for (const r of taken) attempt = Math.max(attempt, Number(r.attempt) + 1);
  while (ids.has(`${runDate}#${attempt}`)) attempt++;
  return { attempt, runId: `${runDate}#${attempt}` };
}

/**
 * The feature snapshots stored for a run date, by SKU.
 *
 * @param db The store.
 * @param runDate The run date, `YYYY-MM-DD`.
 * @returns The snapshots (none when the date was never run).
 * @throws {TypeError} When a stored snapshot fails {@linkcode SnapshotRow}.
 *
 * @example Usage
 * ```ts
 * import { readSnapshots } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendSnapshots } from "../write/runs.ts";
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
 * const snapshotId = contentHash(features);
 * appendSnapshots(db, [{ run_date: "2025-01-08", sku: "A1", snapshot_id: snapshotId, features }]);
 * assert.equal(readSnapshots(db, "2025-01-08")[0].features.elasticity, -1.8);
 * db.close();
 * ```
 */
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

/**
 * The latest run date with a succeeded run, or null.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { latestSucceededRunDate } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunEvent, appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * assert.equal(latestSucceededRunDate(db), null); // started, not succeeded
 * appendRunEvent(db, "run-1", "succeeded", {}, null);
 * assert.equal(latestSucceededRunDate(db), "2025-01-08");
 * db.close();
 * ```
 */
export function latestSucceededRunDate(db: DatabaseSync): string | null {
  const r = statement(db, "SELECT max(run_date) AS d FROM v_runs WHERE status = 'succeeded'").get();
  return (r?.d as string | null) ?? null;
}

/**
 * The date the next run prices: the day after the latest sales (dated on or before
 * `options.asOf`, when given, so that a row dated in the future never moves it) or the
 * day after the latest succeeded run, whichever is later (in a simulator-backed store a
 * day's sales are recorded only by the next day's run); closed days of the trading
 * calendar are skipped. On a weekly store: the week after the latest week with sales that
 * ended by `asOf`, or after the latest succeeded run, whichever is later. Throws
 * `InputError` on a store without sales.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, defaultRunDate, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.throws(() => defaultRunDate(db), /no sales yet/);
 * const sale = { sku: "A", units: 1, revenue: 2, shelf_price: 2, promo: false };
 * appendSales(db, [{ ...sale, date: "2025-01-31" }, { ...sale, date: "2099-01-01" }]);
 * assert.equal(defaultRunDate(db, { asOf: "2025-02-01" }), "2025-02-01");
 * ```
 */
export function defaultRunDate(db: DatabaseSync, options: { asOf?: string } = {}): string {
  const period = readPricingPeriod(db);
  if (period.kind === "week") return nextWeek(db, period, options.asOf);
  const last = latestSalesDate(
    db,
    options.asOf === undefined ? {} : { before: addDays(options.asOf, 1) },
  );
  if (!last) throw new InputError("Cannot choose a run date: the store has no sales yet");
  const lastRun = latestSucceededRunDate(db);
  let next = addDays(last, 1);
  if (lastRun && addDays(lastRun, 1) > next) next = addDays(lastRun, 1);
  const closed = new Set(readClosedDays(db, next, addDays(next, 60)));
  while (closed.has(next)) next = addDays(next, 1);
  return next;
}

/**
 * A weekly store's next run date: the week after the latest week with sales that ended by
 * `asOf` (any week without it), or after the latest succeeded run when that is later.
 */
function nextWeek(db: DatabaseSync, period: PricingPeriod, asOf?: string): string {
  const last = latestSalesDate(
    db,
    asOf === undefined ? {} : { before: addDays(asOf, 1 - (period.days - 1)) },
  );
  if (!last) throw new InputError("Cannot choose a run date: the store has no sales yet");
  let next = addPeriods(period, periodStartOf(period, last), 1);
  const lastRun = latestSucceededRunDate(db);
  if (lastRun && addPeriods(period, lastRun, 1) > next) next = addPeriods(period, lastRun, 1);
  return next;
}

/**
 * The details a run recorded with its start (parsed JSON), or null when it has none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRunStartDetails } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: { model_version: null },
 * });
 * assert.deepEqual(readRunStartDetails(db, "run-1"), { model_version: null });
 * assert.equal(readRunStartDetails(db, "run-2"), null);
 * db.close();
 * ```
 */
export function readRunStartDetails(db: DatabaseSync, runId: string): unknown {
  const r = statement(
    db,
    "SELECT details FROM run_events WHERE run_id = ? AND event = 'started' ORDER BY id LIMIT 1",
  ).get(runId);
  return r ? _details(r.details) : null;
}

/**
 * How many runs (attempts) the run log holds.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { countRuns } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(countRuns(db), 0);
 * const run = { runDate: "2025-01-08", codeVersion: "dev", configHash: "c0", recordedAt: null };
 * appendRunStart(db, { ...run, runId: "2025-01-08#1", attempt: 1, details: {} });
 * appendRunStart(db, { ...run, runId: "2025-01-08#2", attempt: 2, details: {} });
 * assert.equal(countRuns(db), 2);
 * db.close();
 * ```
 */
export function countRuns(db: DatabaseSync): number {
  return Number(statement(db, "SELECT count(*) AS n FROM runs").get()?.n ?? 0);
}

/**
 * The latest successful run (the latest date's), or null.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { latestSucceededRun } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunEvent, appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(latestSucceededRun(db), null);
 * const run = { runDate: "2025-01-08", codeVersion: "dev", configHash: "c0", recordedAt: null };
 * appendRunStart(db, { ...run, runId: "2025-01-08#1", attempt: 1, details: {} });
 * appendRunEvent(db, "2025-01-08#1", "failed", { error: "no sales" }, null);
 * appendRunStart(db, { ...run, runId: "2025-01-08#2", attempt: 2, details: {} });
 * appendRunEvent(db, "2025-01-08#2", "succeeded", {}, null);
 * assert.equal(latestSucceededRun(db)?.run_id, "2025-01-08#2");
 * db.close();
 * ```
 */
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

/** A committed shard of a run. */
export interface RunShard {
  /** The shard, 1-based. */
  shard: number;
  /** How many shards the run has. */
  shards: number;
  /** SKUs it priced. */
  skus: number;
  /** What it read and skipped (parsed JSON). */
  details: Record<string, unknown>;
  /** When it committed (wall clock), or null. */
  recorded_at: string | null;
}

/**
 * The shards of a run that committed, by shard.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRunShards } from "./runs.ts";
 * import { openStore } from "../db.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(readRunShards(db, "2025-01-08#1"), []);
 * ```
 */
export function readRunShards(db: DatabaseSync, runId: string): RunShard[] {
  return statement(
    db,
    "SELECT shard, shards, skus, details, recorded_at FROM run_shards WHERE run_id = ? ORDER BY shard",
  ).all(runId).map((r) => ({
    shard: Number(r.shard),
    shards: Number(r.shards),
    skus: Number(r.skus),
    details: JSON.parse(String(r.details)) as Record<string, unknown>,
    recorded_at: r.recorded_at === null ? null : String(r.recorded_at),
  }));
}
