/**
 * Migration 2: overrides, decisions and the decision audit view.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = ["overrides", "override_revocations", "decisions"];

export const pricing: Migration = {
  auditTables: AUDIT,
  version: 2,
  name: "overrides, decisions and the decision audit view",
  sql: `
CREATE TABLE overrides (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('PRICE_FREEZE', 'FORCE_RULE_BASED')),
  scope TEXT NOT NULL CHECK (scope IN ('sku', 'category', 'all')),
  target TEXT,
  effective_from TEXT NOT NULL,
  expires_at TEXT NOT NULL CHECK (expires_at > effective_from),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT,
  CHECK ((scope = 'all') = (target IS NULL))
) STRICT;

CREATE TABLE override_revocations (
  id INTEGER PRIMARY KEY,
  override_id INTEGER NOT NULL UNIQUE REFERENCES overrides (id),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

CREATE VIEW v_overrides AS
SELECT o.*, r.id AS revocation_id, r.actor AS revoked_by, r.reason AS revoke_reason
FROM overrides o LEFT JOIN override_revocations r ON r.override_id = o.id;

CREATE TABLE decisions (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  run_date TEXT NOT NULL,
  sku TEXT NOT NULL,
  strategy TEXT NOT NULL CHECK (strategy IN ('ml', 'rule', 'static')),
  override_id INTEGER REFERENCES overrides (id),
  override_kind TEXT,
  snapshot_id TEXT NOT NULL,
  model_version TEXT,
  previous_price REAL NOT NULL,
  price REAL NOT NULL CHECK (price > 0),
  expected_units REAL NOT NULL,
  expected_revenue REAL NOT NULL,
  expected_profit REAL NOT NULL,
  infeasible INTEGER NOT NULL CHECK (infeasible IN (0, 1)),
  conflict TEXT,
  binding TEXT NOT NULL,
  reason_codes TEXT NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (run_id, sku)
) STRICT;
CREATE INDEX decisions_by_sku ON decisions (sku, run_date);

-- One row per decision with the guardrails it was priced under, for auditing with one query.
CREATE VIEW v_decision_audit AS
SELECT d.run_id, d.run_date, d.sku, d.strategy, d.override_kind, d.model_version,
  d.previous_price, d.price,
  json_extract(f.features, '$.unit_cost') AS unit_cost,
  json_extract(f.features, '$.floor_price') AS floor_price,
  json_extract(f.features, '$.ceiling_price') AS ceiling_price,
  json_extract(f.features, '$.min_margin') AS min_margin,
  json_extract(f.features, '$.max_daily_change') AS max_change,
  json_extract(f.features, '$.price_ending') AS price_ending,
  d.infeasible, d.conflict, d.binding, d.reason_codes,
  d.expected_units, d.expected_revenue, d.expected_profit
FROM decisions d
JOIN feature_snapshots f ON f.run_date = d.run_date AND f.sku = d.sku;
${AUDIT.map((t) => appendOnly(t)).join("\n")}
`,
};
