/**
 * Migration 12: state the daily run keeps so that a fresh process reads only
 * what it needs, at any catalog size. `history_blocks` holds each SKU's joined
 * history (sales, closing stock, competitor price per day) one calendar month
 * per row, brought up to date from the rows appended since `history_state`;
 * `elasticity_fits` keeps each SKU's weekly elasticity fit. Both are derived
 * from the append-only inputs and can be rebuilt from them (they are caches,
 * not audit tables). Quarantined input rows gain their SKU and date, so that a
 * correction of the same key lifts the quarantine. `run_shards` records each
 * shard of a sharded run as it commits (append-only): the run succeeds when the
 * last of its shards lands.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

export const history: Migration = {
  auditTables: ["run_shards"],
  version: 12,
  name: "history blocks, their sync state, and weekly elasticity fits",
  sql: `
ALTER TABLE input_quarantine ADD COLUMN sku TEXT;
ALTER TABLE input_quarantine ADD COLUMN date TEXT;
CREATE INDEX input_quarantine_by_row ON input_quarantine (table_name, row_id);

CREATE TABLE history_blocks (
  sku TEXT NOT NULL,
  month INTEGER NOT NULL,
  days INTEGER NOT NULL CHECK (days >= 0),
  sales_days INTEGER NOT NULL CHECK (sales_days >= 0),
  data BLOB NOT NULL,
  PRIMARY KEY (sku, month)
) WITHOUT ROWID, STRICT;

CREATE TABLE history_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sales_id INTEGER NOT NULL,
  inventory_id INTEGER NOT NULL,
  competitor_id INTEGER NOT NULL,
  catalog_id INTEGER NOT NULL
) STRICT;

CREATE TABLE elasticity_fits (
  sku TEXT NOT NULL,
  anchor INTEGER NOT NULL,
  window_days INTEGER NOT NULL,
  options_key TEXT NOT NULL,
  estimate REAL,
  se REAL,
  n INTEGER NOT NULL,
  note TEXT,
  PRIMARY KEY (sku, anchor, window_days, options_key)
) WITHOUT ROWID, STRICT;

CREATE TABLE run_shards (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  shard INTEGER NOT NULL CHECK (shard >= 1),
  shards INTEGER NOT NULL CHECK (shards >= 1 AND shard <= shards),
  skus INTEGER NOT NULL CHECK (skus >= 0),
  details TEXT NOT NULL CHECK (json_valid(details)),
  recorded_at TEXT,
  UNIQUE (run_id, shard)
) STRICT;
${appendOnly("run_shards", [["id"], ["run_id", "shard"]])}
`,
};
