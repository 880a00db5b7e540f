/**
 * Calendar dates as ISO strings (`YYYY-MM-DD`), computed in UTC so that no
 * time zone or clock enters the engine.
 *
 * @module
 */
import { InputError } from "./errors.ts";

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Day numbers of dates already read (dates repeat across millions of rows). */
const _known = new Map<string, number>();

function _parse(value: string): number | null {
  const hit = _known.get(value);
  if (hit !== undefined) return hit;
  if (typeof value !== "string" || !ISO_DATE.test(value)) return null;
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== value) return null;
  const day = Math.round(t / DAY_MS);
  if (_known.size > 100_000) _known.clear();
  _known.set(value, day);
  return day;
}

/**
 * Whether `value` is a real calendar date written as `YYYY-MM-DD`.
 *
 * @param value The text to check.
 * @returns True for an existing date such as `2024-02-29`; false for any other text.
 *
 * @example Usage
 * ```ts
 * import { isIsoDate } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isIsoDate("2024-02-29"), true);
 * assert.equal(isIsoDate("2025-02-29"), false); // not a leap year
 * assert.equal(isIsoDate("2025-1-5"), false);
 * ```
 */
export function isIsoDate(value: string): boolean {
  return _parse(value) !== null;
}

/**
 * The day number of an ISO date: whole days since 1970-01-01 (UTC).
 *
 * @param date A calendar date as `YYYY-MM-DD`.
 * @returns Its day number (negative before 1970).
 * @throws {RangeError} When `date` is not a calendar date written `YYYY-MM-DD`.
 *
 * @example Usage
 * ```ts
 * import { toDayNumber } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toDayNumber("1970-01-02"), 1);
 * assert.throws(() => toDayNumber("2025-13-01"), RangeError);
 * ```
 */
export function toDayNumber(date: string): number {
  const day = _parse(date);
  if (day === null) {
    throw new InputError(`Cannot read date "${date}": expected a calendar date as YYYY-MM-DD`);
  }
  return day;
}

/**
 * The ISO date of a day number, the inverse of {@linkcode toDayNumber}.
 *
 * @param day Whole days since 1970-01-01.
 * @returns The date as `YYYY-MM-DD`.
 *
 * @example Usage
 * ```ts
 * import { fromDayNumber } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fromDayNumber(0), "1970-01-01");
 * assert.equal(fromDayNumber(20089), "2025-01-01");
 * ```
 */
export function fromDayNumber(day: number): string {
  let iso = _isoOf.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    // Whole days of the years this engine reads repeat millions of times: formatted once.
    if (Number.isInteger(day) && day >= 0 && day < 100_000) _isoOf.set(day, iso);
  }
  return iso;
}

/** The ISO dates formatted so far, by day number. */
const _isoOf = new Map<number, string>();

/**
 * The date `days` after `date`.
 *
 * @param date A calendar date as `YYYY-MM-DD`.
 * @param days Days to add; negative goes back.
 * @returns The resulting date as `YYYY-MM-DD`.
 * @throws {RangeError} When `date` is not a calendar date.
 *
 * @example Usage
 * ```ts
 * import { addDays } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(addDays("2025-01-30", 2), "2025-02-01");
 * assert.equal(addDays("2025-03-01", -1), "2025-02-28");
 * ```
 */
export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Whole days from `from` to `to`.
 *
 * @param from A calendar date as `YYYY-MM-DD`.
 * @param to A calendar date as `YYYY-MM-DD`.
 * @returns The number of days, positive when `to` is later.
 * @throws {RangeError} When either is not a calendar date.
 *
 * @example Usage
 * ```ts
 * import { daysBetween } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(daysBetween("2024-12-31", "2025-01-07"), 7);
 * assert.equal(daysBetween("2025-01-07", "2024-12-31"), -7);
 * ```
 */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * The day of the week of a day number.
 *
 * @param day Whole days since 1970-01-01.
 * @returns 0 for Monday through 6 for Sunday.
 *
 * @example Usage
 * ```ts
 * import { toDayNumber, weekdayOf } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(weekdayOf(toDayNumber("2025-01-06")), 0); // a Monday
 * assert.equal(weekdayOf(toDayNumber("2025-01-05")), 6); // a Sunday
 * ```
 */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * The day of the year of a day number, counted from 0 on January 1st.
 *
 * @param day Whole days since 1970-01-01.
 * @returns 0 to 364, or 365 on December 31st of a leap year.
 *
 * @example Usage
 * ```ts
 * import { dayOfYear, toDayNumber } from "./date.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(dayOfYear(toDayNumber("2025-01-01")), 0);
 * assert.equal(dayOfYear(toDayNumber("2024-12-31")), 365);
 * ```
 */
export function dayOfYear(day: number): number {
  const date = new Date(day * DAY_MS);
  return Math.round((day * DAY_MS - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);
}
