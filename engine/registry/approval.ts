/**
 * A person's approval between a candidate and the prices: approving promotes
 * the candidate and retires the champion; rejecting leaves the champion.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { readChampion, readModels } from "../store/queries.ts";
import type { ModelMetrics, ModelRecord } from "../schema/models.ts";
import { modelOfRecord } from "./load.ts";
import { scoreHoldout } from "./holdout.ts";
import { scanTrainingSet } from "./training_set.ts";
import { appendModelEvent, transaction } from "../store/writer.ts";
import { InputError } from "../util/errors.ts";

/** Who decides and why. */
export interface Verdict {
  /** Who decides (not blank). */
  actor: string;
  /** Why (not blank). */
  reason: string;
  /** Wall-clock time supplied by the caller, or null. */
  recordedAt: string | null;
  /**
   * Approve although the candidate fails the approval checks (see {@linkcode approvalChecks});
   * the checks it failed are recorded with the reason. Default false.
   */
  force?: boolean;
}

/** A candidate's WAPE may exceed the champion's on the same holdout by at most this share. */
export const MAX_WAPE_INCREASE = 0.02;

/**
 * The checks a candidate must pass to be approved without `force`, each failure in
 * words with its values: its holdout WAPE must not be worse than the seasonal-naive
 * forecast's, nor worse than the champion's on the same holdout by more than 2%
 * ({@linkcode MAX_WAPE_INCREASE}), and its price-response sign agreement must not be
 * below the champion's (when both were measured).
 *
 * @param metrics The candidate's holdout metrics, the champion's on the same holdout.
 * @returns The checks it fails (empty: it passes).
 *
 * @example Usage
 * ```ts
 * import { approvalChecks } from "./approval.ts";
 * import assert from "node:assert/strict";
 *
 * const metrics = {
 *   holdout_from: "2024-12-04", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *   candidate: { wape: 1.189, bias: 0.1 }, seasonal_naive: { wape: 1.135, bias: 0 },
 *   champion: null,
 * };
 * assert.match(approvalChecks(metrics)[0], /worse than the seasonal-naive forecast's 1.135/);
 * assert.deepEqual(approvalChecks({ ...metrics, candidate: { wape: 0.9, bias: 0 } }), []);
 * ```
 */
export function approvalChecks(metrics: ModelMetrics): string[] {
  const failed: string[] = [];
  const c = metrics.candidate;
  const on = `on the holdout ${metrics.holdout_from} to ${metrics.holdout_to}`;
  if (c.wape > metrics.seasonal_naive.wape) {
    failed.push(
      `its WAPE ${c.wape} is worse than the seasonal-naive forecast's ${metrics.seasonal_naive.wape} ${on}`,
    );
  }
  const ch = metrics.champion;
  if (ch && c.wape > ch.wape * (1 + MAX_WAPE_INCREASE)) {
    failed.push(
      `its WAPE ${c.wape} is worse than the champion ${ch.version}'s ${ch.wape} ${on} by more than ${
        MAX_WAPE_INCREASE * 100
      }%`,
    );
  }
  const mine = c.price_response?.sign_agreement;
  const theirs = ch?.price_response?.sign_agreement;
  if (ch && mine != null && theirs != null && mine < theirs) {
    failed.push(
      `its price-response sign agreement ${mine} is below the champion ${ch.version}'s ${theirs} ${on}`,
    );
  }
  return failed;
}

function pending(db: DatabaseSync, version: string, action: string, v: Verdict) {
  if (!v.actor.trim()) {
    throw new InputError(`Cannot ${action} model ${version}: name who decides (--by)`);
  }
  if (!v.reason.trim()) {
    throw new InputError(`Cannot ${action} model ${version}: give a reason (--reason)`);
  }
  const m = readModels(db, { version })[0];
  if (!m) throw new InputError(`Cannot ${action} model ${version}: not in the registry`);
  if (m.status !== "pending") {
    throw new InputError(`Cannot ${action} model ${version}: it is ${m.status}, not pending`);
  }
  return m;
}

/**
 * Approves a pending model, in one transaction: it is approved and promoted, and
 * the previous champion, if any, is retired. From then on it prices. A candidate that
 * fails the {@linkcode approvalChecks} (worse than the seasonal-naive forecast or the
 * champion on the same holdout, or a lower price-response sign agreement) is refused
 * unless `v.force`; then the failed checks are recorded with the reason.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param version The pending model.
 * @param v Who approves it, why, and when.
 * @returns The version approved, the one retired (or null) and the checks forced past.
 * @throws {RangeError} When the actor or reason is blank, the model is unknown or not
 * pending, or it fails the approval checks without `force`.
 *
 * @example Usage
 * ```ts
 * import { approveModel } from "./approval.ts";
 * import { openStore } from "../store/db.ts";
 * import { readChampion } from "../store/read/models.ts";
 * import { appendModel, type NewModel } from "../store/write/models.ts";
 * import assert from "node:assert/strict";
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
 * appendModel(db, { ...model, version: "elasticity-2" }, "trainer", null);
 * const verdict = { actor: "ann", reason: "beats naive", recordedAt: null };
 * approveModel(db, "elasticity-1", verdict);
 * assert.deepEqual(approveModel(db, "elasticity-2", verdict), {
 *   version: "elasticity-2",
 *   retired: "elasticity-1",
 *   forced: [],
 * });
 * assert.equal(readChampion(db)?.version, "elasticity-2");
 * assert.throws(() => approveModel(db, "elasticity-1", verdict), RangeError); // retired
 * db.close();
 * ```
 */
export function approveModel(
  db: DatabaseSync,
  version: string,
  v: Verdict,
): { version: string; retired: string | null; forced: string[] } {
  return transaction(db, () => {
    const candidate = pending(db, version, "approve", v);
    const previous = readChampion(db);
    const failed = approvalChecks(metricsAgainst(db, candidate, previous));
    if (failed.length && !v.force) {
      throw new InputError(
        `Cannot approve model ${version}: ${failed.join("; ")}. ` +
          "It would price worse than what prices now; pass --force with --reason to approve it anyway (recorded)",
      );
    }
    const reason = failed.length
      ? `${v.reason} [approved with --force although ${failed.join("; ")}]`
      : v.reason;
    appendModelEvent(db, version, "approved", v.actor, reason, v.recordedAt);
    if (previous) {
      appendModelEvent(
        db,
        previous.version,
        "retired",
        v.actor,
        `replaced by ${version}`,
        v.recordedAt,
      );
    }
    appendModelEvent(db, version, "promoted", v.actor, v.reason, v.recordedAt);
    return { version, retired: previous?.version ?? null, forced: v.force ? failed : [] };
  });
}

/**
 * The candidate's metrics with the champion's on the same holdout: as registered when the
 * champion is the one it was compared with then, else the current champion scored on the
 * candidate's holdout now (no champion figures when the store has no rows there).
 */
function metricsAgainst(
  db: DatabaseSync,
  candidate: ModelRecord,
  champion: ModelRecord | null,
): ModelMetrics {
  const m = candidate.metrics;
  if (!champion) return { ...m, champion: null };
  if (m.champion?.version === champion.version) return m;
  // The candidate's own training window (its elasticities depend on it), its holdout, read
  // chunk by chunk of SKUs.
  const scan = scanTrainingSet(db, candidate.trained_from, candidate.trained_to);
  const scores = scoreHoldout(
    scan.chunks({ from: m.holdout_from }),
    [modelOfRecord(champion)],
    scan.period?.days ?? 1,
  );
  if (scores.rows === 0) return { ...m, champion: null }; // nothing left to compare on
  return { ...m, champion: scores.models[0] };
}

/**
 * Rejects a pending model; the champion keeps pricing.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param version The pending model.
 * @param v Who rejects it, why, and when.
 * @returns The version rejected.
 * @throws {RangeError} When the actor or reason is blank, or the model is unknown or not pending.
 *
 * @example Usage
 * ```ts
 * import { rejectModel } from "./approval.ts";
 * import { openStore } from "../store/db.ts";
 * import { readModels } from "../store/read/models.ts";
 * import { appendModel, type NewModel } from "../store/write/models.ts";
 * import assert from "node:assert/strict";
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
 * const verdict = { actor: "ann", reason: "worse than naive", recordedAt: null };
 * assert.throws(() => rejectModel(db, "elasticity-1", { ...verdict, reason: " " }), RangeError);
 * rejectModel(db, "elasticity-1", verdict);
 * assert.equal(readModels(db)[0].status, "rejected");
 * db.close();
 * ```
 */
export function rejectModel(db: DatabaseSync, version: string, v: Verdict): { version: string } {
  return transaction(db, () => {
    pending(db, version, "reject", v);
    appendModelEvent(db, version, "rejected", v.actor, v.reason, v.recordedAt);
    return { version };
  });
}
