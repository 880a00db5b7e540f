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
  request_id: number;
  champion: string;
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
