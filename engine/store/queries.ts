/**
 * Read-only queries: the read contract for the pipeline, the site and
 * notebooks, split by domain under `read/`. Every row is checked by a zod schema
 * on its way out. Nothing here writes; `openReadOnly` opens the file read-only.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "./db.ts";
export * from "./read/inputs.ts";
export * from "./read/windowed_inputs.ts";
export * from "./read/runs.ts";
export * from "./read/pricing.ts";
export * from "./read/models.ts";
export * from "./read/monitoring.ts";
export * from "./read/forecast_pairs.ts";
export * from "./read/backtests.ts";
export * from "./read/decisions.ts";
export * from "./read/sku.ts";
export * from "./read/health.ts";
export * from "./read/users.ts";
export * from "./read/settings.ts";

/**
 * Opens the store at `path` read-only: no migration runs and no query can write.
 *
 * @param path The database file.
 * @returns The open connection; close it with `db.close()`.
 * @throws {Error} When the file cannot be opened (e.g. it does not exist).
 *
 * @example Usage
 * ```ts
 * import { openReadOnly } from "./queries.ts";
 * import { openStore } from "./db.ts";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const path = join(dir, "pricing.db");
 * openStore(path).close(); // creates and migrates the file
 * const db = openReadOnly(path);
 * assert.throws(() => db.exec("DELETE FROM sales"));
 * db.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function openReadOnly(path: string): DatabaseSync {
  return openStore(path, { readOnly: true });
}
export * from "./read/imports.ts";
export * from "./read/integrity.ts";
export * from "./read/evaluations.ts";
export * from "./read/quarantine.ts";
