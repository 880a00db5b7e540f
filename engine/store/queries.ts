/**
 * Read-only queries: the read contract for the pipeline, the site and
 * notebooks. Every row is checked by a zod schema on its way out. Nothing here
 * writes; `openReadOnly` opens the file read-only.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import { parseOrThrow } from "../schema/common.ts";
import {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../schema/inputs.ts";
import { SnapshotRow } from "../schema/features.ts";
import { RunRecord } from "../schema/run.ts";
import { Decision, OverrideRecord } from "../schema/pricing.ts";
import { ModelEvent, ModelRecord } from "../schema/models.ts";
import {
  AlertRecord,
  DataQualityIssue,
  DriftMetricRow,
  ForecastAccuracyRow,
  MonitoringRunRecord,
  RetrainRequestRecord,
} from "../schema/monitoring.ts";
import { SimConfigRow } from "./writer.ts";
import { openStore } from "./db.ts";

/** Opens the store at `path` read-only. */
export function openReadOnly(path: string): DatabaseSync {
  return openStore(path, { readOnly: true });
}

const flag = (v: unknown) => v === 1 || v === 1n;

function rows<T extends z.ZodType>(
  schema: T,
  what: string,
  raw: Record<string, unknown>[],
  map: (r: Record<string, unknown>) => unknown = (r) => ({ ...r }),
): z.infer<T>[] {
  const out: z.infer<T>[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    out[i] = parseOrThrow(schema, map(raw[i]), `read ${what} row ${i + 1}`);
  }
  return out;
}

/** Catalog attributes in force on `date`: per SKU the latest record effective before it. */
export function readCatalogBefore(db: DatabaseSync, date: string): CatalogRecord[] {
  const raw = db.prepare(
    `SELECT sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason
     FROM (SELECT *, row_number() OVER (PARTITION BY sku ORDER BY effective_date DESC, id DESC) AS rn
           FROM catalog WHERE effective_date < ?)
     WHERE rn = 1 ORDER BY sku`,
  ).all(date);
  return rows(CatalogRecord, "catalog", raw, (r) => ({ ...r, active: flag(r.active) }));
}

/**
 * Rows of an input table dated in [from, to) by SKU then date, corrections
 * applied: of several rows for one SKU and date, the last recorded wins.
 */
function latestRows(
  db: DatabaseSync,
  table: "sales" | "inventory" | "competitor_prices",
  columns: string,
  from: string,
  to: string,
): Record<string, unknown>[] {
  const all = db.prepare(
    `SELECT ${columns} FROM ${table} WHERE date >= ? AND date < ? ORDER BY sku, date, id`,
  ).all(from, to);
  const out: Record<string, unknown>[] = [];
  for (const r of all) {
    const prev = out[out.length - 1];
    if (prev && prev.sku === r.sku && prev.date === r.date) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

/** Every catalog record effective before `date`, by SKU, effective date and recording order. */
export function readCatalogHistory(db: DatabaseSync, date: string): CatalogRecord[] {
  const raw = db.prepare(
    `SELECT sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin,
       max_daily_change, price_ending, active, reason
     FROM catalog WHERE effective_date < ? ORDER BY sku, effective_date, id`,
  ).all(date);
  return rows(CatalogRecord, "catalog", raw, (r) => ({ ...r, active: flag(r.active) }));
}

/** Sales dated in [from, to), corrections applied (the latest row per SKU and date), by SKU then date. */
export function readSales(db: DatabaseSync, from: string, to: string): SalesRecord[] {
  const raw = latestRows(
    db,
    "sales",
    "sku, date, units, revenue, avg_price, promo, reason",
    from,
    to,
  );
  return rows(SalesRecord, "sales", raw, (r) => ({
    sku: r.sku,
    date: r.date,
    units: r.units,
    revenue: r.revenue,
    avg_price: r.avg_price,
    promo: flag(r.promo),
    reason: r.reason,
  }));
}

/** End-of-day inventory dated in [from, to), corrections applied, by SKU then date. */
export function readInventory(db: DatabaseSync, from: string, to: string): InventoryRecord[] {
  const raw = latestRows(
    db,
    "inventory",
    "sku, date, on_hand, on_order, next_receipt_date, reason",
    from,
    to,
  );
  return rows(InventoryRecord, "inventory", raw);
}

/** Competitor prices dated in [from, to), corrections applied, by SKU then date. */
export function readCompetitorPrices(
  db: DatabaseSync,
  from: string,
  to: string,
): CompetitorPriceRecord[] {
  const raw = latestRows(db, "competitor_prices", "sku, date, competitor_price, reason", from, to);
  return rows(CompetitorPriceRecord, "competitor price", raw);
}

/** The latest date with a sales record, or null in an empty store. */
export function latestSalesDate(db: DatabaseSync): string | null {
  const r = db.prepare("SELECT max(date) AS d FROM sales").get();
  return (r?.d as string | null) ?? null;
}

/** The earliest date with a sales record, or null in an empty store. */
export function earliestSalesDate(db: DatabaseSync): string | null {
  const r = db.prepare("SELECT min(date) AS d FROM sales").get();
  return (r?.d as string | null) ?? null;
}

/** The simulator settings of a simulator-backed store (the latest), or null. */
export function readSimConfig(db: DatabaseSync): SimConfigRow | null {
  const r = db.prepare("SELECT * FROM sim_config ORDER BY id DESC LIMIT 1").get();
  if (!r) return null;
  return parseOrThrow(
    SimConfigRow,
    { ...r, scenario: JSON.parse(String(r.scenario)) },
    "read the simulator settings",
  );
}

/** Runs, newest first, optionally for one date. */
export function readRuns(db: DatabaseSync, options: { date?: string } = {}): RunRecord[] {
  const raw = options.date
    ? db.prepare("SELECT * FROM v_runs WHERE run_date = ? ORDER BY run_date DESC, attempt DESC")
      .all(options.date)
    : db.prepare("SELECT * FROM v_runs ORDER BY run_date DESC, attempt DESC").all();
  return rows(RunRecord, "run", raw, (r) => ({ ...r, details: JSON.parse(String(r.details)) }));
}

/** The stored feature snapshots of a run date, by SKU. */
export function readSnapshots(db: DatabaseSync, runDate: string): SnapshotRow[] {
  const raw = db.prepare(
    "SELECT run_date, sku, snapshot_id, features FROM feature_snapshots WHERE run_date = ? ORDER BY sku",
  ).all(runDate);
  return rows(
    SnapshotRow,
    "feature snapshot",
    raw,
    (r) => ({ ...r, features: JSON.parse(String(r.features)) }),
  );
}

/** Options of {@linkcode readOverrides}. */
export interface ReadOverridesOptions {
  /** Only overrides whose window [effective_from, expires_at) contains this date. */
  activeOn?: string;
  /** Only overrides and revocations recorded up to these ids (what a past run saw). */
  upTo?: { overrideId: number; revocationId: number };
}

/** Overrides with their revocation, if any, by id. */
export function readOverrides(
  db: DatabaseSync,
  options: ReadOverridesOptions = {},
): OverrideRecord[] {
  const maxO = options.upTo?.overrideId ?? Number.MAX_SAFE_INTEGER;
  const maxR = options.upTo?.revocationId ?? Number.MAX_SAFE_INTEGER;
  const raw = db.prepare(
    `SELECT o.*, r.id AS revocation_id, r.actor AS revoked_by, r.reason AS revoke_reason
     FROM overrides o LEFT JOIN override_revocations r ON r.override_id = o.id AND r.id <= ?
     WHERE o.id <= ? AND (? IS NULL OR (o.effective_from <= ? AND ? < o.expires_at))
     ORDER BY o.id`,
  ).all(maxR, maxO, options.activeOn ?? null, options.activeOn ?? null, options.activeOn ?? null);
  return rows(OverrideRecord, "override", raw);
}

/** The highest override and revocation ids recorded so far (0 when none). */
export function overrideWatermark(db: DatabaseSync): { overrideId: number; revocationId: number } {
  const o = db.prepare("SELECT coalesce(max(id), 0) AS m FROM overrides").get();
  const r = db.prepare("SELECT coalesce(max(id), 0) AS m FROM override_revocations").get();
  return { overrideId: Number(o?.m ?? 0), revocationId: Number(r?.m ?? 0) };
}

/** The decisions of a run, by SKU. */
export function readDecisions(db: DatabaseSync, runId: string): Decision[] {
  const raw = db.prepare("SELECT * FROM decisions WHERE run_id = ? ORDER BY sku").all(runId);
  return rows(Decision, "decision", raw, (r) => ({
    ...r,
    infeasible: flag(r.infeasible),
    binding: JSON.parse(String(r.binding)),
    reason_codes: JSON.parse(String(r.reason_codes)),
    explanation: JSON.parse(String(r.explanation)),
  }));
}

/** Registered models, newest first, with their status. */
export function readModels(db: DatabaseSync, options: { version?: string } = {}): ModelRecord[] {
  const raw = options.version
    ? db.prepare("SELECT * FROM v_models WHERE version = ?").all(options.version)
    : db.prepare("SELECT * FROM v_models ORDER BY registered_seq DESC").all();
  return rows(ModelRecord, "model", raw, ({ registered_seq: _s, ...r }) => ({
    ...r,
    params: JSON.parse(String(r.params)),
    metrics: JSON.parse(String(r.metrics)),
    artifact: JSON.parse(String(r.artifact)),
  }));
}

/** The champion: the model promoted last and not retired since, or null. */
export function readChampion(db: DatabaseSync): ModelRecord | null {
  const r = db.prepare(
    `SELECT e.version FROM model_events e JOIN v_models m ON m.version = e.version
     WHERE e.event = 'promoted' AND m.status = 'champion' ORDER BY e.id DESC LIMIT 1`,
  ).get();
  return r ? readModels(db, { version: String(r.version) })[0] ?? null : null;
}

/** Model events, in order, optionally of one version. */
export function readModelEvents(
  db: DatabaseSync,
  options: { version?: string } = {},
): ModelEvent[] {
  const raw = options.version
    ? db.prepare("SELECT * FROM model_events WHERE version = ? ORDER BY id").all(options.version)
    : db.prepare("SELECT * FROM model_events ORDER BY id").all();
  return rows(ModelEvent, "model event", raw);
}

/** Rows of an input table appended after row `afterId`, in the order recorded, with their ids. */
export interface AppendedRows<T> {
  lastId: number;
  rows: { id: number; record: T }[];
}

function appendedAfter<T extends z.ZodType>(
  db: DatabaseSync,
  table: "sales" | "inventory" | "competitor_prices",
  columns: string,
  schema: T,
  afterId: number,
  map: (r: Record<string, unknown>) => unknown,
): AppendedRows<z.infer<T>> {
  const raw = db.prepare(`SELECT id, ${columns} FROM ${table} WHERE id > ? ORDER BY id`).all(
    afterId,
  );
  const out = raw.map(({ id, ...r }, i) => ({
    id: Number(id),
    record: parseOrThrow(schema, map(r), `read ${table} row ${i + 1} after id ${afterId}`),
  }));
  return { lastId: out.length ? out[out.length - 1].id : afterId, rows: out };
}

/** Sales rows recorded after row `afterId` (an incremental read; corrections included). */
export function readSalesAfter(db: DatabaseSync, afterId: number): AppendedRows<SalesRecord> {
  return appendedAfter(
    db,
    "sales",
    "sku, date, units, revenue, avg_price, promo, reason",
    SalesRecord,
    afterId,
    (r) => ({ ...r, promo: flag(r.promo) }),
  );
}

/** Inventory rows recorded after row `afterId`. */
export function readInventoryAfter(
  db: DatabaseSync,
  afterId: number,
): AppendedRows<InventoryRecord> {
  return appendedAfter(
    db,
    "inventory",
    "sku, date, on_hand, on_order, next_receipt_date, reason",
    InventoryRecord,
    afterId,
    (r) => r,
  );
}

/** Competitor price rows recorded after row `afterId`. */
export function readCompetitorPricesAfter(
  db: DatabaseSync,
  afterId: number,
): AppendedRows<CompetitorPriceRecord> {
  return appendedAfter(
    db,
    "competitor_prices",
    "sku, date, competitor_price, reason",
    CompetitorPriceRecord,
    afterId,
    (r) => r,
  );
}

/** Alerts with their current state (view `v_alerts`), by id. */
export function readAlerts(
  db: DatabaseSync,
  options: { open?: boolean; type?: string } = {},
): AlertRecord[] {
  const raw = db.prepare(
    `SELECT * FROM v_alerts WHERE (? = 0 OR status = 'open') AND (? IS NULL OR type = ?) ORDER BY id`,
  ).all(options.open ? 1 : 0, options.type ?? null, options.type ?? null);
  return rows(AlertRecord, "alert", raw, (r) => ({ ...r, metrics: JSON.parse(String(r.metrics)) }));
}

/** The monitoring record of a run, or null when the run was not monitored. */
export function readMonitoringRun(db: DatabaseSync, runId: string): MonitoringRunRecord | null {
  const r = db.prepare("SELECT * FROM monitoring_runs WHERE run_id = ?").get(runId);
  return r
    ? parseOrThrow(
      MonitoringRunRecord,
      { ...r, summary: JSON.parse(String(r.summary)) },
      "read the monitoring run",
    )
    : null;
}

/** Monitoring records dated before `before` (all when omitted), newest first, at most `limit`. */
export function readMonitoringRuns(
  db: DatabaseSync,
  options: { before?: string; limit?: number } = {},
): MonitoringRunRecord[] {
  const raw = db.prepare(
    "SELECT * FROM monitoring_runs WHERE run_date < ? ORDER BY run_date DESC LIMIT ?",
  ).all(options.before ?? "9999-12-31", options.limit ?? -1);
  return rows(
    MonitoringRunRecord,
    "monitoring run",
    raw,
    (r) => ({ ...r, summary: JSON.parse(String(r.summary)) }),
  );
}

/** The forecast accuracy rows of a run. */
export function readForecastAccuracy(db: DatabaseSync, runId: string): ForecastAccuracyRow[] {
  const raw = db.prepare(
    "SELECT * FROM forecast_accuracy WHERE run_id = ? ORDER BY window_days, scope_kind, scope",
  ).all(runId);
  return rows(ForecastAccuracyRow, "forecast accuracy", raw);
}

/** The drift metrics of a run. */
export function readDriftMetrics(db: DatabaseSync, runId: string): DriftMetricRow[] {
  const raw = db.prepare("SELECT * FROM drift_metrics WHERE run_id = ? ORDER BY scope, feature")
    .all(runId);
  return rows(DriftMetricRow, "drift metric", raw, (r) => ({ ...r, drifted: flag(r.drifted) }));
}

/** The data-quality issues a run found, by SKU. */
export function readDataQualityIssues(db: DatabaseSync, runId: string): DataQualityIssue[] {
  const raw = db.prepare(
    `SELECT "check", sku, field, value, message FROM data_quality_issues WHERE run_id = ?
     ORDER BY sku, "check", field, id`,
  ).all(runId);
  return rows(DataQualityIssue, "data-quality issue", raw);
}

/** Retrain requests with their status, newest first, optionally for one model. */
export function readRetrainRequests(
  db: DatabaseSync,
  options: { modelVersion?: string } = {},
): RetrainRequestRecord[] {
  const raw = db.prepare(
    "SELECT * FROM v_retrain_requests WHERE ? IS NULL OR model_version = ? ORDER BY id DESC",
  ).all(options.modelVersion ?? null, options.modelVersion ?? null);
  return rows(
    RetrainRequestRecord,
    "retrain request",
    raw,
    (r) => ({ ...r, metrics: JSON.parse(String(r.metrics)) }),
  );
}

/** A decision's expected units next to the day's actual sales and closing stock. */
export const ForecastPairRow = z.object({
  date: z.string(),
  sku: z.string(),
  category: z.string(),
  strategy: z.string(),
  predicted: z.number(),
  actual: z.number(),
  promo: z.boolean(),
  censored: z.boolean(),
});
export type ForecastPairRow = z.infer<typeof ForecastPairRow>;

/**
 * Decisions of succeeded runs dated in [from, to) joined to that day's sales
 * (the latest record) and closing stock (censored when it ended at zero).
 */
export function readForecastPairs(db: DatabaseSync, from: string, to: string): ForecastPairRow[] {
  const raw = db.prepare(
    `SELECT d.run_date AS date, d.sku, json_extract(f.features, '$.category') AS category,
       d.strategy, d.expected_units AS predicted, s.units AS actual, s.promo,
       coalesce((SELECT i.on_hand = 0 FROM inventory i WHERE i.sku = d.sku AND i.date = d.run_date
         ORDER BY i.id DESC LIMIT 1), 0) AS censored
     FROM decisions d
     JOIN v_runs r ON r.run_id = d.run_id AND r.status = 'succeeded'
     JOIN feature_snapshots f ON f.run_date = d.run_date AND f.sku = d.sku
     JOIN sales s ON s.id = (SELECT max(id) FROM sales x WHERE x.sku = d.sku AND x.date = d.run_date)
     WHERE d.run_date >= ? AND d.run_date < ?
     ORDER BY d.run_date, d.sku`,
  ).all(from, to);
  return rows(ForecastPairRow, "forecast pair", raw, (r) => ({
    ...r,
    promo: flag(r.promo),
    censored: flag(r.censored),
  }));
}

/** Per SKU, the latest inventory record dated in [since, date) (corrections applied). */
export function readLatestInventory(
  db: DatabaseSync,
  date: string,
  since: string,
): InventoryRecord[] {
  const raw = db.prepare(
    `SELECT sku, date, on_hand, on_order, next_receipt_date, reason FROM (
       SELECT *, row_number() OVER (PARTITION BY sku ORDER BY date DESC, id DESC) AS rn
       FROM inventory WHERE date >= ? AND date < ?) WHERE rn = 1 ORDER BY sku`,
  ).all(since, date);
  return rows(InventoryRecord, "inventory", raw, ({ rn: _rn, id: _id, ...r }) => r);
}

/** A stored backtest strategy's headline metrics. */
export const BacktestStrategyRow = z.object({
  backtest_id: z.string(),
  strategy: z.enum(["ml", "rule", "static", "oracle"]),
  revenue: z.number(),
  profit: z.number(),
  units: z.number(),
  lost_units: z.number(),
  stockout_days: z.number().int(),
  avg_margin: z.number(),
  price_changes: z.number().int(),
  profit_vs_static_pct: z.number().nullable(),
  profit_vs_static_lo: z.number().nullable(),
  profit_vs_static_hi: z.number().nullable(),
});
export type BacktestStrategyRow = z.infer<typeof BacktestStrategyRow>;

/** A stored backtest (the report only when asked for). */
export const BacktestRow = z.object({
  backtest_id: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  skus: z.number().int(),
  days: z.number().int(),
  from_date: z.string(),
  to_date: z.string(),
  ml_oracle_capture: z.number().nullable(),
  recorded_at: z.string().nullable(),
  report: z.record(z.string(), z.unknown()).optional(),
  strategies: z.array(BacktestStrategyRow),
});
export type BacktestRow = z.infer<typeof BacktestRow>;

/** Stored backtests, latest first, each with its strategies; `withReport` adds the report. */
export function readBacktests(
  db: DatabaseSync,
  options: { backtestId?: string; scenario?: string; withReport?: boolean } = {},
): BacktestRow[] {
  const where: string[] = [];
  const args: string[] = [];
  if (options.backtestId) (where.push("backtest_id = ?"), args.push(options.backtestId));
  if (options.scenario) (where.push("scenario = ?"), args.push(options.scenario));
  const raw = db.prepare(
    `SELECT backtest_id, scenario, seed, skus, days, from_date, to_date, ml_oracle_capture,
       recorded_at${options.withReport ? ", report" : ""}
     FROM backtests ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY rowid DESC`,
  ).all(...args);
  const order = "CASE strategy WHEN 'static' THEN 0 WHEN 'rule' THEN 1 WHEN 'ml' THEN 2 ELSE 3 END";
  const strategies = db.prepare(
    `SELECT * FROM backtest_strategies WHERE backtest_id = ? ORDER BY ${order}`,
  );
  return rows(BacktestRow, "backtest", raw, (r) => ({
    ...r,
    ...(r.report === undefined ? {} : { report: JSON.parse(String(r.report)) }),
    strategies: strategies.all(String(r.backtest_id)).map((s) => ({ ...s })),
  }));
}
