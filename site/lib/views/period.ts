/**
 * The store's pricing period as the site and the API show it beside a next run
 * date or a history: by day, or by week from a named weekday (a weekly store's
 * run dates, rows and price changes are per week).
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { Weekday } from "../../../engine/schema/imports.ts";
import { readPricingPeriod } from "../../../engine/store/queries.ts";

/** The store's pricing period. */
export const StorePeriod = z.object({
  /** `day` or `week`. */
  kind: z.enum(["day", "week"]),
  /** A weekly store's first weekday; null for a daily store. */
  week_start: Weekday.nullable(),
  /** Days in one period: 1 or 7. */
  days: z.union([z.literal(1), z.literal(7)]),
});
export type StorePeriod = z.infer<typeof StorePeriod>;

/** The store's pricing period (a store without settings prices by day). */
export function storePeriod(db: DatabaseSync): StorePeriod {
  const p = readPricingPeriod(db);
  return { kind: p.kind, week_start: p.weekStart, days: p.days };
}
