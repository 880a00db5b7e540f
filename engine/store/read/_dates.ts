/**
 * Looking SKUs up in an input table date by date. The input tables are indexed by date
 * then SKU (migration 18): one SKU over a span is found by a look-up per date, cheaper
 * than scanning every SKU's rows of the span.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { addDays, isIsoDate } from "../../util/date.ts";
import { VALID_ROW } from "./valid_rows.ts";

type Table = "sales" | "inventory" | "competitor_prices";

/**
 * The first and last dates in [from, to) that can hold rows of `table`: the span cut to
 * its first and last stored dates (a store's history, not the span asked for, bounds the
 * look-ups); null when no date can.
 */
export function tableSpan(
  db: DatabaseSync,
  table: Table,
  from: string,
  to: string,
): { first: string; last: string } | null {
  const r = statement(
    db,
    `SELECT (SELECT min(date) FROM ${table}) AS lo, (SELECT max(date) FROM ${table}) AS hi`,
  ).get()!;
  if (r.lo === null || r.hi === null) return null;
  // A stored date that is not a calendar date (a row written with its checks bypassed)
  // cannot bound the span: the span asked for is walked instead.
  const first = isIsoDate(String(r.lo)) && String(r.lo) > from ? String(r.lo) : from;
  const end = isIsoDate(String(r.hi)) && addDays(String(r.hi), 1) < to
    ? addDays(String(r.hi), 1)
    : to;
  return first < end ? { first, last: addDays(end, -1) } : null;
}

/**
 * Of each of `skus`, its latest row of `table` dated in [from, to) that passes its checks
 * (of several for that date, the last recorded), with `columns`. The newest date's rows
 * are read at once; a SKU without one is looked up by its key on each earlier date,
 * newest first, so the cost grows with the SKUs, not with the length of the span.
 */
export function latestBySku(
  db: DatabaseSync,
  table: Table,
  columns: string,
  skus: Iterable<string>,
  from: string,
  to: string,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const span = tableSpan(db, table, from, to);
  if (!span) return out;
  const newest = new Map<string, Record<string, unknown>>();
  for (
    const r of statement(
      db,
      `SELECT sku, ${columns} FROM ${table} WHERE date = ? AND ${VALID_ROW[table]} ORDER BY id`,
    ).all(span.last)
  ) newest.set(String(r.sku), r);
  const one = statement(
    db,
    `SELECT sku, ${columns} FROM ${table} WHERE date = ? AND sku = ? AND ${VALID_ROW[table]}
     ORDER BY id DESC LIMIT 1`,
  );
  for (const sku of skus) {
    let r = newest.get(sku);
    for (let d = addDays(span.last, -1); r === undefined && d >= span.first; d = addDays(d, -1)) {
      r = one.get(d, sku);
    }
    if (r) out.set(sku, r);
  }
  return out;
}
