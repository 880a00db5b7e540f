/**
 * Replay: recompute a past run's decisions from its stored snapshots, the
 * overrides it saw, its pricing settings and its model, and compare digests.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DemandModel } from "../demand/model.ts";
import { parseOrThrow } from "../schema/common.ts";
import { RunStartDetails } from "../schema/run.ts";
import { readSnapshotTexts } from "../store/read/integrity.ts";
import { sha256Hex } from "../util/hash.ts";
import { readDecisions, readRuns, readRunStartDetails, readSnapshots } from "../store/queries.ts";
import { outputDigest } from "./digest.ts";
import { priceAll } from "./daily.ts";
import { InputError } from "../util/errors.ts";

/** What a replay reports. */
export interface ReplayReport {
  /** The run replayed. */
  run_id: string;
  /** The date it priced. */
  run_date: string;
  /** Whether the three digests agree and every snapshot hashes to its id. */
  match: boolean;
  /** The output digest the run recorded in its summary. */
  stored_digest: string;
  /** The digest of the decisions stored now (differs from `stored_digest` when they were rewritten). */
  decisions_digest: string;
  /** The digest of the decisions recomputed now. */
  replayed_digest: string;
  /** Snapshots whose features do not hash to their snapshot id (at most 20). */
  snapshot_mismatches: string[];
  /** Decisions replayed. */
  decisions: number;
  /** SKUs whose replayed decision differs (at most 20). */
  differing_skus: string[];
  /** The model version the run priced with, or null (rule-based only). */
  model_version: string | null;
}

/**
 * Replays run `runId`; `modelOf` loads the model version the run used.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../mod.ts";
 * import { replayRun } from "./replay.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const report = replayRun(db, run.run_id, () => {
 *   throw new Error("the run priced without a model");
 * });
 * assert.equal(report.match, true);
 * assert.equal(report.decisions, 1);
 * assert.throws(() => replayRun(db, "2025-02-02#1", () => {
 *   throw new Error("unused");
 * }), /no such run/);
 * ```
 */
export function replayRun(
  db: DatabaseSync,
  runId: string,
  modelOf: (version: string) => DemandModel,
): ReplayReport {
  const run = readRuns(db).find((r) => r.run_id === runId);
  if (!run) throw new InputError(`Cannot replay run ${runId}: no such run`);
  if (run.status !== "succeeded") {
    throw new InputError(
      `Cannot replay run ${runId}: it ${run.status}, only succeeded runs have decisions`,
    );
  }
  const details = parseOrThrow(
    RunStartDetails,
    readRunStartDetails(db, runId) ?? {},
    `replay run ${runId} (its start record)`,
  );
  const model = details.model_version === null ? null : modelOf(details.model_version);
  const snapshots = readSnapshots(db, run.run_date);
  const replayed = priceAll(
    db,
    runId,
    run.run_date,
    snapshots,
    model,
    details.pricing,
    details.override_watermark,
    details.evaluation_id,
  );
  const stored = readDecisions(db, runId);
  const storedBySku = new Map(stored.map((d) => [d.sku, outputDigest([d])]));
  const differing = replayed.filter((d) => storedBySku.get(d.sku) !== outputDigest([d]))
    .map((d) => d.sku);
  const storedDigest = String(run.details.output_digest ?? "");
  const decisionsDigest = outputDigest(stored);
  const replayedDigest = outputDigest(replayed);
  const mismatches = readSnapshotTexts(db, run.run_date)
    .filter((t) => sha256Hex(t.features) !== t.snapshot_id).map((t) => t.sku);
  return {
    run_id: runId,
    run_date: run.run_date,
    match: storedDigest === replayedDigest && decisionsDigest === storedDigest &&
      mismatches.length === 0,
    stored_digest: storedDigest,
    decisions_digest: decisionsDigest,
    replayed_digest: replayedDigest,
    snapshot_mismatches: mismatches.slice(0, 20),
    decisions: replayed.length,
    differing_skus: differing.slice(0, 20),
    model_version: details.model_version,
  };
}
