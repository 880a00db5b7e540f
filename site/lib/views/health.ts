/**
 * The store's health as the Health page and `GET /api/health` show it: the
 * engine's judgement (`judgeHealth`) of what the store recorded, with the
 * store's pricing period. A weekly store runs once a week, so its last
 * successful run is stale after a week and 12 hours, not after 36 hours.
 *
 * @module
 */
import type { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { Health as Judged, judgeHealth } from "../../../engine/monitoring/health.ts";
import { readHealthFacts } from "../../../engine/store/queries.ts";
import { StorePeriod, storePeriod } from "./period.ts";

/** The store's health, and the period its next run date and runs are counted in. */
export const Health = Judged.extend({ period: StorePeriod });
export type Health = z.infer<typeof Health>;

/** Hours after which a weekly store's last successful run is stale: a week and 12 hours. */
export const WEEKLY_STALE_AFTER_HOURS = 7 * 24 + 12;

/** The store's health judged at `now` (ISO 8601; null leaves the run's age out). */
export function healthView(db: DatabaseSync, options: { now: string | null }): Health {
  const period = storePeriod(db);
  const judged = judgeHealth(readHealthFacts(db), {
    now: options.now,
    ...(period.kind === "week" ? { staleAfterHours: WEEKLY_STALE_AFTER_HOURS } : {}),
  });
  return { ...judged, period };
}
