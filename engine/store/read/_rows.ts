/**
 * Private helpers of the read-only queries: SQLite flags as booleans, rows
 * checked by a zod schema on their way out, and an input table's latest rows per SKU and date.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { parseOrThrow } from "../../schema/common.ts";
import { statement } from "../db.ts";
import { VALID_ROW } from "./valid_rows.ts";

export const flag = (v: unknown) => v === 1 || v === 1n;

export function rows<T extends z.ZodType>(
  schema: T,
  what: string,
  raw: Record<string, unknown>[],
  map: (r: Record<string, unknown>) => unknown = (r) => ({ ...r }),
): z.infer<T>[] {
  const out: z.infer<T>[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    out[i] = parseOrThrow(schema, map(raw[i]), `read ${what} row ${i + 1}`);
  }
  return out;
}

/**
 * Rows of an input table dated in [from, to) by SKU then date, corrections
 * applied: of several rows for one SKU and date, the last recorded wins. Rows that
 * fail the write-time checks (stored with them bypassed) are left out, as everywhere.
 */
export function latestRows(
  db: DatabaseSync,
  table: "sales" | "inventory" | "competitor_prices",
  columns: string,
  from: string,
  to: string,
): Record<string, unknown>[] {
  const all = statement(
    db,
    `SELECT ${columns} FROM ${table} WHERE date >= ? AND date < ? AND ${
      VALID_ROW[table]
    } ORDER BY sku, date, id`,
  ).all(from, to);
  const out: Record<string, unknown>[] = [];
  for (const r of all) {
    const prev = out[out.length - 1];
    if (prev && prev.sku === r.sku && prev.date === r.date) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}
