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

/** Whether `value` is a real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  return _parse(value) !== null;
}

/** Days since 1970-01-01 of an ISO date. */
export function toDayNumber(date: string): number {
  const day = _parse(date);
  if (day === null) {
    throw new InputError(`Cannot read date "${date}": expected a calendar date as YYYY-MM-DD`);
  }
  return day;
}

/** The ISO date of a day number (days since 1970-01-01). */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Day of week of a day number, 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Day of the year of a day number, 0-based. */
export function dayOfYear(day: number): number {
  const date = new Date(day * DAY_MS);
  return Math.round((day * DAY_MS - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);
}
