/**
 * Bulk loading: building an index once after a load is several times faster
 * than updating it row by row, so a load into new tables can set their
 * indexes aside and rebuild them from their own stored SQL afterwards.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `fn` with the indexes of `tables` dropped, inside the caller's
 * transaction, and recreates them afterwards from their stored SQL (also when
 * `fn` throws).
 *
 * @param db A connection open for writing, inside a transaction.
 * @param tables The tables whose indexes to set aside.
 * @param fn The load to run.
 * @returns What `fn` returns.
 * @throws What `fn` throws, after the indexes are back.
 *
 * @example Usage
 * ```ts
 * import { withoutIndexes } from "./bulk.ts";
 * import { openStore, transaction } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const indexes = () =>
 *   db.prepare(
 *     "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sales'",
 *   ).get()?.n;
 * const before = indexes();
 * transaction(db, () => withoutIndexes(db, ["sales"], () => assert.equal(indexes(), 0)));
 * assert.equal(indexes(), before);
 * db.close();
 * ```
 */
export function withoutIndexes<T>(db: DatabaseSync, tables: readonly string[], fn: () => T): T {
  const marks = tables.map(() => "?").join(",");
  const indexes = db.prepare(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks}) ORDER BY name`,
  ).all(...tables);
  for (const ix of indexes) db.exec(`DROP INDEX "${String(ix.name)}"`);
  try {
    return fn();
  } finally {
    for (const ix of indexes) db.exec(String(ix.sql));
  }
}
