/**
 * Retraining that waits for a person: sustained drift opens a retrain request
 * for the champion; `fulfilRetrainRequest` trains a candidate on the latest
 * window and registers it (pending); the champion keeps pricing until someone
 * approves the candidate with `deno task models approve`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { MonitoringRunRecord } from "../schema/monitoring.ts";
import { readChampion, readRetrainRequests } from "../store/queries.ts";
import { appendRetrainRequestEvent, transaction } from "../store/writer.ts";
import { trainCandidate, type TrainOptions, type TrainResult } from "../registry/train.ts";
import { addDays } from "../util/date.ts";

/** Options of {@linkcode retrainDue}. */
export interface RetrainRuleOptions {
  /** Consecutive run dates with drift that make it sustained. Default 3. */
  consecutiveRuns?: number;
  /** 30-day WAPE of the ML-priced SKUs at this multiple of the holdout WAPE asks for a retrain. Default 1.25. */
  wapeRatio?: number;
  /** Fewest days with actuals in the 30-day window for the WAPE rule. Default 14. */
  minWapeDays?: number;
}

/** The retrain rule in words (recorded with every request). */
export function retrainRule(options: RetrainRuleOptions = {}): string {
  return `drift (FEATURE_DRIFT or FORECAST_DRIFT in any scope) on ${
    options.consecutiveRuns ?? 3
  } consecutive run dates, or 30-day WAPE of the ML-priced SKUs >= ${
    options.wapeRatio ?? 1.25
  } x the model's holdout WAPE with at least ${options.minWapeDays ?? 14} days of actuals`;
}

/** What the monitoring stage knows when it applies the rule. */
export interface RetrainEvidence {
  runDate: string;
  modelVersion: string;
  driftToday: boolean;
  /** Earlier monitoring records, newest first. */
  previous: readonly MonitoringRunRecord[];
  wape30: number | null;
  daysWithActuals30: number;
  holdoutWape: number | null;
}

/** Whether sustained drift asks for a retrain, and why. */
export function retrainDue(
  e: RetrainEvidence,
  options: RetrainRuleOptions = {},
): { due: boolean; reasons: string[]; drift_streak: number } {
  const need = options.consecutiveRuns ?? 3;
  const ratio = options.wapeRatio ?? 1.25;
  let streak = e.driftToday ? 1 : 0;
  for (const p of e.previous) {
    if (!streak) break;
    const expected = addDays(e.runDate, -streak);
    if (
      p.run_date !== expected || p.model_version !== e.modelVersion ||
      p.summary.drift_detected !== true
    ) break;
    streak++;
  }
  const reasons: string[] = [];
  if (streak >= need) reasons.push(`drift on ${streak} consecutive run dates`);
  if (
    e.wape30 !== null && e.holdoutWape !== null && e.holdoutWape > 0 &&
    e.daysWithActuals30 >= (options.minWapeDays ?? 14) && e.wape30 >= ratio * e.holdoutWape
  ) {
    reasons.push(`30-day WAPE ${e.wape30} >= ${ratio} x holdout WAPE ${e.holdoutWape}`);
  }
  return { due: reasons.length > 0, reasons, drift_streak: streak };
}

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
  const candidate = trainCandidate(db, { ...options, kind: open.champion.kind });
  answerRetrainRequest(db, candidate, options);
  return { request_id: open.request.id, champion: open.champion.version, candidate };
}
