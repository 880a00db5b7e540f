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
import { VALID_ROW } from "./valid_rows.ts";

/**
 * The import of a file of `kind` with content hash `sha256`, or null.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readImportByContent } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendImport, type ImportEntry } from "../write/imports.ts";
 *
 * const db = openStore(":memory:");
 * const entry: ImportEntry = {
 *   kind: "sales", file: "sales.csv", sha256: "a".repeat(64),
 *   rows: { read: 2, written: 2, unchanged: 0, rejected: 0 }, details: {}, actor: "alice",
 *   reason: null, recordedAt: null,
 * };
 * appendImport(db, entry);
 * assert.equal(readImportByContent(db, "sales", "a".repeat(64))?.file, "sales.csv");
 * assert.equal(readImportByContent(db, "sales", "b".repeat(64)), null);
 * db.close();
 * ```
 */
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

/**
 * Every import, newest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readImports } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendImport, type ImportEntry } from "../write/imports.ts";
 *
 * const db = openStore(":memory:");
 * const entry: ImportEntry = {
 *   kind: "sales", file: "sales.csv", sha256: "a".repeat(64),
 *   rows: { read: 2, written: 2, unchanged: 0, rejected: 0 }, details: {}, actor: "alice",
 *   reason: null, recordedAt: null,
 * };
 * appendImport(db, entry);
 * appendImport(db, { ...entry, kind: "catalog", file: "catalog.csv" });
 * assert.deepEqual(readImports(db).map((i) => i.file), ["catalog.csv", "sales.csv"]);
 * db.close();
 * ```
 */
export function readImports(db: DatabaseSync): ImportRecord[] {
  const raw = statement(db, "SELECT * FROM imports ORDER BY id DESC").all();
  return rows(ImportRecord, "import", raw, (r) => ({
    ...r,
    details: JSON.parse(String(r.details)),
  }));
}

/**
 * The plausibility issues an import recorded, in order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readImportIssues } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendImport, appendImportIssues, type ImportEntry } from "../write/imports.ts";
 *
 * const db = openStore(":memory:");
 * const entry: ImportEntry = {
 *   kind: "sales", file: "sales.csv", sha256: "a".repeat(64),
 *   rows: { read: 2, written: 2, unchanged: 0, rejected: 0 }, details: {}, actor: "alice",
 *   reason: null, recordedAt: null,
 * };
 * const id = appendImport(db, entry);
 * assert.deepEqual(readImportIssues(db, id), []);
 * appendImportIssues(db, id, [{
 *   line: 2, sku: "A1", check: "UNITS_OUTLIER", field: "units", value: "900",
 *   message: "900 units is far above the SKU's usual day",
 * }]);
 * assert.equal(readImportIssues(db, id)[0].line, 2);
 * db.close();
 * ```
 */
export function readImportIssues(db: DatabaseSync, importId: number): ImportIssue[] {
  const raw = statement(
    db,
    `SELECT line, sku, "check", field, value, message FROM import_issues WHERE import_id = ?
     ORDER BY id`,
  ).all(importId);
  return rows(ImportIssue, "import issue", raw);
}

/**
 * The closed days of the trading calendar in [from, to), sorted (the latest row per date wins).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readClosedDays } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendCalendarDays } from "../write/imports.ts";
 *
 * const db = openStore(":memory:");
 * appendCalendarDays(db, [
 *   { date: "2025-12-25", status: "closed", reason: "Christmas" },
 *   { date: "2026-01-01", status: "closed", reason: "New Year" },
 * ]);
 * assert.deepEqual(readClosedDays(db, "2025-12-01", "2026-01-01"), ["2025-12-25"]);
 * db.close();
 * ```
 */
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

/**
 * The store's settings in force (its latest row), or null when none were recorded.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readStoreSettings } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendStoreSettings } from "../write/imports.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(readStoreSettings(db), null);
 * const by = { actor: "alice", reason: "set up", recordedAt: null };
 * appendStoreSettings(db, { name: "north", period: "day", week_start: null }, by);
 * appendStoreSettings(db, { name: "north-2", period: "day", week_start: null }, by);
 * assert.equal(readStoreSettings(db)?.name, "north-2");
 * db.close();
 * ```
 */
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

/**
 * A run's price export records, oldest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPriceExports } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendPriceExport } from "../write/imports.ts";
 * import { appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const record = {
 *   run_id: "run-1", status: "failed" as const, infeasible: "hold" as const,
 *   file: "prices-store-2025-01-08.csv", sha256: null, rows: null, error: "disk full",
 *   recorded_at: null,
 * };
 * appendPriceExport(db, record);
 * appendPriceExport(db, {
 *   ...record, status: "written", sha256: "e".repeat(64), rows: 1, error: null,
 * });
 * assert.deepEqual(readPriceExports(db, "run-1").map((e) => e.status), ["failed", "written"]);
 * db.close();
 * ```
 */
export function readPriceExports(db: DatabaseSync, runId: string): PriceExportRecord[] {
  const raw = statement(
    db,
    `SELECT run_id, status, infeasible, file, sha256, rows, error, recorded_at FROM price_exports
     WHERE run_id = ? ORDER BY id`,
  ).all(runId);
  return rows(PriceExportRecord, "price export", raw);
}

/**
 * Every SKU that has a catalog record.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCatalogSkus } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendCatalog } from "../write/inputs.ts";
 *
 * const db = openStore(":memory:");
 * const row = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [
 *   row, { ...row, effective_date: "2025-02-01", unit_cost: 1.1 }, { ...row, sku: "B2" },
 * ]);
 * assert.deepEqual([...readCatalogSkus(db)].sort(), ["A1", "B2"]);
 * db.close();
 * ```
 */
export function readCatalogSkus(db: DatabaseSync): Set<string> {
  return new Set(
    statement(db, `SELECT DISTINCT sku FROM catalog WHERE ${VALID_ROW.catalog}`).all()
      .map((r) => String(r.sku)),
  );
}

/**
 * Succeeded runs whose price file is not known to be written: the latest export record
 * of the run failed, or the latest succeeded run has no export record at all (the process
 * ended between the commit and the file). Oldest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readUnexportedRuns } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { appendPriceExport } from "../write/imports.ts";
 * import { appendRunEvent, appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendRunEvent(db, "run-1", "succeeded", {}, null);
 * assert.deepEqual(readUnexportedRuns(db), [{ run_id: "run-1", run_date: "2025-01-08" }]);
 * appendPriceExport(db, {
 *   run_id: "run-1", status: "written", infeasible: "hold", file: "prices-store-2025-01-08.csv",
 *   sha256: "e".repeat(64), rows: 1, error: null, recorded_at: null,
 * });
 * assert.deepEqual(readUnexportedRuns(db), []);
 * db.close();
 * ```
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
