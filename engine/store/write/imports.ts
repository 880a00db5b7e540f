/**
 * Writes of the data contract's bookkeeping: an import and its issues, days of
 * the trading calendar, the store's settings, a run's price export, and stored
 * rows moved to quarantine.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { parseOrThrow } from "../../schema/common.ts";
import {
  CalendarDay,
  type ImportIssue,
  type ImportKind,
  type PriceExportRecord,
  StoreSettings,
} from "../../schema/imports.ts";
import { canonicalJson } from "../../util/hash.ts";

/** What an import records about itself. */
export interface ImportEntry {
  /** Which contract file was imported. */
  kind: ImportKind;
  /** The file's name. */
  file: string;
  /** The sha256 of its bytes (64 hex digits): the same kind and hash is the same import. */
  sha256: string;
  /** Rows read, written, equal to the stored ones (not written) and refused. */
  rows: { read: number; written: number; unchanged: number; rejected: number };
  /** Kind-specific facts (stored as canonical JSON). */
  details: Record<string, unknown>;
  /** Who imported it. */
  actor: string;
  /** Why, or null (a correction needs one). */
  reason: string | null;
  /** Wall-clock time supplied by the caller, or null. */
  recordedAt: string | null;
}

/**
 * Appends an import's record; returns its id (the rows it writes point to it).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendImport, type ImportEntry } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { readImportByContent } from "../read/imports.ts";
 *
 * const db = openStore(":memory:");
 * const entry: ImportEntry = {
 *   kind: "sales", file: "sales.csv", sha256: "a".repeat(64),
 *   rows: { read: 2, written: 2, unchanged: 0, rejected: 0 }, details: {}, actor: "alice",
 *   reason: null, recordedAt: null,
 * };
 * const id = appendImport(db, entry);
 * assert.equal(readImportByContent(db, "sales", "a".repeat(64))?.id, id);
 * assert.equal(readImportByContent(db, "catalog", "a".repeat(64)), null);
 * db.close();
 * ```
 */
export function appendImport(db: DatabaseSync, entry: ImportEntry): number {
  const r = statement(
    db,
    `INSERT INTO imports (kind, file, sha256, rows_read, rows_written, rows_unchanged,
       rows_rejected, details, actor, reason, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  ).run(
    entry.kind,
    entry.file,
    entry.sha256,
    entry.rows.read,
    entry.rows.written,
    entry.rows.unchanged,
    entry.rows.rejected,
    canonicalJson(entry.details),
    entry.actor,
    entry.reason,
    entry.recordedAt,
  );
  return Number(r.lastInsertRowid);
}

/**
 * Appends the plausibility issues an import found.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendImport, appendImportIssues, type ImportEntry } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { readImportIssues } from "../read/imports.ts";
 *
 * const db = openStore(":memory:");
 * const entry: ImportEntry = {
 *   kind: "sales", file: "sales.csv", sha256: "a".repeat(64),
 *   rows: { read: 2, written: 2, unchanged: 0, rejected: 0 }, details: {}, actor: "alice",
 *   reason: null, recordedAt: null,
 * };
 * const id = appendImport(db, entry);
 * appendImportIssues(db, id, [{
 *   line: 3, sku: "A1", check: "REVENUE_MISMATCH", field: "revenue", value: "70",
 *   message: "revenue 70 is far from units 3 x shelf price 2.49",
 * }]);
 * assert.deepEqual(readImportIssues(db, id).map((i) => i.check), ["REVENUE_MISMATCH"]);
 * db.close();
 * ```
 */
export function appendImportIssues(
  db: DatabaseSync,
  importId: number,
  issues: readonly ImportIssue[],
): void {
  const stmt = statement(
    db,
    `INSERT INTO import_issues (import_id, line, sku, "check", field, value, message)
     VALUES (?,?,?,?,?,?,?)`,
  );
  for (const i of issues) {
    stmt.run(importId, i.line, i.sku, i.check, i.field, i.value, i.message);
  }
}

/**
 * Appends days of the trading calendar (the latest row for a date wins).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCalendarDays } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { readClosedDays } from "../read/imports.ts";
 *
 * const db = openStore(":memory:");
 * appendCalendarDays(db, [
 *   { date: "2025-01-01", status: "closed", reason: "New Year" },
 *   { date: "2025-01-06", status: "closed", reason: "stock count" },
 * ]);
 * appendCalendarDays(db, [{ date: "2025-01-06", status: "open", reason: "count moved" }]);
 * assert.deepEqual(readClosedDays(db, "2025-01-01", "2025-02-01"), ["2025-01-01"]);
 * db.close();
 * ```
 */
export function appendCalendarDays(
  db: DatabaseSync,
  days: readonly CalendarDay[],
  importId: number | null = null,
): void {
  const stmt = statement(
    db,
    "INSERT INTO trading_calendar (date, status, import_id, reason) VALUES (?,?,?,?)",
  );
  for (const raw of days) {
    const d = parseOrThrow(CalendarDay, raw, "record a day of the trading calendar");
    stmt.run(d.date, d.status, importId, d.reason);
  }
}

/**
 * Appends the store's settings (the latest row is in force).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendStoreSettings } from "./imports.ts";
 * import { openStore } from "../db.ts";
 * import { readStoreSettings } from "../read/imports.ts";
 *
 * const db = openStore(":memory:");
 * const by = { actor: "alice", reason: "set up the store", recordedAt: null };
 * appendStoreSettings(db, { name: "north", period: "week", week_start: "monday" }, by);
 * assert.equal(readStoreSettings(db)?.period, "week");
 * assert.throws(
 *   () => appendStoreSettings(db, { name: "north", period: "day", week_start: "monday" }, by),
 *   TypeError,
 * );
 * db.close();
 * ```
 */
export function appendStoreSettings(
  db: DatabaseSync,
  settings: StoreSettings,
  by: { actor: string; reason: string; recordedAt: string | null },
): void {
  const s = parseOrThrow(StoreSettings, settings, "record the store's settings");
  statement(
    db,
    `INSERT INTO store_settings (name, period, week_start, actor, reason, recorded_at)
     VALUES (?,?,?,?,?,?)`,
  ).run(s.name, s.period, s.week_start, by.actor, by.reason, by.recordedAt);
}

/**
 * Records that a run's price export was written, or that writing it failed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendPriceExport } from "./imports.ts";
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readPriceExports } from "../read/imports.ts";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendPriceExport(db, {
 *   run_id: "run-1", status: "failed", infeasible: "hold", file: "prices-store-2025-01-08.csv",
 *   sha256: null, rows: null, error: "disk full", recorded_at: null,
 * });
 * assert.equal(readPriceExports(db, "run-1")[0].error, "disk full");
 * db.close();
 * ```
 */
export function appendPriceExport(db: DatabaseSync, record: PriceExportRecord): void {
  statement(
    db,
    `INSERT INTO price_exports (run_id, status, infeasible, file, sha256, rows, error, recorded_at)
     VALUES (?,?,?,?,?,?,?,?)`,
  ).run(
    record.run_id,
    record.status,
    record.infeasible,
    record.file,
    record.sha256,
    record.rows,
    record.error,
    record.recorded_at,
  );
}
