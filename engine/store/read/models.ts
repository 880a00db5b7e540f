/**
 * Read-only queries of the model registry: models, the champion and model events.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { ModelEvent, ModelRecord, ModelSummary } from "../../schema/models.ts";
import { rows } from "./_rows.ts";

/**
 * Registered models with their status (view `v_models`), newest first.
 *
 * @param db The store.
 * @param options `version`: only that model (default: all).
 * @returns The models, artifacts included.
 *
 * @example Usage
 * ```ts
 * import { readModels } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { appendModel, appendModelEvent, type NewModel } from "../write/models.ts";
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
 * assert.deepEqual(readModels(db).map((m) => m.version), ["elasticity-2", "elasticity-1"]);
 * assert.equal(readModels(db, { version: "elasticity-1" })[0].metrics.candidate.wape, 0.31);
 * db.close();
 * ```
 */
export function readModels(db: DatabaseSync, options: { version?: string } = {}): ModelRecord[] {
  const raw = options.version
    ? statement(db, "SELECT * FROM v_models WHERE version = ?").all(options.version)
    : statement(db, "SELECT * FROM v_models ORDER BY registered_seq DESC").all();
  return rows(ModelRecord, "model", raw, ({ registered_seq: _s, ...r }) => ({
    ...r,
    params: JSON.parse(String(r.params)),
    metrics: JSON.parse(String(r.metrics)),
    artifact: JSON.parse(String(r.artifact)),
  }));
}

const SUMMARY_COLUMNS =
  "version, kind, trained_from, trained_to, seed, params, metrics, status, recorded_at";

/**
 * {@linkcode readModels} without the artifacts: what monitoring and listings need every day.
 *
 * @param db The store.
 * @param options `version`: only that model (default: all).
 * @returns The models, newest first.
 *
 * @example Usage
 * ```ts
 * import { readModelSummaries } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { appendModel, appendModelEvent, type NewModel } from "../write/models.ts";
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
 * const [summary] = readModelSummaries(db);
 * assert.equal(summary.status, "pending");
 * assert.equal("artifact" in summary, false);
 * db.close();
 * ```
 */
export function readModelSummaries(
  db: DatabaseSync,
  options: { version?: string } = {},
): ModelSummary[] {
  const raw = options.version
    ? statement(db, `SELECT ${SUMMARY_COLUMNS} FROM v_models WHERE version = ?`).all(
      options.version,
    )
    : statement(db, `SELECT ${SUMMARY_COLUMNS} FROM v_models ORDER BY registered_seq DESC`).all();
  return rows(ModelSummary, "model", raw, (r) => ({
    ...r,
    params: JSON.parse(String(r.params)),
    metrics: JSON.parse(String(r.metrics)),
  }));
}

/**
 * One member of a model's artifact (e.g. its training `reference`), extracted by
 * SQLite without reading the rest.
 *
 * @param db The store.
 * @param version The model.
 * @param field The member's name at the artifact's top level.
 * @returns Its value, or null when the model or the member is absent.
 *
 * @example Usage
 * ```ts
 * import { readModelArtifactField } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { appendModel, appendModelEvent, type NewModel } from "../write/models.ts";
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
 * appendModel(db, { ...model, artifact: { reference: { bins: 10 }, trees: [] } }, "trainer", null);
 * assert.deepEqual(readModelArtifactField(db, "elasticity-1", "reference"), { bins: 10 });
 * assert.equal(readModelArtifactField(db, "elasticity-1", "missing"), null);
 * db.close();
 * ```
 */
export function readModelArtifactField(
  db: DatabaseSync,
  version: string,
  field: string,
): unknown {
  const r = statement(db, "SELECT json_extract(artifact, ?) AS v FROM models WHERE version = ?")
    .get(`$.${field}`, version);
  return r?.v === null || r?.v === undefined ? null : JSON.parse(String(r.v));
}

/**
 * The champion: the model promoted last and not retired since.
 *
 * @param db The store.
 * @returns The champion, or null when no model is approved.
 *
 * @example Usage
 * ```ts
 * import { readChampion } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { appendModel, appendModelEvent, type NewModel } from "../write/models.ts";
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
 * assert.equal(readChampion(db), null);
 * appendModelEvent(db, "elasticity-1", "approved", "ann", "beats naive", null);
 * appendModelEvent(db, "elasticity-1", "promoted", "ann", "beats naive", null);
 * assert.equal(readChampion(db)?.version, "elasticity-1");
 * db.close();
 * ```
 */
export function readChampion(db: DatabaseSync): ModelRecord | null {
  const r = statement(
    db,
    `SELECT e.version FROM model_events e JOIN v_models m ON m.version = e.version
     WHERE e.event = 'promoted' AND m.status = 'champion' ORDER BY e.id DESC LIMIT 1`,
  ).get();
  return r ? readModels(db, { version: String(r.version) })[0] ?? null : null;
}

/**
 * Model events in the order recorded.
 *
 * @param db The store.
 * @param options `version`: only that model's events (default: all).
 * @returns The events.
 *
 * @example Usage
 * ```ts
 * import { readModelEvents } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { appendModel, appendModelEvent, type NewModel } from "../write/models.ts";
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
 * const [event] = readModelEvents(db, { version: "elasticity-1" });
 * assert.equal(event.event, "registered");
 * assert.equal(event.actor, "trainer");
 * db.close();
 * ```
 */
export function readModelEvents(
  db: DatabaseSync,
  options: { version?: string } = {},
): ModelEvent[] {
  const raw = options.version
    ? statement(db, "SELECT * FROM model_events WHERE version = ? ORDER BY id").all(options.version)
    : statement(db, "SELECT * FROM model_events ORDER BY id").all();
  return rows(ModelEvent, "model event", raw);
}
