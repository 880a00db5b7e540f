/**
 * The store's health as the Health page and `GET /api/health` show it: the
 * engine's judgement (`judgeHealth`) of what the store recorded.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Health, judgeHealth } from "../../../engine/monitoring/health.ts";
import { readHealthFacts } from "../../../engine/store/queries.ts";

export { Health };

/** The store's health judged at `now` (ISO 8601; null leaves the run's age out). */
export function healthView(db: DatabaseSync, options: { now: string | null }): Health {
  return judgeHealth(readHealthFacts(db), { now: options.now });
}
