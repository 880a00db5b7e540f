/**
 * Overrides as the Controls page and `GET /api/overrides` show them: every
 * override with its revocation and whether it applies to the next run.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { OverrideRecord } from "../../../engine/schema/pricing.ts";
import { isInForce } from "../../../engine/pricing/overrides.ts";
import { latestSalesDate, readOverrides } from "../../../engine/store/queries.ts";
import { defaultRunDate } from "../../../engine/store/queries.ts";
import { StorePeriod, storePeriod } from "./period.ts";

/**
 * Every override (newest first), each saying whether it applies to the next run date, and
 * the store's pricing period (a weekly store's next run date starts a week).
 */
export const OverridesData = z.object({
  next_run_date: z.string().nullable(),
  period: StorePeriod,
  overrides: z.array(OverrideRecord.extend({ applies_next_run: z.boolean() })),
});
export type OverridesData = z.infer<typeof OverridesData>;

/** Every override, newest first. */
export function overridesView(db: DatabaseSync): OverridesData {
  const next = latestSalesDate(db) ? defaultRunDate(db) : null;
  return {
    next_run_date: next,
    period: storePeriod(db),
    overrides: readOverrides(db).reverse().map((o) => ({
      ...o,
      applies_next_run: next !== null && isInForce(o, next),
    })),
  };
}
