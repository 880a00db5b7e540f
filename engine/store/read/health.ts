/**
 * The facts the store's health is judged on (`judgeHealth` in
 * engine/monitoring), read in one go.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type {
  AlertRecord,
  MonitoringRunRecord,
  RetrainRequestRecord,
} from "../../schema/monitoring.ts";
import type { ModelSummary } from "../../schema/models.ts";
import type { OverrideRecord } from "../../schema/pricing.ts";
import type { RunRecord } from "../../schema/run.ts";
import { latestSalesDate } from "./inputs.ts";
import { readModelSummaries } from "./models.ts";
import { readAlerts, readMonitoringRuns, readRetrainRequests } from "./monitoring.ts";
import { readOverrides } from "./pricing.ts";
import { defaultRunDate, readRuns } from "./runs.ts";

/** Everything the health judgement reads. */
export interface HealthFacts {
  /** The latest runs, newest first (every attempt), up to the latest successful one. */
  runs: readonly RunRecord[];
  /** Alerts open now. */
  openAlerts: readonly AlertRecord[];
  /** The latest monitoring record, or null. */
  monitoring: MonitoringRunRecord | null;
  /** Registered models without their artifacts, newest first. */
  models: readonly ModelSummary[];
  /** Overrides whose window contains the next run date (revoked ones included, flagged). */
  overrides: readonly OverrideRecord[];
  /** Every retrain request, newest first. */
  retrainRequests: readonly RetrainRequestRecord[];
  /** The date the next run prices, or null in a store without sales. */
  nextRunDate: string | null;
}

/**
 * Reads the facts of the store's health.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../../mod.ts";
 * import { readHealthFacts } from "./health.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(readHealthFacts(db).nextRunDate, null); // no sales yet
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * runDaily(db, { runDate: "2025-02-01", model: null });
 * const facts = readHealthFacts(db);
 * assert.deepEqual(facts.runs.map((r) => [r.run_date, r.status]), [["2025-02-01", "succeeded"]]);
 * assert.deepEqual(facts.models, []);
 * db.close();
 * ```
 */
export function readHealthFacts(db: DatabaseSync): HealthFacts {
  const runs: RunRecord[] = [];
  for (let offset = 0;; offset += 8) {
    const page = readRuns(db, { limit: 8, offset });
    const k = page.findIndex((r) => r.status === "succeeded");
    runs.push(...(k < 0 ? page : page.slice(0, k + 1)));
    if (k >= 0 || page.length < 8) break;
  }
  const nextRunDate = latestSalesDate(db) ? defaultRunDate(db) : null;
  return {
    runs,
    openAlerts: readAlerts(db, { open: true }),
    monitoring: readMonitoringRuns(db, { limit: 1 })[0] ?? null,
    models: readModelSummaries(db),
    overrides: nextRunDate ? readOverrides(db, { activeOn: nextRunDate }) : [],
    retrainRequests: readRetrainRequests(db),
    nextRunDate,
  };
}
