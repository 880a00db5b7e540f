/**
 * Read-only queries of the data contract's bookkeeping: imports, the trading
 * calendar, the store's settings and the runs' price exports.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import {
  ImportIssue,
  type ImportKind,
  ImportRecord,
  PriceExportRecord,
  StoreSettings,
} from "../../schema/imports.ts";
import { rows } from "./_rows.ts";
import { type PricingPeriod, pricingPeriod } from "../../util/period.ts";

/** The import of a file of `kind` with content hash `sha256`, or null. */
export function readImportByContent(
  db: DatabaseSync,
  kind: ImportKind,
  sha256: string,
): ImportRecord | null {
  const raw = statement(
    db,
    "SELECT * FROM imports WHERE kind = ? AND sha256 = ? ORDER BY id LIMIT 1",
  ).all(kind, sha256);
  return rows(ImportRecord, "import", raw, (r) => ({
    ...r,
    details: JSON.parse(String(r.details)),
  }))[0] ?? null;
}

/** Every import, newest first. */
export function readImports(db: DatabaseSync): ImportRecord[] {
  const raw = statement(db, "SELECT * FROM imports ORDER BY id DESC").all();
  return rows(ImportRecord, "import", raw, (r) => ({
    ...r,
    details: JSON.parse(String(r.details)),
  }));
}

/** The plausibility issues an import recorded, in order. */
export function readImportIssues(db: DatabaseSync, importId: number): ImportIssue[] {
  const raw = statement(
    db,
    `SELECT line, sku, "check", field, value, message FROM import_issues WHERE import_id = ?
     ORDER BY id`,
  ).all(importId);
  return rows(ImportIssue, "import issue", raw);
}

/** The closed days of the trading calendar in [from, to), sorted (the latest row per date wins). */
export function readClosedDays(db: DatabaseSync, from: string, to: string): string[] {
  const raw = statement(
    db,
    `SELECT date FROM (
       SELECT date, status, row_number() OVER (PARTITION BY date ORDER BY id DESC) AS rn
       FROM trading_calendar WHERE date >= ? AND date < ?)
     WHERE rn = 1 AND status = 'closed' ORDER BY date`,
  ).all(from, to);
  return raw.map((r) => String(r.date));
}

/** The store's settings in force (its latest row), or null when none were recorded. */
export function readStoreSettings(db: DatabaseSync): StoreSettings | null {
  const raw = statement(
    db,
    "SELECT name, period, week_start FROM store_settings ORDER BY id DESC LIMIT 1",
  ).all();
  return rows(StoreSettings, "store settings", raw)[0] ?? null;
}

/**
 * The store's pricing period (see `pricingPeriod`): daily unless its settings say weekly.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStoreSettings, openStore, readPricingPeriod } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(readPricingPeriod(db).kind, "day");
 * appendStoreSettings(db, { name: "oj", period: "week", week_start: "thursday" }, {
 *   actor: "ann", reason: "weekly store", recordedAt: null,
 * });
 * assert.equal(readPricingPeriod(db).weekStart, "thursday");
 * ```
 */
export function readPricingPeriod(db: DatabaseSync): PricingPeriod {
  return pricingPeriod(readStoreSettings(db));
}

/** A run's price export records, oldest first. */
export function readPriceExports(db: DatabaseSync, runId: string): PriceExportRecord[] {
  const raw = statement(
    db,
    `SELECT run_id, status, infeasible, file, sha256, rows, error, recorded_at FROM price_exports
     WHERE run_id = ? ORDER BY id`,
  ).all(runId);
  return rows(PriceExportRecord, "price export", raw);
}

/** Every SKU that has a catalog record. */
export function readCatalogSkus(db: DatabaseSync): Set<string> {
  return new Set(
    statement(db, "SELECT DISTINCT sku FROM catalog").all().map((r) => String(r.sku)),
  );
}

/**
 * Succeeded runs whose price file is not known to be written: the latest export record
 * of the run failed, or the latest succeeded run has no export record at all (the process
 * ended between the commit and the file). Oldest first.
 */
export function readUnexportedRuns(db: DatabaseSync): { run_id: string; run_date: string }[] {
  const raw = statement(
    db,
    `WITH latest AS (
       SELECT run_id, status FROM price_exports e
       WHERE id = (SELECT max(id) FROM price_exports x WHERE x.run_id = e.run_id))
     SELECT r.run_id, r.run_date FROM v_runs r
     WHERE r.status = 'succeeded' AND (
       EXISTS (SELECT 1 FROM latest l WHERE l.run_id = r.run_id AND l.status = 'failed')
       OR (NOT EXISTS (SELECT 1 FROM price_exports e WHERE e.run_id = r.run_id)
           AND r.run_date = (SELECT max(run_date) FROM v_runs WHERE status = 'succeeded')))
     ORDER BY r.run_date, r.run_id`,
  ).all();
  return raw.map((r) => ({ run_id: String(r.run_id), run_date: String(r.run_date) }));
}
