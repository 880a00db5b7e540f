/**
 * Migration 1: inputs, feature snapshots and the run log.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = [
  "catalog",
  "sales",
  "inventory",
  "competitor_prices",
  "sim_config",
  "feature_snapshots",
  "runs",
  "run_events",
];

export const inputs: Migration = {
  auditTables: AUDIT,
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
${AUDIT.map((t) => appendOnly(t)).join("\n")}
`,
};
