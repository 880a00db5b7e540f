/**
 * The append-only triggers every audit table gets in its migration.
 *
 * @module
 */

/**
 * SQL for two triggers that make a table append-only in the database itself: any
 * UPDATE or DELETE aborts with a message that names the table.
 *
 * @param table The table's name (a trusted identifier, not user input).
 * @returns The `CREATE TRIGGER` statements.
 *
 * @example Usage
 * ```ts
 * import { appendOnly } from "./_append_only.ts";
 * import { DatabaseSync } from "node:sqlite";
 * import assert from "node:assert/strict";
 *
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE notes (text TEXT) STRICT;" + appendOnly("notes"));
 * db.exec("INSERT INTO notes VALUES ('kept')");
 * assert.throws(() => db.exec("DELETE FROM notes"), /notes is append-only: DELETE refused/);
 * db.close();
 * ```
 */
export function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused (append a new row with a reason instead)'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused (append a new row with a reason instead)'); END;`;
}
