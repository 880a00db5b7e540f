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
  run_id: string;
  run_date: string;
  match: boolean;
  /** The output digest the run recorded in its summary. */
  stored_digest: string;
  /** The digest of the decisions stored now (differs from `stored_digest` when they were rewritten). */
  decisions_digest: string;
  replayed_digest: string;
  /** Snapshots whose features do not hash to their snapshot id (at most 20). */
  snapshot_mismatches: string[];
  decisions: number;
  /** SKUs whose replayed decision differs (at most 20). */
  differing_skus: string[];
  model_version: string | null;
}

/** Replays run `runId`; `modelOf` loads the model version the run used. */
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
