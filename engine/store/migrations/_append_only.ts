/**
 * The triggers that make a table append-only in the database itself: UPDATE
 * and DELETE abort, and so does any INSERT that would replace an existing row
 * (`INSERT OR REPLACE`, `REPLACE`, an upsert): SQLite's REPLACE deletes the
 * old row without firing DELETE triggers unless `recursive_triggers` is on, so
 * a BEFORE INSERT trigger checks each of the table's keys.
 *
 * @module
 */

/**
 * SQL for the UPDATE and DELETE triggers of `table`, and its no-replace triggers when `keys`
 * are given.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { appendOnly } from "./_append_only.ts";
 *
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;");
 * db.exec(appendOnly("notes", [["id"]]));
 * db.exec("INSERT INTO notes (text) VALUES ('first')");
 * assert.throws(() => db.exec("UPDATE notes SET text = 'changed'"), /append-only: UPDATE refused/);
 * assert.throws(() => db.exec("DELETE FROM notes"), /append-only: DELETE refused/);
 * assert.throws(() => db.exec("REPLACE INTO notes (id, text) VALUES (1, 'x')"), /append-only/);
 * db.close();
 * ```
 */
export function appendOnly(table: string, keys: readonly (readonly string[])[] = []): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused (append a new row with a reason instead)'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused (append a new row with a reason instead)'); END;${
    keys.length ? `\n${noReplace(table, keys)}` : ""
  }`;
}

/**
 * SQL for a BEFORE INSERT trigger per key of `table` that aborts when a row with
 * that key exists. An integer `id` key is checked only when the insert gives one
 * (SQLite passes -1 for an id it will assign), so ordinary appends stay cheap.
 */
export function noReplace(table: string, keys: readonly (readonly string[])[]): string {
  return keys.map((key, i) => {
    const match = key.map((c) => `${c} = NEW.${c}`).join(" AND ");
    const guard = key.length === 1 && key[0] === "id" ? "NEW.id >= 0 AND " : "";
    return `CREATE TRIGGER ${table}_no_replace${i ? `_${i + 1}` : ""} BEFORE INSERT ON ${table}
WHEN ${guard}EXISTS (SELECT 1 FROM ${table} WHERE ${match})
BEGIN SELECT RAISE(ABORT, '${table} is append-only: an insert that would replace the row with this ${
      key.join(", ")
    } is refused'); END;`;
  }).join("\n");
}
