/**
 * Migration 5: backtest results for the site.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = ["backtests", "backtest_strategies"];

export const backtests: Migration = {
  auditTables: AUDIT,
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
${AUDIT.map((t) => appendOnly(t)).join("\n")}
`,
};
