/**
 * Answering retrain requests: train a candidate of the champion's kind on the
 * latest window, register it (pending) and record it on the champion's open
 * request. The champion keeps pricing until a person approves the candidate.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { trainCandidate, type TrainOptions, type TrainResult } from "../registry/train.ts";
import { readChampion, readRetrainRequests } from "../store/queries.ts";
import { appendRetrainRequestEvent, transaction } from "../store/writer.ts";

/** What {@linkcode fulfilRetrainRequest} did. */
export interface RetrainOutcome {
  /** The retrain request answered. */
  request_id: number;
  /** The champion's version, which keeps pricing until the candidate is approved. */
  champion: string;
  /** The candidate trained and registered (pending). */
  candidate: TrainResult;
}

/** The champion's open retrain request, or null. */
function openRequest(db: DatabaseSync) {
  const champion = readChampion(db);
  if (!champion) return null;
  const request = readRetrainRequests(db, { modelVersion: champion.version })
    .find((r) => r.status === "open");
  return request ? { champion, request } : null;
}

/**
 * Records a registered candidate as the answer to the champion's open retrain
 * request, if there is one (e.g. after `deno task models train`). Returns the
 * request id, or null when no request is open.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   appendModel, appendRetrainRequest, approveModel, type NewModel, openStore,
 *   readRetrainRequests,
 * } from "../mod.ts";
 * import { answerRetrainRequest } from "./retrain.ts";
 *
 * const model: NewModel = {
 *   version: "elasticity-1", kind: "elasticity", seed: 1, params: {}, artifact: {},
 *   trainedFrom: "2024-01-01", trainedTo: "2024-12-31",
 *   metrics: {
 *     holdout_from: "2024-12-01", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *     candidate: { wape: 0.31, bias: 0.02 }, seasonal_naive: { wape: 0.42, bias: 0 },
 *     champion: null,
 *   },
 * };
 * const db = openStore(":memory:");
 * appendModel(db, model, "trainer", null);
 * approveModel(db, "elasticity-1", { actor: "ann", reason: "beats naive", recordedAt: null });
 * const candidate = {
 *   status: "registered" as const, version: "elasticity-2", kind: "elasticity" as const,
 *   trained_from: "2025-01-01", trained_to: "2025-12-31", metrics: model.metrics,
 * };
 * const options = { actor: "trainer", recordedAt: null };
 * assert.equal(answerRetrainRequest(db, candidate, options), null); // no request is open
 * const requestId = appendRetrainRequest(db, {
 *   modelVersion: "elasticity-1", runId: "run-1", runDate: "2026-01-08", rule: "FORECAST_DRIFT",
 *   metrics: {}, recordedAt: null,
 * });
 * assert.equal(answerRetrainRequest(db, candidate, options), requestId);
 * assert.equal(readRetrainRequests(db)[0].candidate_version, "elasticity-2");
 * db.close();
 * ```
 */
export function answerRetrainRequest(
  db: DatabaseSync,
  candidate: TrainResult,
  options: Pick<TrainOptions, "actor" | "recordedAt">,
): number | null {
  const open = openRequest(db);
  if (!open || candidate.version === open.champion.version) return null;
  transaction(db, () =>
    appendRetrainRequestEvent(db, {
      requestId: open.request.id,
      event: "candidate_registered",
      candidateVersion: candidate.version,
      actor: options.actor,
      reason:
        `trained ${candidate.version} on ${candidate.trained_from} to ${candidate.trained_to}; ` +
        `it waits for approval (deno task models approve)`,
      recordedAt: options.recordedAt,
    }));
  return open.request.id;
}

/**
 * Trains a candidate for the open retrain request of the champion, if there is
 * one: same kind as the champion, on the 365 days up to the latest sales date;
 * registers it as pending and records it on the request. Returns null when no
 * request is open. Call it outside a run's transaction.
 *
 * @example Without an open request nothing is trained
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../mod.ts";
 * import { fulfilRetrainRequest } from "./retrain.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(fulfilRetrainRequest(db, { actor: "auto-retrain", recordedAt: null }), null);
 * db.close();
 * ```
 */
export function fulfilRetrainRequest(
  db: DatabaseSync,
  options: Pick<TrainOptions, "actor" | "recordedAt" | "onProgress" | "gbdt" | "seed">,
): RetrainOutcome | null {
  const open = openRequest(db);
  if (!open) return null;
  const candidate = trainCandidate(db, {
    ...options,
    kind: open.champion.kind,
    source: `auto-retrain: retrain request ${open.request.id} for ${open.champion.version}`,
  });
  answerRetrainRequest(db, candidate, options);
  return { request_id: open.request.id, champion: open.champion.version, candidate };
}
