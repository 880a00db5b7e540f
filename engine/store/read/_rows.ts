/**
 * Private helpers of the read-only queries: SQLite flags as booleans and rows
 * checked by a zod schema on their way out.
 *
 * @module
 */
import { z } from "zod";
import { parseOrThrow } from "../../schema/common.ts";

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
