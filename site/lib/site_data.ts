/**
 * The helpers that keep each site data loader to a few lines: where the store
 * is, and how to print a document checked by its zod schema (exit 1 with the
 * reason on any error). What the loaders emit is defined in `views/`, which the
 * operations server's API shares.
 *
 * @module
 */
import { z } from "zod";
import process from "node:process";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseSync } from "node:sqlite";
import { parseOrThrow } from "../../engine/schema/common.ts";
import { openReadOnly } from "../../engine/store/queries.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The store the site reads: `PRICING_DB` (relative to where the task was started), else data/pricing.db. */
export function storePath(): string {
  const p = Deno.env.get("PRICING_DB");
  if (!p) return resolve(ROOT, "data", "pricing.db");
  return isAbsolute(p) ? p : resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), p);
}

/** Runs `read` on the store opened read-only, checks the result with `schema` and prints it. */
export function emit<T extends z.ZodType>(schema: T, read: (db: DatabaseSync) => unknown): void {
  try {
    const path = storePath();
    try {
      Deno.statSync(path);
    } catch {
      throw new Error(`no store at ${path}: run \`deno task daily\` or set PRICING_DB`);
    }
    const db = openReadOnly(path);
    try {
      const value = parseOrThrow(schema, read(db), "emit the site data");
      process.stdout.write(JSON.stringify(value));
    } finally {
      db.close();
    }
  } catch (e) {
    console.error(`site data loader: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
