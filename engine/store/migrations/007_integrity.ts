/**
 * Migration 7: audit integrity. Every audit table refuses an insert that would
 * replace a row (REPLACE deletes without firing DELETE triggers); a run's state
 * is derived so that one stray event cannot undo a success; each succeeded run
 * is linked into a hash chain (`run_chain`); and an alert type for a store whose
 * audit trail does not verify.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly, noReplace } from "./_append_only.ts";

/** The keys of every audit table of migrations 1 to 6 (each gets a no-replace trigger). */
const KEYS: Record<string, string[][]> = {
  catalog: [["id"]],
  sales: [["id"]],
  inventory: [["id"]],
  competitor_prices: [["id"]],
  sim_config: [["id"]],
  feature_snapshots: [["run_date", "sku"]],
  runs: [["run_id"], ["run_date", "attempt"]],
  run_events: [["id"]],
  overrides: [["id"]],
  override_revocations: [["id"], ["override_id"]],
  decisions: [["run_id", "sku"]],
  models: [["version"]],
  model_events: [["id"]],
  monitoring_runs: [["run_id"]],
  forecast_accuracy: [["run_id", "window_days", "scope_kind", "scope"]],
  drift_metrics: [["run_id", "scope", "feature"]],
  data_quality_issues: [["id"]],
  alert_events: [["id"]],
  retrain_requests: [["id"]],
  retrain_request_events: [["id"]],
  backtests: [["backtest_id"]],
  backtest_strategies: [["backtest_id", "strategy"]],
  store_settings: [["id"]],
  imports: [["id"]],
  import_issues: [["id"]],
  trading_calendar: [["id"]],
  price_exports: [["id"]],
  input_quarantine: [["id"]],
};

/** The alert types, with the new AUDIT_INTEGRITY. */
const ALERT_TYPES = [
  "DATA_QUALITY",
  "FEATURE_DRIFT",
  "FORECAST_DRIFT",
  "INFEASIBLE_PRICE",
  "OVERRIDE_EXPIRING",
  "MODEL_PENDING_APPROVAL",
  "AUDIT_INTEGRITY",
];

const V_ALERTS = `
CREATE VIEW v_alerts AS
SELECT a.id, a.type, a.subject, a.sku, a.category,
  coalesce(l.severity, a.severity) AS severity,
  coalesce(l.message, a.message) AS message,
  coalesce(l.metrics, a.metrics) AS metrics,
  CASE WHEN r.id IS NULL THEN 'open' ELSE 'resolved' END AS status,
  1 + (SELECT count(*) FROM alert_events e WHERE e.alert_id = a.id AND e.event = 'seen') AS count,
  a.run_id AS opened_run_id, a.run_date AS opened_run_date,
  coalesce(l.run_id, a.run_id) AS last_run_id, coalesce(l.run_date, a.run_date) AS last_run_date,
  r.run_id AS resolved_run_id, a.recorded_at
FROM alerts a
LEFT JOIN alert_events l ON l.id = (
  SELECT max(id) FROM alert_events e WHERE e.alert_id = a.id AND e.event = 'seen')
LEFT JOIN alert_events r ON r.id = (
  SELECT max(id) FROM alert_events e WHERE e.alert_id = a.id AND e.event = 'resolved');`;

export const integrity: Migration = {
  auditTables: ["run_chain"],
  version: 7,
  name: "audit integrity: no-replace triggers, robust run state, run hash chain",
  foreignKeysOff: true,
  sql: `
${Object.entries(KEYS).map(([table, keys]) => noReplace(table, keys)).join("\n")}

DROP VIEW v_alerts;
CREATE TABLE alerts__v7 (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN (${ALERT_TYPES.map((t) => `'${t}'`).join(", ")})),
  subject TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  sku TEXT,
  category TEXT,
  message TEXT NOT NULL,
  metrics TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_date TEXT NOT NULL,
  recorded_at TEXT
) STRICT;
INSERT INTO alerts__v7 SELECT * FROM alerts ORDER BY id;
DROP TABLE alerts;
ALTER TABLE alerts__v7 RENAME TO alerts;
CREATE INDEX alerts_by_subject ON alerts (type, subject, id);
${appendOnly("alerts", [["id"]])}
${V_ALERTS}

-- A run succeeded if any of its events says so: a later stray or forged event cannot undo it
-- (verify reports such an event); otherwise its state is its latest event.
DROP VIEW v_runs;
CREATE VIEW v_runs AS
SELECT r.run_id, r.run_date, r.attempt, r.code_version, r.config_hash, e.event AS status,
  e.details AS details, r.recorded_at AS started_at, e.recorded_at AS finished_at
FROM runs r
JOIN run_events e ON e.id = coalesce(
  (SELECT min(id) FROM run_events WHERE run_id = r.run_id AND event = 'succeeded'),
  (SELECT max(id) FROM run_events WHERE run_id = r.run_id));

-- One link per succeeded run, in the order they committed: the hash of what the run read and
-- wrote and of the previous link (see engine/pipeline/chain.ts).
CREATE TABLE run_chain (
  seq INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE REFERENCES runs (run_id),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  payload TEXT NOT NULL CHECK (json_valid(payload))
) STRICT;
${appendOnly("run_chain", [["seq"], ["run_id"]])}
`,
};
