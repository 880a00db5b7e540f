/**
 * Migration 16: history blocks keyed by month, then SKU. A run rewrites every
 * SKU's current month; keyed by SKU first, those blocks lay one per page across
 * the whole table (100,000 pages written, and written again at the checkpoint,
 * at 100,000 SKUs); keyed by month first they are side by side, about nine to a
 * page. Readers take a chunk's SKUs month by month, in SKU order, so each page
 * is read once.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";

export const historyByMonth: Migration = {
  auditTables: [],
  version: 16,
  name: "history blocks keyed by month, then SKU",
  sql: `
CREATE TABLE history_blocks_by_month (
  month INTEGER NOT NULL,
  sku TEXT NOT NULL,
  days INTEGER NOT NULL CHECK (days >= 0),
  sales_days INTEGER NOT NULL CHECK (sales_days >= 0),
  data BLOB NOT NULL,
  PRIMARY KEY (month, sku)
) WITHOUT ROWID, STRICT;
INSERT INTO history_blocks_by_month (month, sku, days, sales_days, data)
SELECT month, sku, days, sales_days, data FROM history_blocks ORDER BY month, sku;
DROP TABLE history_blocks;
ALTER TABLE history_blocks_by_month RENAME TO history_blocks;
`,
};
