/**
 * When the next run is due. A daily store prices the day after its latest
 * sales (or after its latest run); a weekly store prices the week after the
 * latest week with sales that has ended, once that week's sales are in: asked
 * before, it has nothing due.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { defaultRunDate, latestSalesDate, readPricingPeriod } from "../store/queries.ts";
import { addDays } from "../util/date.ts";
import { addPeriods, periodStartOf, type PricingPeriod } from "../util/period.ts";

/** Whether a run is due, and for which date. */
export interface DueRun {
  /** True when the store's next period can be priced now. */
  due: boolean;
  /** The date the next run prices (a week's first day on a weekly store). */
  run_date: string;
  /** `day` or `week`. */
  period: "day" | "week";
  /** Why nothing is due, else null. */
  reason: string | null;
}

/**
 * The date the store's next run prices: on a daily store `defaultRunDate` (the day
 * after the latest sales date or the latest succeeded run, closed days skipped); on
 * a weekly store the week after the latest week with sales, or after the latest
 * succeeded run when that is later.
 *
 * @param db The store.
 * @param options `asOf`: the caller's today; sales dated after it, and on a weekly store
 * the sales of a week that has not ended by it, are not counted.
 * @returns The run date.
 * @throws {RangeError} When the store has no sales.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, appendStoreSettings, nextRunDate, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendStoreSettings(db, { name: "oj", period: "week", week_start: "thursday" }, {
 *   actor: "ann", reason: "weekly", recordedAt: null,
 * });
 * appendSales(db, [{
 *   sku: "A", date: "2025-01-02", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * assert.equal(nextRunDate(db), "2025-01-09"); // the Thursday after the week of 2025-01-02
 * ```
 */
export function nextRunDate(db: DatabaseSync, options: { asOf?: string } = {}): string {
  return defaultRunDate(db, options);
}

/** The first day of the latest week with sales that ended by `asOf` (any week without it). */
function _latestWeek(db: DatabaseSync, period: PricingPeriod, asOf?: string): string | null {
  const last = latestSalesDate(
    db,
    asOf === undefined ? {} : { before: addDays(asOf, 1 - (period.days - 1)) },
  );
  return last === null ? null : periodStartOf(period, last);
}

/**
 * Whether the store's next run is due (see {@linkcode nextRunDate}). A daily store
 * always is (its preconditions judge the data); a weekly store is when the sales of
 * the week before the next one are in, and otherwise has nothing due.
 *
 * @param db The store.
 * @param options `asOf`: the caller's today (see {@linkcode nextRunDate}).
 * @returns Whether a run is due, its date and, when none is, why.
 * @throws {RangeError} When the store has no sales.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { DatabaseSync } from "node:sqlite";
 * import {
 *   appendRunEvent, appendRunStart, appendSales, appendStoreSettings, dueRun, openStore,
 * } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendStoreSettings(db, { name: "oj", period: "week", week_start: "thursday" }, {
 *   actor: "ann", reason: "weekly", recordedAt: null,
 * });
 * const sale = { sku: "A", units: 3, revenue: 6, shelf_price: 2, promo: false };
 * appendSales(db, [{ ...sale, date: "2025-01-02" }]);
 * // the week from Thursday 2025-01-02 ended on Wednesday 2025-01-08: the next week is due
 * assert.deepEqual(dueRun(db, { asOf: "2025-01-08" }).run_date, "2025-01-09");
 * // priced; a week later the sales of the week from 2025-01-09 are not in yet
 * appendRunOf(db, "2025-01-09");
 * const later = dueRun(db, { asOf: "2025-01-15" });
 * assert.deepEqual([later.due, later.run_date], [false, "2025-01-16"]);
 * function appendRunOf(db: DatabaseSync, date: string) {
 *   const run = { runId: `${date}#1`, runDate: date, attempt: 1, codeVersion: "t", configHash: "x" };
 *   appendRunStart(db, { ...run, recordedAt: null, details: {} });
 *   appendRunEvent(db, run.runId, "succeeded", {}, null);
 * }
 * ```
 */
export function dueRun(db: DatabaseSync, options: { asOf?: string } = {}): DueRun {
  const period = readPricingPeriod(db);
  const runDate = nextRunDate(db, options);
  if (period.kind === "day") return { due: true, run_date: runDate, period: "day", reason: null };
  const previous = addPeriods(period, runDate, -1);
  const latestWeek = _latestWeek(db, period, options.asOf)!;
  if (latestWeek >= previous) return { due: true, run_date: runDate, period: "week", reason: null };
  return {
    due: false,
    run_date: runDate,
    period: "week",
    reason:
      `nothing due: the week from ${runDate} is priced once the sales of the week from ${previous} are in (the latest are of the week from ${latestWeek})`,
  };
}
