/**
 * Migration 3: the model registry and its events.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = ["models", "model_events"];

export const registry: Migration = {
  auditTables: AUDIT,
  version: 3,
  name: "model registry and its events",
  sql: `
CREATE TABLE models (
  version TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('gbdt', 'cart', 'elasticity')),
  trained_from TEXT NOT NULL,
  trained_to TEXT NOT NULL,
  seed INTEGER NOT NULL,
  params TEXT NOT NULL,
  metrics TEXT NOT NULL,
  artifact TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

CREATE TABLE model_events (
  id INTEGER PRIMARY KEY,
  version TEXT NOT NULL REFERENCES models (version),
  event TEXT NOT NULL CHECK (event IN ('registered', 'approved', 'rejected', 'promoted', 'retired')),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT
) STRICT;
CREATE INDEX model_events_by_version ON model_events (version, id);

-- A model's status from its events: rejected and retired are final; promoted is the champion.
CREATE VIEW v_models AS
SELECT m.*,
  CASE
    WHEN EXISTS (SELECT 1 FROM model_events e WHERE e.version = m.version AND e.event = 'rejected') THEN 'rejected'
    WHEN EXISTS (SELECT 1 FROM model_events e WHERE e.version = m.version AND e.event = 'retired') THEN 'retired'
    WHEN EXISTS (SELECT 1 FROM model_events e WHERE e.version = m.version AND e.event = 'promoted') THEN 'champion'
    ELSE 'pending'
  END AS status,
  (SELECT min(id) FROM model_events e WHERE e.version = m.version) AS registered_seq
FROM models m;
${AUDIT.map((t) => appendOnly(t)).join("\n")}
`,
};
