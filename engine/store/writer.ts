/**
 * The one module that writes to the store. Every write is an INSERT: the
 * audit tables refuse UPDATE and DELETE through triggers.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { z } from "zod";
import { parseOrThrow } from "../schema/common.ts";
import {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../schema/inputs.ts";
import type { SnapshotRow } from "../schema/features.ts";
import { type Decision, OverrideRequest, RevocationRequest } from "../schema/pricing.ts";
import type { ModelEventName, ModelKind, ModelMetrics } from "../schema/models.ts";
import {
  AlertCandidate,
  type DataQualityIssue,
  type DriftMetricRow,
  type ForecastAccuracyRow,
} from "../schema/monitoring.ts";
import { canonicalJson, sha256Hex } from "../util/hash.ts";
export { transaction } from "./db.ts";

/** Options of the bulk appenders. */
export interface AppendOptions {
  /**
   * Validate every record with its zod schema first (default true). Only code
   * whose output is itself tested against the schemas (the simulator) turns this off.
   */
  validate?: boolean;
}

function appender<S extends z.ZodType>(
  schema: S,
  what: string,
  sql: string,
  values: (r: z.infer<S>) => SQLInputValue[],
) {
  return (db: DatabaseSync, records: Iterable<z.input<S>>, options: AppendOptions = {}): number => {
    const list = options.validate ?? true
      ? Array.from(
        records,
        (raw, i) => parseOrThrow(schema, raw, `append ${what} record #${i + 1}`),
      )
      : records as Iterable<z.infer<S>>;
    const stmt = db.prepare(sql);
    let n = 0;
    db.exec("SAVEPOINT append_batch");
    try {
      for (const r of list) {
        stmt.run(...values(r));
        n++;
      }
      db.exec("RELEASE append_batch");
    } catch (error) {
      db.exec("ROLLBACK TO append_batch; RELEASE append_batch");
      throw error;
    }
    return n;
  };
}

/** Appends catalog attribute records (effective-dated). */
export const appendCatalog = appender(
  CatalogRecord,
  "catalog",
  `INSERT INTO catalog (sku, effective_date, category, unit_cost, floor_price, ceiling_price,
    min_margin, max_daily_change, price_ending, active, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  (r) => [
    r.sku,
    r.effective_date,
    r.category,
    r.unit_cost,
    r.floor_price,
    r.ceiling_price,
    r.min_margin,
    r.max_daily_change,
    r.price_ending,
    r.active ? 1 : 0,
    r.reason ?? "initial",
  ],
);

/** Appends daily sales records. */
export const appendSales = appender(
  SalesRecord,
  "sales",
  "INSERT INTO sales (sku, date, units, revenue, avg_price, promo, reason) VALUES (?,?,?,?,?,?,?)",
  (r) => [r.sku, r.date, r.units, r.revenue, r.avg_price, r.promo ? 1 : 0, r.reason ?? "observed"],
);

/** Appends end-of-day inventory records. */
export const appendInventory = appender(
  InventoryRecord,
  "inventory",
  `INSERT INTO inventory (sku, date, on_hand, on_order, next_receipt_date, reason)
    VALUES (?,?,?,?,?,?)`,
  (r) => [r.sku, r.date, r.on_hand, r.on_order, r.next_receipt_date, r.reason ?? "observed"],
);

/** Appends competitor price observations. */
export const appendCompetitorPrices = appender(
  CompetitorPriceRecord,
  "competitor price",
  "INSERT INTO competitor_prices (sku, date, competitor_price, reason) VALUES (?,?,?,?)",
  (r) => [r.sku, r.date, r.competitor_price, r.reason ?? "observed"],
);

/** The simulator settings a demo or backtest store was generated with. */
export const SimConfigRow = z.object({
  scenario: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  skus: z.number().int().positive(),
  start_date: z.string(),
  history_days: z.number().int().positive(),
});
export type SimConfigRow = z.infer<typeof SimConfigRow>;

/** Records the simulator settings of a simulator-backed store. */
export function appendSimConfig(db: DatabaseSync, config: SimConfigRow): void {
  const c = parseOrThrow(SimConfigRow, config, "record the simulator settings");
  db.prepare(
    "INSERT INTO sim_config (scenario, seed, skus, start_date, history_days) VALUES (?,?,?,?,?)",
  ).run(canonicalJson(c.scenario), c.seed, c.skus, c.start_date, c.history_days);
}

/** Appends feature snapshots (one per run date and SKU). */
export function appendSnapshots(db: DatabaseSync, rows: readonly SnapshotRow[]): void {
  const stmt = db.prepare(
    "INSERT INTO feature_snapshots (run_date, sku, snapshot_id, features) VALUES (?,?,?,?)",
  );
  for (const r of rows) stmt.run(r.run_date, r.sku, r.snapshot_id, canonicalJson(r.features));
}

/** What a run records when it starts. */
export interface RunStart {
  runId: string;
  runDate: string;
  attempt: number;
  codeVersion: string;
  configHash: string;
  /** Wall-clock time supplied by the caller (tasks/), or null. Never part of a digest. */
  recordedAt: string | null;
  details: Record<string, unknown>;
}

/** Appends the run row and its `started` event. */
export function appendRunStart(db: DatabaseSync, run: RunStart): void {
  db.prepare(
    "INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash, recorded_at) VALUES (?,?,?,?,?,?)",
  ).run(run.runId, run.runDate, run.attempt, run.codeVersion, run.configHash, run.recordedAt);
  appendRunEvent(db, run.runId, "started", run.details, run.recordedAt);
}

/** Appends an event to a run's log. */
export function appendRunEvent(
  db: DatabaseSync,
  runId: string,
  event: "started" | "succeeded" | "failed",
  details: Record<string, unknown>,
  recordedAt: string | null,
): void {
  db.prepare("INSERT INTO run_events (run_id, event, details, recorded_at) VALUES (?,?,?,?)")
    .run(runId, event, canonicalJson(details), recordedAt);
}

/** Records an override request; returns its id. */
export function appendOverride(
  db: DatabaseSync,
  request: OverrideRequest,
  recordedAt: string | null,
): number {
  const o = parseOrThrow(OverrideRequest, request, "record the override");
  const r = db.prepare(
    `INSERT INTO overrides (kind, scope, target, effective_from, expires_at, actor, reason, recorded_at)
     VALUES (?,?,?,?,?,?,?,?)`,
  ).run(o.kind, o.scope, o.target, o.effective_from, o.expires_at, o.actor, o.reason, recordedAt);
  return Number(r.lastInsertRowid);
}

/** Records the revocation of an override; returns the revocation id. */
export function appendRevocation(
  db: DatabaseSync,
  request: RevocationRequest,
  recordedAt: string | null,
): number {
  const r = parseOrThrow(RevocationRequest, request, "revoke the override");
  const existing = db.prepare(
    "SELECT o.id, v.id AS revoked FROM overrides o LEFT JOIN override_revocations v ON v.override_id = o.id WHERE o.id = ?",
  ).get(r.override_id);
  if (!existing) throw new RangeError(`Cannot revoke override ${r.override_id}: no such override`);
  if (existing.revoked !== null) {
    throw new RangeError(
      `Cannot revoke override ${r.override_id}: already revoked (revocation ${existing.revoked})`,
    );
  }
  const out = db.prepare(
    "INSERT INTO override_revocations (override_id, actor, reason, recorded_at) VALUES (?,?,?,?)",
  ).run(r.override_id, r.actor, r.reason, recordedAt);
  return Number(out.lastInsertRowid);
}

/** Appends a run's decisions. */
export function appendDecisions(db: DatabaseSync, decisions: readonly Decision[]): void {
  const stmt = db.prepare(
    `INSERT INTO decisions (run_id, run_date, sku, strategy, override_id, override_kind, snapshot_id,
      model_version, previous_price, price, expected_units, expected_revenue, expected_profit,
      infeasible, conflict, binding, reason_codes, explanation)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  for (const d of decisions) {
    stmt.run(
      d.run_id,
      d.run_date,
      d.sku,
      d.strategy,
      d.override_id,
      d.override_kind,
      d.snapshot_id,
      d.model_version,
      d.previous_price,
      d.price,
      d.expected_units,
      d.expected_revenue,
      d.expected_profit,
      d.infeasible ? 1 : 0,
      d.conflict,
      canonicalJson(d.binding),
      canonicalJson(d.reason_codes),
      canonicalJson(d.explanation),
    );
  }
}

/** A model to register. */
export interface NewModel {
  version: string;
  kind: ModelKind;
  trainedFrom: string;
  trainedTo: string;
  seed: number;
  params: Record<string, unknown>;
  metrics: ModelMetrics;
  artifact: Record<string, unknown>;
}

/** Appends a model and its `registered` event. */
export function appendModel(
  db: DatabaseSync,
  m: NewModel,
  actor: string,
  recordedAt: string | null,
): void {
  db.prepare(
    `INSERT INTO models (version, kind, trained_from, trained_to, seed, params, metrics, artifact, recorded_at)
     VALUES (?,?,?,?,?,?,?,?,?)`,
  ).run(
    m.version,
    m.kind,
    m.trainedFrom,
    m.trainedTo,
    m.seed,
    canonicalJson(m.params),
    canonicalJson(m.metrics),
    canonicalJson(m.artifact),
    recordedAt,
  );
  appendModelEvent(
    db,
    m.version,
    "registered",
    actor,
    "trained and evaluated on the holdout",
    recordedAt,
  );
}

/** Appends an event to a model's life. */
export function appendModelEvent(
  db: DatabaseSync,
  version: string,
  event: ModelEventName,
  actor: string,
  reason: string,
  recordedAt: string | null,
): void {
  db.prepare(
    "INSERT INTO model_events (version, event, actor, reason, recorded_at) VALUES (?,?,?,?,?)",
  ).run(version, event, actor, reason, recordedAt);
}

/** What the monitoring stage recorded for a run (once per run). */
export function appendMonitoringRun(
  db: DatabaseSync,
  r: {
    runId: string;
    runDate: string;
    modelVersion: string | null;
    summary: Record<string, unknown>;
    recordedAt: string | null;
  },
): void {
  db.prepare(
    "INSERT INTO monitoring_runs (run_id, run_date, model_version, summary, recorded_at) VALUES (?,?,?,?,?)",
  ).run(r.runId, r.runDate, r.modelVersion, canonicalJson(r.summary), r.recordedAt);
}

/** Appends a run's forecast accuracy rows. */
export function appendForecastAccuracy(
  db: DatabaseSync,
  rows: readonly ForecastAccuracyRow[],
): void {
  const stmt = db.prepare(
    `INSERT INTO forecast_accuracy (run_id, run_date, window_days, scope_kind, scope, n,
      actual_units, predicted_units, wape, bias) VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  for (const r of rows) {
    stmt.run(
      r.run_id,
      r.run_date,
      r.window_days,
      r.scope_kind,
      r.scope,
      r.n,
      r.actual_units,
      r.predicted_units,
      r.wape,
      r.bias,
    );
  }
}

/** Appends a run's drift metrics (PSI per scope and feature). */
export function appendDriftMetrics(db: DatabaseSync, rows: readonly DriftMetricRow[]): void {
  const stmt = db.prepare(
    `INSERT INTO drift_metrics (run_id, run_date, model_version, scope, feature, n, psi, threshold,
      drifted) VALUES (?,?,?,?,?,?,?,?,?)`,
  );
  for (const r of rows) {
    stmt.run(
      r.run_id,
      r.run_date,
      r.model_version,
      r.scope,
      r.feature,
      r.n,
      r.psi,
      Number.isFinite(r.threshold) ? r.threshold : 1e9,
      r.drifted ? 1 : 0,
    );
  }
}

/** Appends the data-quality issues a run found. */
export function appendDataQualityIssues(
  db: DatabaseSync,
  runId: string,
  runDate: string,
  issues: readonly DataQualityIssue[],
): void {
  const stmt = db.prepare(
    `INSERT INTO data_quality_issues (run_id, run_date, "check", sku, field, value, message)
     VALUES (?,?,?,?,?,?,?)`,
  );
  for (const i of issues) stmt.run(runId, runDate, i.check, i.sku, i.field, i.value, i.message);
}

/** Opens an alert; returns its id. */
export function appendAlert(
  db: DatabaseSync,
  a: AlertCandidate,
  run: { runId: string; runDate: string; recordedAt: string | null },
): number {
  const c = parseOrThrow(AlertCandidate, a, "open the alert");
  const r = db.prepare(
    `INSERT INTO alerts (type, subject, severity, sku, category, message, metrics, run_id, run_date,
      recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
  ).run(
    c.type,
    c.subject,
    c.severity,
    c.sku,
    c.category,
    c.message,
    canonicalJson(c.metrics),
    run.runId,
    run.runDate,
    run.recordedAt,
  );
  return Number(r.lastInsertRowid);
}

/** Appends a sighting or the resolution of an open alert. */
export function appendAlertEvent(
  db: DatabaseSync,
  e: {
    alertId: number;
    event: "seen" | "resolved";
    severity: "info" | "warning" | "critical";
    message: string;
    metrics: Record<string, unknown>;
  },
  run: { runId: string; runDate: string; recordedAt: string | null },
): void {
  db.prepare(
    `INSERT INTO alert_events (alert_id, event, severity, message, metrics, run_id, run_date,
      recorded_at) VALUES (?,?,?,?,?,?,?,?)`,
  ).run(
    e.alertId,
    e.event,
    e.severity,
    e.message,
    canonicalJson(e.metrics),
    run.runId,
    run.runDate,
    run.recordedAt,
  );
}

/** Opens a retrain request for a model; returns its id. */
export function appendRetrainRequest(
  db: DatabaseSync,
  r: {
    modelVersion: string;
    runId: string;
    runDate: string;
    rule: string;
    metrics: Record<string, unknown>;
    recordedAt: string | null;
  },
): number {
  const out = db.prepare(
    `INSERT INTO retrain_requests (model_version, run_id, run_date, rule, metrics, recorded_at)
     VALUES (?,?,?,?,?,?)`,
  ).run(r.modelVersion, r.runId, r.runDate, r.rule, canonicalJson(r.metrics), r.recordedAt);
  return Number(out.lastInsertRowid);
}

/** Appends an event to a retrain request: a candidate registered for it, or closed. */
export function appendRetrainRequestEvent(
  db: DatabaseSync,
  e: {
    requestId: number;
    event: "candidate_registered" | "closed";
    candidateVersion: string | null;
    actor: string;
    reason: string;
    recordedAt: string | null;
  },
): void {
  db.prepare(
    `INSERT INTO retrain_request_events (request_id, event, candidate_version, actor, reason,
      recorded_at) VALUES (?,?,?,?,?,?)`,
  ).run(e.requestId, e.event, e.candidateVersion, e.actor, e.reason, e.recordedAt);
}

/** One strategy's headline metrics in a stored backtest. */
export interface NewBacktestStrategy {
  strategy: "ml" | "rule" | "static" | "oracle";
  revenue: number;
  profit: number;
  units: number;
  lost_units: number;
  stockout_days: number;
  avg_margin: number;
  price_changes: number;
  /** Profit against static in percent, with its 95% bootstrap interval (null for static). */
  profit_vs_static_pct: number | null;
  profit_vs_static_lo: number | null;
  profit_vs_static_hi: number | null;
}

/** A backtest to store: its key fields, the whole report and one row per strategy. */
export interface NewBacktest {
  scenario: string;
  seed: number;
  skus: number;
  days: number;
  fromDate: string;
  toDate: string;
  mlOracleCapture: number | null;
  report: Record<string, unknown>;
  strategies: readonly NewBacktestStrategy[];
}

/**
 * Appends a backtest and its strategies (call inside a transaction), keyed by the
 * sha256 of the report; a report already stored changes nothing. Returns the id and
 * whether it was new.
 */
export function appendBacktest(
  db: DatabaseSync,
  b: NewBacktest,
  recordedAt: string | null,
): { backtest_id: string; stored: boolean } {
  const id = sha256Hex(canonicalJson(b.report));
  {
    if (db.prepare("SELECT 1 FROM backtests WHERE backtest_id = ?").get(id)) {
      return { backtest_id: id, stored: false };
    }
    db.prepare(
      `INSERT INTO backtests (backtest_id, scenario, seed, skus, days, from_date, to_date,
        ml_oracle_capture, report, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
    ).run(
      id,
      b.scenario,
      b.seed,
      b.skus,
      b.days,
      b.fromDate,
      b.toDate,
      b.mlOracleCapture,
      canonicalJson(b.report),
      recordedAt,
    );
    const insert = db.prepare(
      `INSERT INTO backtest_strategies (backtest_id, strategy, revenue, profit, units, lost_units,
        stockout_days, avg_margin, price_changes, profit_vs_static_pct, profit_vs_static_lo,
        profit_vs_static_hi) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const s of b.strategies) {
      insert.run(
        id,
        s.strategy,
        s.revenue,
        s.profit,
        s.units,
        s.lost_units,
        s.stockout_days,
        s.avg_margin,
        s.price_changes,
        s.profit_vs_static_pct,
        s.profit_vs_static_lo,
        s.profit_vs_static_hi,
      );
    }
    return { backtest_id: id, stored: true };
  }
}
