/**
 * Migration 17: `forecast_pair_days`, each run date's forecast pairs (the
 * run's forecasts joined to that day's actuals) kept in columns, with the last
 * sales and inventory row ids they were computed from. The daily monitoring
 * reads 30 days of pairs; a fresh process now takes the 29 days it computed
 * before from here (when no sales or inventory row of their date was appended
 * since) and computes only the new one. Derived state, like the history
 * blocks: it can be dropped and is rebuilt as runs need it.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";

export const forecastPairDays: Migration = {
  auditTables: [],
  version: 17,
  name: "forecast pairs kept per run date",
  sql: `
CREATE TABLE forecast_pair_days (
  run_date TEXT PRIMARY KEY,
  sales_id INTEGER NOT NULL,
  inventory_id INTEGER NOT NULL,
  labels TEXT NOT NULL CHECK (json_valid(labels)),
  data BLOB NOT NULL
) STRICT;
`,
};
