/**
 * Read-only queries of the model registry: models, the champion and model events.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { ModelEvent, ModelRecord } from "../../schema/models.ts";
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
