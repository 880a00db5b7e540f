/**
 * Migration 13: the catalog's `size` (added by migration 9, after migration 6
 * gave the input tables their finiteness checks) refuses Infinity at write time
 * too. SQLite cannot add a CHECK to an existing column without rebuilding the
 * table, so a BEFORE INSERT trigger refuses it, as the CHECK would (readers
 * already leave out a row stored with it, see `read/valid_rows.ts`).
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { finite } from "./_checks.ts";

export const sizeCheck: Migration = {
  auditTables: [],
  version: 13,
  name: "catalog size refuses Infinity",
  sql: `
CREATE TRIGGER catalog_size_check BEFORE INSERT ON catalog
WHEN NEW.size IS NOT NULL AND NOT ${finite("NEW.size")}
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: catalog.size must be a finite number > 0'); END;
`,
};
