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
  version: string;
  kind: ModelKind;
  trainedFrom: string;
  trainedTo: string;
  seed: number;
  params: Record<string, unknown>;
  metrics: ModelMetrics;
  artifact: Record<string, unknown>;
}

/** Appends a model and its `registered` event. */
export function appendModel(
  db: DatabaseSync,
  m: NewModel,
  actor: string,
  recordedAt: string | null,
): void {
  statement(
    db,
    `INSERT INTO models (version, kind, trained_from, trained_to, seed, params, metrics, artifact, recorded_at)
     VALUES (?,?,?,?,?,?,?,?,?)`,
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

/** Appends an event to a model's life. */
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
