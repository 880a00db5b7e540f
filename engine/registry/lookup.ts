/**
 * Finding a registered model by what a person types: a version, or "the newest
 * candidate waiting for approval".
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { ModelRecord } from "../schema/models.ts";
import { readModels } from "../store/queries.ts";
import { InputError } from "../util/errors.ts";

/**
 * A registered model, artifact included, whatever its status.
 *
 * @param db The store.
 * @param version The model's version.
 * @returns The model's record.
 * @throws {RangeError} When the version is not in the registry.
 *
 * @example Usage
 * ```ts
 * import { registeredModel } from "./lookup.ts";
 * import { openStore } from "../store/db.ts";
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
 * assert.equal(registeredModel(db, "elasticity-1").status, "pending");
 * assert.throws(() => registeredModel(db, "gbdt-9"), /gbdt-9: not in the registry/);
 * db.close();
 * ```
 */
export function registeredModel(db: DatabaseSync, version: string): ModelRecord {
  const record = readModels(db, { version })[0];
  if (!record) {
    throw new InputError(
      `Cannot use model ${version}: not in the registry (see deno task models list)`,
    );
  }
  return record;
}

/**
 * The candidate registered last among those still waiting for approval.
 *
 * @param db The store.
 * @returns Its record, or null when no model is pending.
 *
 * @example Usage
 * ```ts
 * import { newestCandidate } from "./lookup.ts";
 * import { approveModel } from "./approval.ts";
 * import { openStore } from "../store/db.ts";
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
 * assert.equal(newestCandidate(db), null);
 * appendModel(db, model, "trainer", null);
 * appendModel(db, { ...model, version: "elasticity-2" }, "trainer", null);
 * approveModel(db, "elasticity-2", { actor: "ann", reason: "fine", recordedAt: null });
 * assert.equal(newestCandidate(db)?.version, "elasticity-1"); // elasticity-2 is the champion
 * db.close();
 * ```
 */
export function newestCandidate(db: DatabaseSync): ModelRecord | null {
  return readModels(db).find((m) => m.status === "pending") ?? null;
}
