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
  kind: ImportKind;
  file: string;
  sha256: string;
  rows: { read: number; written: number; unchanged: number; rejected: number };
  details: Record<string, unknown>;
  actor: string;
  reason: string | null;
  recordedAt: string | null;
}

/** Appends an import's record; returns its id (the rows it writes point to it). */
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

/** Appends the plausibility issues an import found. */
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

/** Appends days of the trading calendar (the latest row for a date wins). */
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

/** Appends the store's settings (the latest row is in force). */
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

/** Records that a run's price export was written, or that writing it failed. */
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
