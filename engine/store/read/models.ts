/**
 * Read-only queries of the model registry: models, the champion and model events.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { ModelEvent, ModelRecord, ModelSummary } from "../../schema/models.ts";
import { rows } from "./_rows.ts";

/** Registered models, newest first, with their status. */
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

/** `readModels` without the artifacts: what monitoring and listings need every day. */
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

/** One member of a model's artifact (e.g. its training `reference`), parsed by SQLite; null when absent. */
export function readModelArtifactField(
  db: DatabaseSync,
  version: string,
  field: string,
): unknown {
  const r = statement(db, "SELECT json_extract(artifact, ?) AS v FROM models WHERE version = ?")
    .get(`$.${field}`, version);
  return r?.v === null || r?.v === undefined ? null : JSON.parse(String(r.v));
}

/** The champion: the model promoted last and not retired since, or null. */
export function readChampion(db: DatabaseSync): ModelRecord | null {
  const r = statement(
    db,
    `SELECT e.version FROM model_events e JOIN v_models m ON m.version = e.version
     WHERE e.event = 'promoted' AND m.status = 'champion' ORDER BY e.id DESC LIMIT 1`,
  ).get();
  return r ? readModels(db, { version: String(r.version) })[0] ?? null : null;
}

/** Model events, in order, optionally of one version. */
export function readModelEvents(
  db: DatabaseSync,
  options: { version?: string } = {},
): ModelEvent[] {
  const raw = options.version
    ? statement(db, "SELECT * FROM model_events WHERE version = ? ORDER BY id").all(options.version)
    : statement(db, "SELECT * FROM model_events ORDER BY id").all();
  return rows(ModelEvent, "model event", raw);
}
