/**
 * Records of the data contract's bookkeeping: imports, the data-quality issues
 * an import found, the trading calendar, the store's settings and the price
 * exports of runs.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, IsoDate, plainText } from "./common.ts";
import { WEEKDAY_NAMES } from "../util/period.ts";

const /** @ignore */ _ImportKind = z.enum([
  "catalog",
  "sales",
  "inventory",
  "competitor",
  "transactions",
]);
/** The kinds of contract file an import reads. */
export const ImportKind: typeof _ImportKind = _ImportKind;
/** The type {@linkcode ImportKind} parses to. */
export type ImportKind = Infer<typeof ImportKind>;

const /** @ignore */ _ImportRecord = z.object({
  id: z.number().int().positive(),
  kind: ImportKind,
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows_read: z.number().int().min(0),
  rows_written: z.number().int().min(0),
  rows_unchanged: z.number().int().min(0),
  rows_rejected: z.number().int().min(0),
  details: z.record(z.string(), z.unknown()),
  actor: z.string(),
  reason: z.string().nullable(),
  recorded_at: z.string().nullable(),
});
/** One imported file, as recorded. */
export const ImportRecord: typeof _ImportRecord = _ImportRecord;
/** The type {@linkcode ImportRecord} parses to. */
export type ImportRecord = Infer<typeof ImportRecord>;

const /** @ignore */ _ImportIssue = z.object({
  line: z.number().int().positive().nullable(),
  sku: z.string().nullable(),
  check: z.enum(["REVENUE_MISMATCH", "UNITS_OUTLIER", "COST_JUMP", "RETURNS_EXCEED_SALES"]),
  field: z.string(),
  value: z.string().nullable(),
  message: z.string(),
});
/** A plausibility finding of an import: recorded and reported, the row is still written. */
export const ImportIssue: typeof _ImportIssue = _ImportIssue;
/** The type {@linkcode ImportIssue} parses to. */
export type ImportIssue = Infer<typeof ImportIssue>;

const /** @ignore */ _CalendarDay = z.object({
  date: IsoDate,
  status: z.enum(["open", "closed"]),
  reason: plainText(500).min(1),
});
/** A day of the trading calendar: the latest row for a date wins. */
export const CalendarDay: typeof _CalendarDay = _CalendarDay;
/** The type {@linkcode CalendarDay} parses to. */
export type CalendarDay = Infer<typeof CalendarDay>;

const /** @ignore */ _Weekday = z.enum(WEEKDAY_NAMES);
/** Days of the week, as a weekly store names its first. */
export const Weekday: typeof _Weekday = _Weekday;
/** The type {@linkcode Weekday} parses to. */
export type Weekday = Infer<typeof Weekday>;

const /** @ignore */ _StoreSettings = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, {
    error: "expected a store name of 1-64 letters, digits, '.', '-' or '_'",
  }),
  period: z.enum(["day", "week"]),
  week_start: Weekday.nullable(),
}).refine((s) => (s.period === "week") === (s.week_start !== null), {
  error: "a weekly store names the week's first day (week_start); a daily store does not",
  path: ["week_start"],
});
/** The store's settings: its name (in export file names) and its pricing period. */
export const StoreSettings: typeof _StoreSettings = _StoreSettings;
/** The type {@linkcode StoreSettings} parses to. */
export type StoreSettings = Infer<typeof StoreSettings>;

const /** @ignore */ _PriceExportRecord = z.object({
  run_id: z.string(),
  status: z.enum(["written", "failed"]),
  /** Infeasible prices held back (the previous price exported) or exported as decided. */
  infeasible: z.enum(["hold", "export"]),
  file: z.string(),
  sha256: z.string().nullable(),
  rows: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
  recorded_at: z.string().nullable(),
});
/** A run's price export: written (with its file and content hash) or failed (with the error). */
export const PriceExportRecord: typeof _PriceExportRecord = _PriceExportRecord;
/** The type {@linkcode PriceExportRecord} parses to. */
export type PriceExportRecord = Infer<typeof PriceExportRecord>;
