/**
 * Migration 18: the input tables (`sales`, `inventory`, `competitor_prices`)
 * are indexed by date then SKU only. Their indexes by SKU then date made every
 * day's rows land on a different page of each index for each SKU: at 100,000
 * SKUs a day's import or simulated actuals dirtied about a third of three
 * 1 GB indexes, read and written again at the checkpoint. Keyed by date first,
 * a new day's rows append to the end of one index. Readers that look one SKU
 * up look it up date by date (`(date, sku)` is a key); the daily run's bulk
 * reads go through the history blocks (migration 12), not these indexes.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";

const TABLES = ["sales", "inventory", "competitor_prices"] as const;

export const inputsByDate: Migration = {
  auditTables: [],
  version: 18,
  name: "input tables indexed by date then SKU",
  sql: TABLES.map((t) => `
DROP INDEX IF EXISTS ${t}_by_sku;
DROP INDEX IF EXISTS ${t}_by_date;
CREATE INDEX ${t}_by_date ON ${t} (date, sku, id);
`).join(""),
};
