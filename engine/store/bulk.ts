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
 * transaction, and recreates them afterwards (also when `fn` throws).
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
