/**
 * Writes of the model registry: models and the events of their life.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import type { ModelEventName, ModelKind, ModelMetrics } from "../../schema/models.ts";
import { canonicalJson } from "../../util/hash.ts";

/** A model to register. */
export interface NewModel {
  /** Its version, unique in the registry. */
  version: string;
  /** What kind of model it is (how its artifact is loaded). */
  kind: ModelKind;
  /** First day of its training window, `YYYY-MM-DD`. */
  trainedFrom: string;
  /** Last day of its training window, `YYYY-MM-DD`. */
  trainedTo: string;
  /** The seed its training used. */
  seed: number;
  /** Its training parameters. */
  params: Record<string, unknown>;
  /** Its holdout metrics against the baselines. */
  metrics: ModelMetrics;
  /** What it needs to predict (e.g. the trees), stored as canonical JSON. */
  artifact: Record<string, unknown>;
  /** What registers it: a notebook's path, a task, the backtest. Default null. */
  source?: string | null;
  /** A note for the people who approve it. Default null. */
  note?: string | null;
}

/**
 * Registers a model: appends it and its `registered` event. It is pending until a
 * person approves it.
 *
 * @param db A connection open for writing.
 * @param m The model.
 * @param actor Who registers it.
 * @param recordedAt Wall-clock time supplied by the caller, or null.
 * @throws {Error} SQLite's constraint error when the version exists.
 *
 * @example Usage
 * ```ts
 * import { appendModel, type NewModel } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { readModels } from "../read/models.ts";
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
 * appendModel(db, { ...model, source: "notebooks/dev.ipynb", note: "depth 4" }, "trainer", null);
 * const [stored] = readModels(db);
 * assert.equal(stored.status, "pending");
 * assert.deepEqual([stored.source, stored.note], ["notebooks/dev.ipynb", "depth 4"]);
 * db.close();
 * ```
 */
export function appendModel(
  db: DatabaseSync,
  m: NewModel,
  actor: string,
  recordedAt: string | null,
): void {
  statement(
    db,
    `INSERT INTO models (version, kind, trained_from, trained_to, seed, params, metrics, artifact,
       recorded_at, source, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  ).run(
    m.version,
    m.kind,
    m.trainedFrom,
    m.trainedTo,
    m.seed,
    canonicalJson(m.params),
    canonicalJson(m.metrics),
    canonicalJson(m.artifact),
    recordedAt,
    m.source ?? null,
    m.note ?? null,
  );
  appendModelEvent(
    db,
    m.version,
    "registered",
    actor,
    "trained and evaluated on the holdout",
    recordedAt,
  );
}

/**
 * Appends an event to a model's life. Callers keep the events coherent (see
 * `approveModel` and `rejectModel`); the registry derives each model's status from them.
 *
 * @param db A connection open for writing.
 * @param version The model, which must be registered.
 * @param event What happens to it.
 * @param actor Who acts.
 * @param reason Why.
 * @param recordedAt Wall-clock time supplied by the caller, or null.
 *
 * @example Usage
 * ```ts
 * import { appendModel, appendModelEvent, type NewModel } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { readModelEvents } from "../read/models.ts";
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
 * appendModelEvent(db, "elasticity-1", "rejected", "ann", "worse than naive", null);
 * assert.deepEqual(readModelEvents(db).map((e) => e.event), ["registered", "rejected"]);
 * db.close();
 * ```
 */
export function appendModelEvent(
  db: DatabaseSync,
  version: string,
  event: ModelEventName,
  actor: string,
  reason: string,
  recordedAt: string | null,
): void {
  statement(
    db,
    "INSERT INTO model_events (version, event, actor, reason, recorded_at) VALUES (?,?,?,?,?)",
  ).run(version, event, actor, reason, recordedAt);
}
