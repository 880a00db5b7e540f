/**
 * Migration 14: history blocks re-packed narrow. The first packing kept every
 * column of a month at full width (about 1,500 bytes), more than SQLite keeps
 * in a WITHOUT ROWID table's page, so each month took an overflow page and
 * reading a SKU's year touched fifteen pages. The blocks are re-packed with the
 * same values, bit for bit (see `history/block.ts`); no table changes.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { repackHistoryBlocks } from "../history/repack.ts";

export const packedHistory: Migration = {
  auditTables: [],
  version: 14,
  name: "history blocks packed within their page",
  sql: "",
  run: (db) => void repackHistoryBlocks(db),
};
