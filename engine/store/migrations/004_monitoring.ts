/**
 * Migration 4: monitoring (forecast accuracy, drift, data quality, alerts and
 * retrain requests).
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = [
  "monitoring_runs",
  "forecast_accuracy",
  "drift_metrics",
  "data_quality_issues",
  "alerts",
  "alert_events",
  "retrain_requests",
  "retrain_request_events",
];

export const monitoring: Migration = {
  auditTables: AUDIT,
  version: 4,
  name: "monitoring: forecast accuracy, drift, data quality, alerts and retrain requests",
  sql: `
-- One row per monitored run: a run is monitored once (a second monitor of it changes nothing).
CREATE TABLE monitoring_runs (
  run_id TEXT PRIMARY KEY REFERENCES runs (run_id),
  run_date TEXT NOT NULL,
  model_version TEXT,
  summary TEXT NOT NULL,
  recorded_at TEXT
) STRICT;
CREATE INDEX monitoring_runs_by_date ON monitoring_runs (run_date);

CREATE TABLE forecast_accuracy (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  run_date TEXT NOT NULL,
  window_days INTEGER NOT NULL CHECK (window_days > 0),
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('all', 'strategy', 'category')),
  scope TEXT NOT NULL,
  n INTEGER NOT NULL,
  actual_units REAL NOT NULL,
  predicted_units REAL NOT NULL,
  wape REAL,
  bias REAL,
  PRIMARY KEY (run_id, window_days, scope_kind, scope)
) STRICT;

CREATE TABLE drift_metrics (
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  run_date TEXT NOT NULL,
  model_version TEXT NOT NULL,
  scope TEXT NOT NULL,
  feature TEXT NOT NULL,
  n INTEGER NOT NULL,
  psi REAL NOT NULL,
  threshold REAL NOT NULL,
  drifted INTEGER NOT NULL CHECK (drifted IN (0, 1)),
  PRIMARY KEY (run_id, scope, feature)
) STRICT;

CREATE TABLE data_quality_issues (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  run_date TEXT NOT NULL,
  "check" TEXT NOT NULL,
  sku TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  message TEXT NOT NULL
) STRICT;
CREATE INDEX data_quality_issues_by_run ON data_quality_issues (run_id, sku);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('DATA_QUALITY', 'FEATURE_DRIFT', 'FORECAST_DRIFT',
    'INFEASIBLE_PRICE', 'OVERRIDE_EXPIRING', 'MODEL_PENDING_APPROVAL')),
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
CREATE INDEX alerts_by_subject ON alerts (type, subject, id);

CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  event TEXT NOT NULL CHECK (event IN ('seen', 'resolved')),
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message TEXT NOT NULL,
  metrics TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_date TEXT NOT NULL,
  recorded_at TEXT
) STRICT;
CREATE INDEX alert_events_by_alert ON alert_events (alert_id, id);

-- An alert's current state from its events: resolved is final; count = the opening run
-- plus every run that saw it again; severity, message and metrics are the latest sighting's.
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
  SELECT max(id) FROM alert_events e WHERE e.alert_id = a.id AND e.event = 'resolved');

CREATE TABLE retrain_requests (
  id INTEGER PRIMARY KEY,
  model_version TEXT NOT NULL REFERENCES models (version),
  run_id TEXT NOT NULL,
  run_date TEXT NOT NULL,
  rule TEXT NOT NULL,
  metrics TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

CREATE TABLE retrain_request_events (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES retrain_requests (id),
  event TEXT NOT NULL CHECK (event IN ('candidate_registered', 'closed')),
  candidate_version TEXT,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT
) STRICT;

CREATE VIEW v_retrain_requests AS
SELECT q.*,
  CASE
    WHEN EXISTS (SELECT 1 FROM retrain_request_events e WHERE e.request_id = q.id AND e.event = 'closed') THEN 'closed'
    WHEN EXISTS (SELECT 1 FROM retrain_request_events e WHERE e.request_id = q.id AND e.event = 'candidate_registered') THEN 'candidate_registered'
    ELSE 'open'
  END AS status,
  (SELECT candidate_version FROM retrain_request_events e WHERE e.request_id = q.id
     AND e.event = 'candidate_registered' ORDER BY e.id DESC LIMIT 1) AS candidate_version
FROM retrain_requests q;
${AUDIT.map((t) => appendOnly(t)).join("\n")}
`,
};
