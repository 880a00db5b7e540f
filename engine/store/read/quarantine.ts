/**
 * Read-only queries of the quarantine: input rows stored with the write-time
 * checks bypassed (Infinity, a date such as "2024-7-18", an integer beyond
 * 2^53 − 1, an unknown price ending …), which every reader leaves out and the
 * history sync records in `input_quarantine`. A quarantined row stays open —
 * its SKU is kept at its last price — until a correction is appended: a row of
 * the same table and SKU that passes the checks, recorded after it, for the same
 * date (any date when the bad row's date is unreadable; any catalog record of
 * the SKU for a catalog row).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { type InputTable, VALID_ROW } from "./valid_rows.ts";

/** A quarantined input row with no correction yet. */
export interface OpenQuarantine {
  /** The input table. */
  table: "catalog" | "sales" | "inventory" | "competitor_prices";
  /** The row's id in it. */
  row_id: number;
  /** Its SKU (only rows with a readable SKU hold one). */
  sku: string;
  /** Its date (`effective_date` of a catalog row), or null when unreadable. */
  date: string | null;
  /** The first column that fails, e.g. "revenue". */
  field: string;
  /** Its stored value as SQL shows it, e.g. "Infinity" or "'2024-7-18'". */
  value: string;
  /** Every failing column with its value, as the quarantine recorded it. */
  problem: string;
}

const DATE_COLUMN: Record<InputTable, string> = {
  catalog: "effective_date",
  sales: "date",
  inventory: "date",
  competitor_prices: "date",
};

/**
 * SQL: the quarantined row `q` has a correction in `table` (the checks' bare column names
 * resolve to the innermost table, the candidate row `c`).
 */
function corrected(table: InputTable): string {
  const sameDate = table === "catalog" ? "" : `AND (q.date IS NULL OR c.date = q.date)`;
  return `EXISTS (SELECT 1 FROM ${table} c WHERE c.sku = q.sku AND c.id > q.row_id ${sameDate}
    AND ${VALID_ROW[table]})`;
}

/** The first failing column and its value, from a quarantine problem text. */
function firstProblem(problem: string): { field: string; value: string } {
  const m = /^fails its checks: ([a-z_]+) = (.*?)(?:, [a-z_]+ = .*)?$/s.exec(problem);
  return m ? { field: m[1], value: m[2] } : { field: "row", value: problem };
}

/**
 * The quarantined input rows of a readable SKU that are dated before `runDate` (or whose
 * date is unreadable) and have no correction yet, by SKU, table and row id: each keeps
 * its SKU at its last price in a run of `runDate`.
 *
 * @param db The store.
 * @param runDate The run date, `YYYY-MM-DD`: rows dated on or after it are not read by the run.
 * @returns The open rows.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readOpenQuarantine, syncHistory } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = { sku: "A1", date: "2025-01-06", units: 3, revenue: 9, shelf_price: 3, promo: false };
 * appendSales(db, [sale]);
 * db.exec("PRAGMA ignore_check_constraints = 1");
 * db.exec(`INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
 *   VALUES ('A1', '2025-01-07', 3, 0, 1e999, 3, 0, 'observed')`);
 * db.exec("PRAGMA ignore_check_constraints = 0");
 * syncHistory(db);
 * const [open] = readOpenQuarantine(db, "2025-01-08");
 * assert.deepEqual([open.sku, open.field, open.value], ["A1", "revenue", "Infinity"]);
 * appendSales(db, [{ ...sale, date: "2025-01-07", reason: "correction" }]);
 * assert.deepEqual(readOpenQuarantine(db, "2025-01-08"), []);
 * ```
 */
export function readOpenQuarantine(db: DatabaseSync, runDate: string): OpenQuarantine[] {
  const tables = Object.keys(DATE_COLUMN) as InputTable[];
  const open = tables.map((t) => `(q.table_name = '${t}' AND NOT ${corrected(t)})`).join(" OR ");
  const raw = statement(
    db,
    `SELECT q.table_name, q.row_id, q.sku, q.date, min(q.problem) AS problem
     FROM input_quarantine q
     WHERE q.sku IS NOT NULL AND (q.date IS NULL OR q.date < ?) AND (${open})
     GROUP BY q.table_name, q.row_id
     ORDER BY q.sku, q.table_name, q.row_id`,
  ).all(runDate);
  return raw.map((r) => {
    const problem = String(r.problem);
    return {
      table: String(r.table_name) as OpenQuarantine["table"],
      row_id: Number(r.row_id),
      sku: String(r.sku),
      date: r.date === null ? null : String(r.date),
      ...firstProblem(problem),
      problem,
    };
  });
}
