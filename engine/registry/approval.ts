/**
 * A person's approval between a candidate and the prices: approving promotes
 * the candidate and retires the champion; rejecting leaves the champion.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { readChampion, readModels } from "../store/queries.ts";
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
 * the previous champion, if any, is retired. From then on it prices.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param version The pending model.
 * @param v Who approves it, why, and when.
 * @returns The version approved and the one retired (or null).
 * @throws {RangeError} When the actor or reason is blank, or the model is unknown or not pending.
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
): { version: string; retired: string | null } {
  return transaction(db, () => {
    pending(db, version, "approve", v);
    const previous = readChampion(db);
    appendModelEvent(db, version, "approved", v.actor, v.reason, v.recordedAt);
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
    return { version, retired: previous?.version ?? null };
  });
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
