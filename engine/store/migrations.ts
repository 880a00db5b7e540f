/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction;
 * `schema_migrations` records which ran. Never edit a shipped migration: add one.
 *
 * @module
 */

/** One schema change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** SQL for two triggers that make a table append-only in the database itself. */
export function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused (append a new row with a reason instead)'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused (append a new row with a reason instead)'); END;`;
}

/** Tables whose rows can never change once written. */
export const AUDIT_TABLES = [
  "catalog",
  "sales",
  "inventory",
  "competitor_prices",
  "sim_config",
  "feature_snapshots",
  "runs",
  "run_events",
  "overrides",
  "override_revocations",
  "decisions",
  "models",
  "model_events",
  "monitoring_runs",
  "forecast_accuracy",
  "drift_metrics",
  "data_quality_issues",
  "alerts",
  "alert_events",
  "retrain_requests",
  "retrain_request_events",
  "backtests",
  "backtest_strategies",
] as const;

const inputs: Migration = {
  version: 1,
  name: "inputs, feature snapshots and the run log",
  sql: `
CREATE TABLE catalog (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  category TEXT NOT NULL,
  unit_cost REAL NOT NULL CHECK (unit_cost > 0),
  floor_price REAL NOT NULL CHECK (floor_price > 0),
  ceiling_price REAL NOT NULL CHECK (ceiling_price >= floor_price),
  min_margin REAL NOT NULL CHECK (min_margin >= 0 AND min_margin < 1),
  max_daily_change REAL NOT NULL CHECK (max_daily_change > 0 AND max_daily_change <= 1),
  price_ending TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX catalog_by_sku ON catalog (sku, effective_date, id);

CREATE TABLE sales (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  date TEXT NOT NULL,
  units INTEGER NOT NULL CHECK (units >= 0),
  revenue REAL NOT NULL CHECK (revenue >= 0),
  avg_price REAL NOT NULL CHECK (avg_price > 0),
  promo INTEGER NOT NULL CHECK (promo IN (0, 1)),
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX sales_by_sku ON sales (sku, date, id);

CREATE TABLE inventory (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  date TEXT NOT NULL,
  on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
  on_order INTEGER NOT NULL CHECK (on_order >= 0),
  next_receipt_date TEXT,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX inventory_by_sku ON inventory (sku, date, id);

CREATE TABLE competitor_prices (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  date TEXT NOT NULL,
  competitor_price REAL NOT NULL CHECK (competitor_price > 0),
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX competitor_prices_by_sku ON competitor_prices (sku, date, id);
CREATE INDEX sales_by_date ON sales (date);

CREATE TABLE sim_config (
  id INTEGER PRIMARY KEY,
  scenario TEXT NOT NULL,
  seed INTEGER NOT NULL,
  skus INTEGER NOT NULL,
  start_date TEXT NOT NULL,
  history_days INTEGER NOT NULL
) STRICT;

CREATE TABLE feature_snapshots (
  run_date TEXT NOT NULL,
  sku TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  features TEXT NOT NULL,
  PRIMARY KEY (run_date, sku)
) STRICT;

CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  run_date TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  code_version TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  recorded_at TEXT,
  UNIQUE (run_date, attempt)
) STRICT;

CREATE TABLE run_events (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  event TEXT NOT NULL CHECK (event IN ('started', 'succeeded', 'failed')),
  details TEXT NOT NULL,
  recorded_at TEXT
) STRICT;
CREATE INDEX run_events_by_run ON run_events (run_id, id);

CREATE VIEW v_runs AS
SELECT r.run_id, r.run_date, r.attempt, r.code_version, r.config_hash, e.event AS status,
  e.details AS details, r.recorded_at AS started_at, e.recorded_at AS finished_at
FROM runs r
JOIN run_events e ON e.id = (SELECT max(id) FROM run_events WHERE run_id = r.run_id);
${
    [
      "catalog",
      "sales",
      "inventory",
      "competitor_prices",
      "sim_config",
      "feature_snapshots",
      "runs",
      "run_events",
    ].map(appendOnly).join("\n")
  }
`,
};

const pricing: Migration = {
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
${["overrides", "override_revocations", "decisions"].map(appendOnly).join("\n")}
`,
};

const registry: Migration = {
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
${["models", "model_events"].map(appendOnly).join("\n")}
`,
};

const monitoring: Migration = {
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
${
    [
      "monitoring_runs",
      "forecast_accuracy",
      "drift_metrics",
      "data_quality_issues",
      "alerts",
      "alert_events",
      "retrain_requests",
      "retrain_request_events",
    ].map(appendOnly).join("\n")
  }
`,
};

const backtests: Migration = {
  version: 5,
  name: "backtest results for the site",
  sql: `
-- One row per backtest report; backtest_id is the sha256 of the report, so the same
-- backtest stored twice is one row.
CREATE TABLE backtests (
  backtest_id TEXT PRIMARY KEY,
  scenario TEXT NOT NULL,
  seed INTEGER NOT NULL,
  skus INTEGER NOT NULL CHECK (skus > 0),
  days INTEGER NOT NULL CHECK (days > 0),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  ml_oracle_capture REAL,
  report TEXT NOT NULL,
  recorded_at TEXT
) STRICT;
CREATE INDEX backtests_by_scenario ON backtests (scenario, seed);

-- One row per strategy of a backtest: the headline metrics (the per-day series are in the report).
CREATE TABLE backtest_strategies (
  backtest_id TEXT NOT NULL REFERENCES backtests (backtest_id),
  strategy TEXT NOT NULL CHECK (strategy IN ('ml', 'rule', 'static', 'oracle')),
  revenue REAL NOT NULL,
  profit REAL NOT NULL,
  units REAL NOT NULL,
  lost_units REAL NOT NULL,
  stockout_days INTEGER NOT NULL,
  avg_margin REAL NOT NULL,
  price_changes INTEGER NOT NULL,
  profit_vs_static_pct REAL,
  profit_vs_static_lo REAL,
  profit_vs_static_hi REAL,
  PRIMARY KEY (backtest_id, strategy)
) STRICT;
${["backtests", "backtest_strategies"].map(appendOnly).join("\n")}
`,
};

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [inputs, pricing, registry, monitoring, backtests];
