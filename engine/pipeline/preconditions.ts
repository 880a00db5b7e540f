/**
 * What must hold before a run prices a date, checked inside its lock after the
 * day's actuals were recorded: the last open day's sales are in for nearly
 * every active SKU, the date is close to the data, and it is not earlier than
 * the latest succeeded run (unless a backfill is asked for). Rows dated on or
 * after the run date are never read; they are reported.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { cachedCatalog } from "../store/incremental/catalog.ts";
import {
  latestSalesDate,
  latestSucceededRunDate,
  readClosedDays,
  readRowsFrom,
  readSkusWithSales,
} from "../store/queries.ts";
import type { RunPreconditions } from "../schema/run.ts";
import { addDays, daysBetween } from "../util/date.ts";
import { InputError } from "../util/errors.ts";
import { addPeriods, DAILY_PERIOD, type PricingPeriod } from "../util/period.ts";

/** Options of {@linkcode checkPreconditions}. */
export interface PreconditionOptions {
  /** Price although more than `missingShare` of the active SKUs lack the last open day's sales. */
  allowMissingActuals?: boolean;
  /** Price a date earlier than the latest succeeded run (a backfill). */
  backfill?: boolean;
  /** Largest share of active SKUs allowed without sales on the last open day. Default 0.05. */
  missingShare?: number;
  /** Most days the run date may lie after the latest sales date, closed days not counted. Default 7. */
  maxDaysAhead?: number;
  /**
   * The store's pricing period. Default daily. On a weekly store the last open period is the
   * week before the run date, and closed days do not stop a week.
   */
  period?: PricingPeriod;
}

/** A run refused because what it would read is missing or impossible; nothing is written. */
export class PreconditionError extends InputError {
  /** `message` names the precondition that does not hold and the values found. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PreconditionError";
  }
}

/**
 * Checks the preconditions of a run of `runDate`; throws a {@linkcode PreconditionError}
 * naming the problem and the values when one does not hold.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, checkPreconditions, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-30", units: 3, revenue: 6, shelf_price: 2, promo: false,
 * }]);
 * // the sales of 2025-01-31 are missing for A1
 * assert.throws(() => checkPreconditions(db, "2025-02-01"), { name: "PreconditionError" });
 * assert.equal(checkPreconditions(db, "2025-02-01", { allowMissingActuals: true }).actuals.missing, 1);
 * ```
 */
export function checkPreconditions(
  db: DatabaseSync,
  runDate: string,
  options: PreconditionOptions = {},
): RunPreconditions {
  const period = options.period ?? DAILY_PERIOD;
  const closed = new Set(
    period.kind === "day" ? readClosedDays(db, addDays(runDate, -60), addDays(runDate, 1)) : [],
  );
  if (closed.has(runDate)) {
    throw new PreconditionError(
      `Cannot run ${runDate}: the store is closed that day (trading calendar); nothing to price`,
    );
  }
  let lastOpen = addPeriods(period, runDate, -1);
  while (closed.has(lastOpen)) lastOpen = addDays(lastOpen, -1);
  const latestSales = latestSalesDate(db, { before: runDate });
  if (latestSales === null) {
    throw new PreconditionError(`Cannot run ${runDate}: the store has no sales before it`);
  }
  const ahead = options.maxDaysAhead ?? 7;
  // Closed days have no sales to wait for: a store reopening after a closure is not stale.
  const closedSince = period.kind === "day"
    ? readClosedDays(db, addDays(latestSales, 1), runDate).length
    : 0;
  const openDays = daysBetween(latestSales, runDate) - closedSince;
  if (openDays > ahead) {
    throw new PreconditionError(
      `Cannot run ${runDate}: it is ${openDays} days after the latest sales date ${latestSales}${
        closedSince ? `, not counting ${closedSince} closed days` : ""
      } (at most ${ahead}); import the missing sales first`,
    );
  }
  const lastRun = latestSucceededRunDate(db);
  if (lastRun !== null && runDate < lastRun && !options.backfill) {
    throw new PreconditionError(
      `Cannot run ${runDate}: it is earlier than the latest succeeded run (${lastRun}); pass --backfill to price an earlier date on purpose`,
    );
  }
  const active = cachedCatalog(db).before(runDate).filter((c) => c.active).map((c) => c.sku);
  const recent = readSkusWithSales(db, addDays(lastOpen, -28), lastOpen, active);
  const reported = readSkusWithSales(db, lastOpen, addDays(lastOpen, 1));
  const expected = active.filter((sku) => recent.has(sku));
  const missing = expected.filter((sku) => !reported.has(sku));
  const share = options.missingShare ?? 0.05;
  const allowed = options.allowMissingActuals ?? false;
  if (missing.length > share * expected.length && !allowed) {
    throw new PreconditionError(
      `Cannot run ${runDate}: the sales of ${lastOpen} (the last open ${period.kind}) are missing for ${missing.length} of ${expected.length} active SKUs (more than ${
        share * 100
      }%; e.g. ${
        missing.slice(0, 3).join(", ")
      }); import them first, or pass --allow-missing-actuals to price on older data`,
    );
  }
  return {
    last_open_day: lastOpen,
    latest_sales_date: latestSales,
    actuals: { expected: expected.length, missing: missing.length, allowed },
    backfill: lastRun !== null && runDate < lastRun,
    future_rows: readRowsFrom(db, runDate).filter((f) => f.rows > 0),
  };
}
