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
import type { PriceExportRecord } from "../schema/imports.ts";
import {
  readClosedDays,
  readPriceExports,
  readPricingPeriod,
  readUnexportedRuns,
} from "../store/queries.ts";
import { addPeriods } from "../util/period.ts";
import { nextRunDate } from "./due.ts";
import { deliverPriceExport, type InfeasiblePolicy } from "./export.ts";
import { addDays } from "../util/date.ts";
import { InputError } from "../util/errors.ts";
import { type DailyOptions, type DailyReport, runDaily } from "./daily.ts";
import { PreconditionError } from "./preconditions.ts";
import { fulfilRetrainRequest, type RetrainOutcome } from "./retrain.ts";

/** Options of {@linkcode runDates}. */
export interface RunDatesOptions extends Omit<DailyOptions, "runDate" | "model" | "recordedAt"> {
  /** First date to price. Default: the store's next run date. */
  from?: string;
  /** Consecutive dates (on a weekly store: weeks) to price. Default 1. */
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
  /** The caller's today: sales dated after it never move the default first date. */
  asOf?: string;
  /**
   * Write each run's price file (see `deliverPriceExport`): `write` should write a temporary
   * file and rename it. A run whose file fails is recorded and retried by the next call.
   */
  exportPrices?: {
    write(file: string, csv: string): void;
    infeasible?: InfeasiblePolicy;
  };
  /** Called after each date with its report. */
  onRun?: (report: DatedReport, index: number) => void;
  /** Called with each closed day of the trading calendar the dates skip. */
  onClosed?: (date: string) => void;
}

/** A date's report, with the candidate trained for its retrain request and its price file. */
export type DatedReport = DailyReport & {
  retrained?: RetrainOutcome;
  price_export?: PriceExportRecord;
};

/**
 * Runs the daily job for `days` consecutive dates from `from`; returns each date's report.
 * Closed days of the trading calendar are stepped over (see `onClosed`), except `from`
 * itself: a closed `from` is refused with a `PreconditionError`.
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
 * }]);
 * // the second day's run finds no sales of 2025-02-01: it prices on older data, as told
 * const reports = runDates(db, { days: 2, preconditions: { allowMissingActuals: true } });
 * assert.deepEqual(reports.map((r) => r.run_date), ["2025-02-01", "2025-02-02"]);
 * assert.equal(reports[0].strategies.rule, 1); // no approved model: rule-based
 * ```
 */
export function runDates(db: DatabaseSync, options: RunDatesOptions = {}): DatedReport[] {
  const {
    from,
    days = 1,
    model,
    clock,
    autoRetrain,
    onRun,
    onClosed,
    asOf,
    exportPrices,
    ...daily
  } = options;
  if (!Number.isInteger(days) || days < 1) {
    throw new InputError(`Cannot run the daily job for ${days} days: expected a whole number >= 1`);
  }
  const deliver = (runId: string) =>
    exportPrices &&
    deliverPriceExport(db, runId, exportPrices.write, {
      infeasible: exportPrices.infeasible,
      recordedAt: clock?.() ?? null,
    });
  // A run whose price file was not written (a failed write, or a process that ended between
  // the commit and the file) gets it first.
  if (exportPrices) { for (const r of readUnexportedRuns(db)) deliver(r.run_id); }
  const period = readPricingPeriod(db);
  const first = from ?? nextRunDate(db, { asOf });
  const last = addPeriods(period, first, days - 1);
  if (first < DATE_RANGE.first || last > DATE_RANGE.last) {
    throw new InputError(
      `Cannot price ${days} day(s) from ${first}: dates must lie from ${DATE_RANGE.first} to ${DATE_RANGE.last}` +
        (days > 1 ? ` (the last would be ${last}; price fewer days)` : ""),
    );
  }
  const reports: DatedReport[] = [];
  // A weekly store prices weeks: a closed day inside one does not stop it.
  const closed = new Set(
    period.kind === "day" ? readClosedDays(db, first, addDays(first, days)) : [],
  );
  // Closed days inside a span are stepped over; a date asked for by name is not silently.
  if (from !== undefined && closed.has(from)) {
    throw new PreconditionError(
      `Cannot run ${from}: the store is closed that day (trading calendar); nothing to price` +
        (days > 1 ? ` (start the ${days} days on an open day)` : ""),
    );
  }
  for (let i = 0; i < days; i++) {
    const runDate = addPeriods(period, first, i);
    if (closed.has(runDate)) {
      onClosed?.(runDate);
      continue;
    }
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
    if (exportPrices) {
      const written = readPriceExports(db, report.run_id).findLast((e) => e.status === "written");
      report.price_export = written ?? deliver(report.run_id) ?? undefined;
    }
    reports.push(report);
    onRun?.(report, i);
  }
  return reports;
}
