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
export * from "./read/runs.ts";
export * from "./read/pricing.ts";
export * from "./read/models.ts";
export * from "./read/monitoring.ts";
export * from "./read/backtests.ts";
export * from "./read/settings.ts";

/** Opens the store at `path` read-only. */
export function openReadOnly(path: string): DatabaseSync {
  return openStore(path, { readOnly: true });
}
