/**
 * The pricing period of a store: what one period is (a day, or a week that
 * starts on a named weekday), the windows the engine counts in periods, and
 * which dates a period starts on. A daily store's values are the engine's
 * long-standing defaults, so a daily store behaves exactly as before; a weekly
 * store's rows (sales, inventory, competitor prices) are one per week, dated
 * by the week's first day, and every "previous day" becomes "previous week".
 *
 * Feature windows stay defined in days (7, 28, 90, 91): on a weekly store they
 * hold 1, 4, 12 and 13 weekly rows, so a feature that counts rows counts
 * periods (see `PERIOD_FEATURE_NOTES`).
 *
 * @module
 */
import { addDays, fromDayNumber, toDayNumber, weekdayOf } from "./date.ts";

/** Weekday names, Monday first: index `i` is `weekdayOf(day) === i`. */
export const WEEKDAY_NAMES = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** A weekday's name. */
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/** A store's pricing period and the windows counted in it. */
export interface PricingPeriod {
  /** `day` (the default) or `week`. */
  kind: "day" | "week";
  /** A weekly store's first weekday; null for a daily store. */
  weekStart: WeekdayName | null;
  /** Days in one period: 1 or 7. */
  days: 1 | 7;
  /** Days of history the feature job reads (the elasticity fit's window): 365, or 728 (104 weeks). */
  historyDays: number;
  /** Fewest usable periods an elasticity fit needs: 56 days, or 26 weeks. */
  minElasticityPeriods: number;
  /** Periods of history before the ML strategy prices a SKU (cold start): 28 days, or 8 weeks. */
  minHistoryPeriods: number;
  /** Target days of the registry's default training window: 365, or 728 (104 weeks). */
  trainingDays: number;
  /** Days the registry holds out at the end of its window: 28, or 56 (8 weeks). */
  holdoutDays: number;
  /** Dates with actuals in the 30 days before a run the WAPE retrain rule needs: 14, or 3 weeks. */
  retrainMinActualPeriods: number;
}

/** The daily period: the engine's defaults. */
export const DAILY_PERIOD: Readonly<PricingPeriod> = Object.freeze({
  kind: "day",
  weekStart: null,
  days: 1,
  historyDays: 365,
  minElasticityPeriods: 56,
  minHistoryPeriods: 28,
  trainingDays: 365,
  holdoutDays: 28,
  retrainMinActualPeriods: 14,
});

/**
 * What each snapshot feature counts on a weekly store (on a daily store: days). The
 * README's table is this one.
 */
export const PERIOD_FEATURE_NOTES: Readonly<Record<string, string>> = Object.freeze({
  units_7: "units of the last week (the 7 days before the run date hold one weekly row)",
  units_28: "units of the last 4 weeks",
  units_90: "units of the last 12 weeks (rows dated within 90 days)",
  trend_ratio: "rate over the last 4 weeks / rate over the last 12",
  dow_profile: "all 1: every row of a week is dated on its first day",
  price_rel_28: "the last price / the mean shelf price of the last 4 weeks",
  stockout_days_28: "weeks of the last 4 that ended with no stock",
  base_units: "mean units per week on the last 4 weeks without promotion or stockout",
  days_of_cover: "weeks of cover: stock on hand / mean weekly units of the last 4 weeks",
  history_days: "weeks of sales history within the 104-week window",
});

/**
 * The period of a store's settings (`period`, `week_start`); null settings mean a daily store.
 *
 * @param settings The store's settings, or null when it has none (a daily store).
 * @returns The period.
 * @throws {RangeError} When a weekly store names no valid first weekday.
 *
 * @example Usage
 * ```ts
 * import { pricingPeriod } from "./period.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pricingPeriod(null).days, 1);
 * const week = pricingPeriod({ period: "week", week_start: "thursday" });
 * assert.deepEqual([week.kind, week.days, week.historyDays], ["week", 7, 728]);
 * ```
 */
export function pricingPeriod(
  settings: { period: "day" | "week"; week_start: string | null } | null,
): PricingPeriod {
  if (settings === null || settings.period === "day") return DAILY_PERIOD;
  const start = settings.week_start as WeekdayName | null;
  if (start === null || !WEEKDAY_NAMES.includes(start)) {
    throw new RangeError(
      `Cannot price by week: the store's first weekday is ${
        JSON.stringify(settings.week_start)
      }, expected one of ${WEEKDAY_NAMES.join(", ")}`,
    );
  }
  return {
    kind: "week",
    weekStart: start,
    days: 7,
    historyDays: 728,
    minElasticityPeriods: 26,
    minHistoryPeriods: 8,
    trainingDays: 728,
    holdoutDays: 56,
    retrainMinActualPeriods: 3,
  };
}

/**
 * Whether a date starts a period: every date of a daily store; the first weekday of a
 * weekly store's weeks.
 *
 * @param p The period.
 * @param date `YYYY-MM-DD`.
 * @returns True when `date` starts a period.
 *
 * @example Usage
 * ```ts
 * import { isPeriodStart, pricingPeriod } from "./period.ts";
 * import assert from "node:assert/strict";
 *
 * const week = pricingPeriod({ period: "week", week_start: "thursday" });
 * assert.equal(isPeriodStart(week, "2009-01-08"), true); // a Thursday
 * assert.equal(isPeriodStart(week, "2009-01-14"), false);
 * ```
 */
export function isPeriodStart(p: PricingPeriod, date: string): boolean {
  if (p.kind === "day") return true;
  return WEEKDAY_NAMES[weekdayOf(toDayNumber(date))] === p.weekStart;
}

/**
 * The first day of the period that holds `date`.
 *
 * @param p The period.
 * @param date `YYYY-MM-DD`.
 * @returns `date` itself on a daily store; its week's first day on a weekly one.
 *
 * @example Usage
 * ```ts
 * import { periodStartOf, pricingPeriod } from "./period.ts";
 * import assert from "node:assert/strict";
 *
 * const week = pricingPeriod({ period: "week", week_start: "thursday" });
 * assert.equal(periodStartOf(week, "2009-01-14"), "2009-01-08"); // the week ending Wednesday
 * assert.equal(periodStartOf(week, "2009-01-08"), "2009-01-08");
 * ```
 */
export function periodStartOf(p: PricingPeriod, date: string): string {
  if (p.kind === "day") return date;
  const day = toDayNumber(date);
  const start = WEEKDAY_NAMES.indexOf(p.weekStart!);
  return fromDayNumber(day - ((weekdayOf(day) - start + 7) % 7));
}

/**
 * The period `n` periods after (or before, when negative) the one starting on `start`.
 *
 * @param p The period.
 * @param start A period's first day.
 * @param n Periods to move.
 * @returns The first day of that period.
 *
 * @example Usage
 * ```ts
 * import { addPeriods, DAILY_PERIOD, pricingPeriod } from "./period.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(addPeriods(DAILY_PERIOD, "2025-01-31", 1), "2025-02-01");
 * const week = pricingPeriod({ period: "week", week_start: "monday" });
 * assert.equal(addPeriods(week, "2025-01-06", -1), "2024-12-30");
 * ```
 */
export function addPeriods(p: PricingPeriod, start: string, n: number): string {
  return addDays(start, n * p.days);
}

/**
 * Describes a period for people: "day", or "week (from thursday)".
 *
 * @param p The period.
 * @returns The description.
 *
 * @example Usage
 * ```ts
 * import { describePeriod, pricingPeriod } from "./period.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(describePeriod(pricingPeriod({ period: "week", week_start: "monday" })), "week (from monday)");
 * ```
 */
export function describePeriod(p: PricingPeriod): string {
  return p.kind === "day" ? "day" : `week (from ${p.weekStart})`;
}
