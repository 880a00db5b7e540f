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
 * @param tables The tables whose indexes (and no-replace triggers) to set aside.
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
  // The no-replace triggers too: a row-by-row existence check costs more than the insert,
  // and a load of new rows replaces nothing. Both come back before the transaction ends.
  const set = db.prepare(
    `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN (${marks})
     AND (type = 'index' OR (type = 'trigger' AND name GLOB '*_no_replace*')) ORDER BY name`,
  ).all(...tables);
  for (const o of set) db.exec(`DROP ${String(o.type).toUpperCase()} "${String(o.name)}"`);
  try {
    return fn();
  } finally {
    for (const o of set) db.exec(String(o.sql));
  }
}

/** Rows below which a load never sets indexes aside: updating them row by row is cheaper. */
export const BULK_LOAD_MIN_ROWS = 100_000;

/**
 * Runs a load of `rows` new rows into `table` with its indexes set aside (see
 * {@linkcode withoutIndexes}) when the load is large — at least
 * {@linkcode BULK_LOAD_MIN_ROWS} rows and at least as many as the table holds
 * already, so that rebuilding the indexes costs less than updating them row by
 * row — and as it is otherwise.
 *
 * @param db A connection open for writing, inside a transaction.
 * @param table The table the load appends to.
 * @param rows How many rows the load appends.
 * @param fn The load.
 * @returns What `fn` returns.
 *
 * @example Usage
 * ```ts
 * import { withBulkLoad } from "./bulk.ts";
 * import { openStore, transaction } from "./db.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const indexes = () =>
 *   db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sales'")
 *     .get()?.n;
 * const before = indexes();
 * transaction(db, () => withBulkLoad(db, "sales", 10, () => assert.equal(indexes(), before)));
 * transaction(db, () => withBulkLoad(db, "sales", 200_000, () => assert.equal(indexes(), 0)));
 * assert.equal(indexes(), before);
 * ```
 */
export function withBulkLoad<T>(db: DatabaseSync, table: string, rows: number, fn: () => T): T {
  if (rows < BULK_LOAD_MIN_ROWS) return fn();
  // Ids only grow in these append-only tables: the largest is the row count, near enough.
  const held = Number(
    db.prepare(`SELECT coalesce(max(id), 0) AS n FROM "${table.replaceAll('"', '""')}"`).get()?.n,
  );
  return rows >= held ? withoutIndexes(db, [table], fn) : fn();
}
