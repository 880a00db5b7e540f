/**
 * Re-packing the history blocks a store wrote in the first, full-width packing
 * (about 1,500 bytes a month, one overflow page each) into the narrow packing
 * {@linkcode encodeBlock} writes now (about 450 bytes, kept within the B-tree's
 * page): the values are the same bit for bit, so are the features read from
 * them; a year of a SKU is read from two or three pages instead of fifteen.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { decodeBlock, encodeBlock, isFullWidthBlock } from "./block.ts";

/** What {@linkcode repackHistoryBlocks} did. */
export interface RepackReport {
  /** Blocks read. */
  blocks: number;
  /** Blocks re-packed (those in the full-width packing). */
  repacked: number;
  /** Their bytes before and after. */
  bytesBefore: number;
  /** Their bytes after. */
  bytesAfter: number;
}

/**
 * Re-packs every full-width history block, in the caller's transaction, in the table's
 * key order (its keys are read first: about 50 bytes a block). Blocks already narrow are left as they are.
 *
 * @param db The store, open for writing.
 * @param options `onProgress`: called every `batch` blocks (default 20,000) and at the end
 * with the blocks read so far.
 * @returns What was re-packed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, repackHistoryBlocks, syncHistory } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * syncHistory(db);
 * const report = repackHistoryBlocks(db);
 * assert.equal(report.blocks, 1);
 * assert.equal(report.repacked, 0); // written narrow already
 * ```
 */
export function repackHistoryBlocks(
  db: DatabaseSync,
  options: { batch?: number; onProgress?: (blocks: number) => void } = {},
): RepackReport {
  const batch = options.batch ?? 20_000;
  // The keys first, in the table's own order (whichever key it has), then the blocks.
  const keys = statement(db, "SELECT sku, month FROM history_blocks").all();
  const read = statement(db, "SELECT data FROM history_blocks WHERE sku = ? AND month = ?");
  const write = statement(db, "UPDATE history_blocks SET data = ? WHERE sku = ? AND month = ?");
  const report: RepackReport = { blocks: 0, repacked: 0, bytesBefore: 0, bytesAfter: 0 };
  for (const k of keys) {
    const sku = k.sku as string, month = k.month as number;
    const data = read.get(sku, month)!.data as Uint8Array;
    report.blocks++;
    if (isFullWidthBlock(data)) {
      const packed = encodeBlock(decodeBlock(data));
      write.run(packed, sku, month);
      report.repacked++;
      report.bytesBefore += data.byteLength;
      report.bytesAfter += packed.byteLength;
    }
    if (report.blocks % batch === 0) options.onProgress?.(report.blocks);
  }
  options.onProgress?.(report.blocks);
  return report;
}
