/**
 * The dates an input table's rows are looked up on, one by one. The input tables
 * are indexed by date then SKU (migration 18): one SKU over a span is found by a
 * look-up per date, cheaper than scanning every SKU's rows of the span.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { addDays, isIsoDate } from "../../util/date.ts";

/**
 * The calendar dates in [from, to) that can hold rows of `table`: the span cut to its
 * first and last stored dates (a store's history, not the span asked for, bounds the
 * look-ups), oldest first; none when the table is empty.
 */
export function tableDates(
  db: DatabaseSync,
  table: "sales" | "inventory" | "competitor_prices",
  from: string,
  to: string,
): string[] {
  const r = statement(
    db,
    `SELECT (SELECT min(date) FROM ${table}) AS lo, (SELECT max(date) FROM ${table}) AS hi`,
  ).get()!;
  if (r.lo === null || r.hi === null) return [];
  // A stored date that is not a calendar date (a row written with its checks bypassed)
  // cannot bound the span: the span asked for is walked instead.
  const lo = isIsoDate(String(r.lo)) && String(r.lo) > from ? String(r.lo) : from;
  const end = isIsoDate(String(r.hi)) && addDays(String(r.hi), 1) < to
    ? addDays(String(r.hi), 1)
    : to;
  const out: string[] = [];
  for (let d = lo; d < end; d = addDays(d, 1)) out.push(d);
  return out;
}
