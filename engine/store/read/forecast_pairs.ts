/**
 * Forecast pairs streamed: what each decision of a succeeded run expected for
 * its date next to what sold that day, one pair at a time, so that a pass over
 * a month of a large catalog's pairs holds one of them at a time. The rows of
 * the input tables that fail their write-time checks are skipped (the latest
 * row that passes them stands). When the history blocks are up to date (as in
 * a daily run, which syncs them first) the day's sales and stock come from them
 * — the same facts, already checked and joined, one block read per SKU instead
 * of two index look-ups and checks per pair; otherwise from the input tables.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { statement } from "../db.ts";
import { parseOrThrow } from "../../schema/common.ts";
import { toDayNumber } from "../../util/date.ts";
import { lowerBound } from "../../util/lower_bound.ts";
import { type Block, HAS_SALES, HAS_STOCK, PROMO } from "../history/block.ts";
import { historyBehind, readHistoryBlocks } from "../history/read.ts";
import { ForecastPairRow } from "./monitoring.ts";
import { VALID_ROW } from "./valid_rows.ts";

// Driven by the runs of the window (then each run's decisions by its key), so the cost
// follows the window's decisions, not every decision stored. Unqualified columns in the
// checks resolve to the inner query's table first.
const SQL = `SELECT d.run_date, d.sku, json_extract(f.features, '$.category'), d.strategy,
    d.expected_units, s.units, s.promo,
    coalesce((SELECT on_hand = 0 FROM inventory
      WHERE sku = d.sku AND date = d.run_date AND ${VALID_ROW.inventory}
      ORDER BY id DESC LIMIT 1), 0)
  FROM v_runs r
  JOIN decisions d ON d.run_id = r.run_id
  JOIN feature_snapshots f ON f.run_date = d.run_date AND f.sku = d.sku
  JOIN sales s ON s.id = (SELECT max(id) FROM sales
    WHERE sku = d.sku AND date = d.run_date AND ${VALID_ROW.sales})
  WHERE r.status = 'succeeded' AND r.run_date >= ? AND r.run_date < ?
  ORDER BY d.run_date, d.sku`;

// The forecasts of the window's succeeded runs, each with its snapshot's category, as the
// runs wrote them (migration 15); the facts come from the blocks.
const DECISIONS_SQL = `SELECT run_date, sku, category, strategy, expected_units
  FROM decision_pairs WHERE run_date >= ? AND run_date < ? ORDER BY run_date, sku`;

const isText = (v: unknown): v is string => typeof v === "string";
const isFinite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isFlag = (v: unknown) => v === 0 || v === 1;

/**
 * The forecast pairs of succeeded runs dated in [from, to), by date then SKU, one at a
 * time: each decision next to its day's sales (the latest valid record; decisions without
 * one are left out) and whether the day closed with no stock (`censored`). The same pairs
 * as `readForecastPairs` on a store without rows that fail their checks.
 *
 * @param db The store.
 * @param from First run date, `YYYY-MM-DD` (inclusive).
 * @param to Last run date, `YYYY-MM-DD` (exclusive).
 * @returns The pairs, read as they are iterated (iterate them once, before the store changes).
 * @throws {Error} When a stored pair is malformed (the message names it; zod's error is the
 * `cause`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { iterateForecastPairs, openStore } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual([...iterateForecastPairs(db, "2025-01-01", "2025-02-01")], []);
 * ```
 */
export function* iterateForecastPairs(
  db: DatabaseSync,
  from: string,
  to: string,
): Generator<ForecastPairRow, void, undefined> {
  const rows = historyBehind(db) ? fromInputs(db, from, to) : fromHistory(db, from, to);
  let i = 0;
  for (const r of rows) {
    i++;
    const pair = {
      date: r[0],
      sku: r[1],
      category: r[2],
      strategy: r[3],
      predicted: r[4],
      actual: r[5],
      promo: r[6] === 1,
      censored: r[7] === 1,
    };
    if (
      isText(pair.date) && isText(pair.sku) && isText(pair.category) && isText(pair.strategy) &&
      isFinite(pair.predicted) && isFinite(pair.actual) && isFlag(r[6]) && isFlag(r[7])
    ) {
      yield pair as ForecastPairRow;
    } else {
      yield parseOrThrow(
        ForecastPairRow,
        { ...pair, promo: r[6], censored: r[7] },
        `read forecast pair ${i} of ${from} to ${to}`,
      );
    }
  }
}

type Row = unknown[];

function arrays(st: StatementSync): StatementSync {
  (st as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  return st;
}

/** The pairs as rows, each decision joined to the input tables by SQL. */
function fromInputs(db: DatabaseSync, from: string, to: string): Iterable<Row> {
  return arrays(statement(db, SQL)).iterate(from, to) as Iterable<Row>;
}

/** The pairs as rows, each decision joined to its SKU's history block (read once per SKU). */
function* fromHistory(db: DatabaseSync, from: string, to: string): Generator<Row> {
  const fromDay = toDayNumber(from), toDay = toDayNumber(to);
  const blocks = new Map<string, Block | null>();
  const days = new Map<string, number>();
  for (const r of arrays(statement(db, DECISIONS_SQL)).iterate(from, to) as Iterable<Row>) {
    const sku = String(r[1]);
    let block = blocks.get(sku);
    if (block === undefined) {
      blocks.set(sku, block = readHistoryBlocks(db, [sku], fromDay, toDay).get(sku) ?? null);
    }
    if (!block) continue;
    const date = String(r[0]);
    let day = days.get(date);
    if (day === undefined) days.set(date, day = toDayNumber(date));
    const i = lowerBound(block.day.length, (k) => block.day[k] < day);
    if (i === block.day.length || block.day[i] !== day) continue;
    const flags = block.flags[i];
    if (!(flags & HAS_SALES)) continue;
    const censored = (flags & HAS_STOCK) !== 0 && block.onHand[i] === 0;
    r.push(block.units[i], flags & PROMO ? 1 : 0, censored ? 1 : 0);
    yield r;
  }
}
