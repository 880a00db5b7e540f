/**
 * The append-only triggers every audit table gets in its migration.
 *
 * @module
 */

/** SQL for two triggers that make a table append-only in the database itself. */
export function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused (append a new row with a reason instead)'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused (append a new row with a reason instead)'); END;`;
}
