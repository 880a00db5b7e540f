/**
 * The daily job over consecutive dates, as a scheduler or a backtest runs it:
 * for each date, choose the model, run the day, and answer a retrain request
 * with a pending candidate when asked to.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DemandModel } from "../demand/model.ts";
import { championModel } from "../registry/load.ts";
import { DATE_RANGE } from "../schema/common.ts";
import { defaultRunDate } from "../store/queries.ts";
import { addDays } from "../util/date.ts";
import { InputError } from "../util/errors.ts";
import { type DailyOptions, type DailyReport, runDaily } from "./daily.ts";
import { fulfilRetrainRequest, type RetrainOutcome } from "./retrain.ts";

/** Options of {@linkcode runDates}. */
export interface RunDatesOptions extends Omit<DailyOptions, "runDate" | "model" | "recordedAt"> {
  /** First date to price. Default: the store's next run date. */
  from?: string;
  /** Consecutive dates to price. Default 1. */
  days?: number;
  /**
   * The model that prices a date (called before each run, with the date and its index).
   * Default: the approved champion at that moment.
   */
  model?: (db: DatabaseSync, runDate: string, index: number) => DemandModel | null;
  /** Wall-clock time for each run's records, read by the caller's clock. Default: none. */
  clock?: () => string | null;
  /**
   * After a run whose monitoring keeps a retrain request open, train a candidate of the
   * champion's kind for it and register it as pending (the champion keeps pricing).
   */
  autoRetrain?: { actor: string; onProgress?: (message: string) => void };
  /** Called after each date with its report. */
  onRun?: (report: DatedReport, index: number) => void;
}

/** A date's report, with the candidate trained for its retrain request, if any. */
export type DatedReport = DailyReport & { retrained?: RetrainOutcome };

/**
 * Runs the daily job for `days` consecutive dates from `from`; returns each date's report.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDates } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 *   reason: "initial",
 * }]);
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false,
 *   reason: "observed",
 * }]);
 * const reports = runDates(db, { days: 2 });
 * assert.deepEqual(reports.map((r) => r.run_date), ["2025-02-01", "2025-02-02"]);
 * assert.equal(reports[0].strategies.rule, 1); // no approved model: rule-based
 * ```
 */
export function runDates(db: DatabaseSync, options: RunDatesOptions = {}): DatedReport[] {
  const { from, days = 1, model, clock, autoRetrain, onRun, ...daily } = options;
  if (!Number.isInteger(days) || days < 1) {
    throw new InputError(`Cannot run the daily job for ${days} days: expected a whole number >= 1`);
  }
  const first = from ?? defaultRunDate(db);
  const last = addDays(first, days - 1);
  if (first < DATE_RANGE.first || last > DATE_RANGE.last) {
    throw new InputError(
      `Cannot price ${days} day(s) from ${first}: dates must lie from ${DATE_RANGE.first} to ${DATE_RANGE.last}` +
        (days > 1 ? ` (the last would be ${last}; price fewer days)` : ""),
    );
  }
  const reports: DatedReport[] = [];
  for (let i = 0; i < days; i++) {
    const runDate = addDays(first, i);
    const report: DatedReport = runDaily(db, {
      ...daily,
      runDate,
      model: model ? model(db, runDate, i) : championModel(db),
      recordedAt: clock?.() ?? null,
    });
    if (autoRetrain && report.retrain?.request_id != null) {
      const outcome = fulfilRetrainRequest(db, {
        actor: autoRetrain.actor,
        recordedAt: clock?.() ?? null,
        onProgress: autoRetrain.onProgress,
      });
      if (outcome) report.retrained = outcome;
    }
    reports.push(report);
    onRun?.(report, i);
  }
  return reports;
}
