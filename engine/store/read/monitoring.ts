/**
 * Read-only queries of monitoring: alerts, monitoring runs, forecast accuracy,
 * drift, data-quality issues, retrain requests and forecast pairs.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import { type Infer, parseOrThrow } from "../../schema/common.ts";
import {
  AlertRecord,
  DataQualityIssue,
  DriftMetricRow,
  ForecastAccuracyRow,
  MonitoringRunRecord,
  RetrainRequestRecord,
} from "../../schema/monitoring.ts";
import { flag, rows } from "./_rows.ts";
import { VALID_ROW } from "./valid_rows.ts";

/**
 * Alerts with their current state (view `v_alerts`: open or resolved, how many runs
 * saw them, the latest severity, message and metrics), by id.
 *
 * @param db The store.
 * @param options `open`: only open alerts (default false); `type`: only that type.
 * @returns The alerts.
 *
 * @example Usage
 * ```ts
 * import { readAlerts } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendAlert, appendAlertEvent } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const alertId = appendAlert(db, {
 *   type: "FORECAST_DRIFT", subject: "all", severity: "warning", sku: null, category: null,
 *   message: "forecasts run 30% high", metrics: { bias: 0.3 },
 * }, { runId: "run-1", runDate: "2025-01-08", recordedAt: null });
 * appendAlertEvent(
 *   db,
 *   { alertId, event: "seen", severity: "critical", message: "40% high", metrics: { bias: 0.4 } },
 *   { runId: "run-2", runDate: "2025-01-09", recordedAt: null },
 * );
 * const [alert] = readAlerts(db, { open: true, type: "FORECAST_DRIFT" });
 * assert.equal(alert.count, 2);
 * assert.equal(alert.severity, "critical");
 * assert.equal(alert.last_run_date, "2025-01-09");
 * db.close();
 * ```
 */
export function readAlerts(
  db: DatabaseSync,
  options: { open?: boolean; type?: string } = {},
): AlertRecord[] {
  const raw = statement(
    db,
    `SELECT * FROM v_alerts WHERE (? = 0 OR status = 'open') AND (? IS NULL OR type = ?) ORDER BY id`,
  ).all(options.open ? 1 : 0, options.type ?? null, options.type ?? null);
  return rows(AlertRecord, "alert", raw, (r) => ({ ...r, metrics: JSON.parse(String(r.metrics)) }));
}

/**
 * What the monitoring stage recorded for a run.
 *
 * @param db The store.
 * @param runId The run.
 * @returns The record, or null when the run was not monitored.
 *
 * @example Usage
 * ```ts
 * import { readMonitoringRun } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 * import { appendMonitoringRun } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * assert.equal(readMonitoringRun(db, "run-1"), null);
 * appendMonitoringRun(db, {
 *   runId: "run-1", runDate: "2025-01-08", modelVersion: null, summary: {}, recordedAt: null,
 * });
 * assert.equal(readMonitoringRun(db, "run-1")?.run_date, "2025-01-08");
 * db.close();
 * ```
 */
export function readMonitoringRun(db: DatabaseSync, runId: string): MonitoringRunRecord | null {
  const r = statement(db, "SELECT * FROM monitoring_runs WHERE run_id = ?").get(runId);
  return r
    ? parseOrThrow(
      MonitoringRunRecord,
      { ...r, summary: JSON.parse(String(r.summary)) },
      "read the monitoring run",
    )
    : null;
}

/**
 * Monitoring records, newest run date first.
 *
 * @param db The store.
 * @param options `before`: only runs dated before this date (default: all);
 * `limit`: at most this many (default: no limit).
 * @returns The records.
 *
 * @example Usage
 * ```ts
 * import { readMonitoringRuns } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunEvent, appendRunStart } from "../write/runs.ts";
 * import { appendMonitoringRun } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * for (const [i, date] of ["2025-01-07", "2025-01-08", "2025-01-09"].entries()) {
 *   const runId = `run-${i}`;
 *   appendRunStart(db, {
 *     runId, runDate: date, attempt: 1, codeVersion: "dev", configHash: "c0", recordedAt: null,
 *     details: {},
 *   });
 *   appendMonitoringRun(db, {
 *     runId, runDate: date, modelVersion: null, summary: {}, recordedAt: null,
 *   });
 * }
 * const runs = readMonitoringRuns(db, { before: "2025-01-09", limit: 1 });
 * assert.deepEqual(runs.map((r) => r.run_date), ["2025-01-08"]);
 * db.close();
 * ```
 */
export function readMonitoringRuns(
  db: DatabaseSync,
  options: { before?: string; limit?: number } = {},
): MonitoringRunRecord[] {
  const raw = statement(
    db,
    "SELECT * FROM monitoring_runs WHERE run_date < ? ORDER BY run_date DESC LIMIT ?",
  ).all(options.before ?? "9999-12-31", options.limit ?? -1);
  return rows(
    MonitoringRunRecord,
    "monitoring run",
    raw,
    (r) => ({ ...r, summary: JSON.parse(String(r.summary)) }),
  );
}

/**
 * The forecast accuracy rows of a run, by window, scope kind and scope.
 *
 * @param db The store.
 * @param runId The run.
 * @returns The rows.
 *
 * @example Usage
 * ```ts
 * import { readForecastAccuracy } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 * import { appendForecastAccuracy } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const row = {
 *   run_id: "run-1", run_date: "2025-01-08", window_days: 7, scope_kind: "all", scope: "all",
 *   n: 0, actual_units: 0, predicted_units: 0, wape: null, bias: null,
 * } as const;
 * appendForecastAccuracy(db, [{ ...row, window_days: 30 }, row]);
 * assert.deepEqual(readForecastAccuracy(db, "run-1").map((r) => r.window_days), [7, 30]);
 * db.close();
 * ```
 */
export function readForecastAccuracy(db: DatabaseSync, runId: string): ForecastAccuracyRow[] {
  const raw = statement(
    db,
    "SELECT * FROM forecast_accuracy WHERE run_id = ? ORDER BY window_days, scope_kind, scope",
  ).all(runId);
  return rows(ForecastAccuracyRow, "forecast accuracy", raw);
}

/**
 * The drift metrics of a run, by scope and feature.
 *
 * @param db The store.
 * @param runId The run.
 * @returns The rows.
 *
 * @example Usage
 * ```ts
 * import { readDriftMetrics } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 * import { appendDriftMetrics } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const row = {
 *   run_id: "run-1", run_date: "2025-01-08", model_version: "gbdt-1", scope: "all",
 *   feature: "log_price", n: 500, psi: 0.02, threshold: 0.25, drifted: false,
 * };
 * appendDriftMetrics(db, [row, { ...row, scope: "category:snacks" }]);
 * assert.deepEqual(readDriftMetrics(db, "run-1").map((r) => r.scope), ["all", "category:snacks"]);
 * db.close();
 * ```
 */
export function readDriftMetrics(db: DatabaseSync, runId: string): DriftMetricRow[] {
  const raw = statement(db, "SELECT * FROM drift_metrics WHERE run_id = ? ORDER BY scope, feature")
    .all(runId);
  return rows(DriftMetricRow, "drift metric", raw, (r) => ({ ...r, drifted: flag(r.drifted) }));
}

/**
 * The data-quality issues a run found, by SKU, check and field.
 *
 * @param db The store.
 * @param runId The run.
 * @returns The issues.
 *
 * @example Usage
 * ```ts
 * import { readDataQualityIssues } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunStart } from "../write/runs.ts";
 * import { appendDataQualityIssues } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendDataQualityIssues(db, "run-1", "2025-01-08", [
 *   { check: "NEGATIVE_VALUE", sku: "B2", field: "on_hand", value: "-3", message: "on_hand -3" },
 *   { check: "MISSING_SALES", sku: "A1", field: "units", value: "missing", message: "no sales" },
 * ]);
 * assert.deepEqual(readDataQualityIssues(db, "run-1").map((i) => i.sku), ["A1", "B2"]);
 * db.close();
 * ```
 */
export function readDataQualityIssues(db: DatabaseSync, runId: string): DataQualityIssue[] {
  const raw = statement(
    db,
    `SELECT "check", sku, field, value, message FROM data_quality_issues WHERE run_id = ?
     ORDER BY sku, "check", field, id`,
  ).all(runId);
  return rows(DataQualityIssue, "data-quality issue", raw);
}

/**
 * Retrain requests with their status (view `v_retrain_requests`), newest first.
 *
 * @param db The store.
 * @param options `modelVersion`: only the requests for that model (default: all).
 * @returns The requests.
 *
 * @example Usage
 * ```ts
 * import { readRetrainRequests } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendModel, type NewModel } from "../write/models.ts";
 * import { appendRetrainRequest } from "../write/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const model: NewModel = {
 *   version: "elasticity-1", kind: "elasticity", seed: 1, params: {}, artifact: {},
 *   trainedFrom: "2024-01-01", trainedTo: "2024-12-31",
 *   metrics: {
 *     holdout_from: "2024-12-01", holdout_to: "2024-12-31", holdout_rows: 310, train_rows: 3350,
 *     candidate: { wape: 0.31, bias: 0.02 }, seasonal_naive: { wape: 0.42, bias: 0 },
 *     champion: null,
 *   },
 * };
 * const db = openStore(":memory:");
 * appendModel(db, model, "trainer", null);
 * appendRetrainRequest(db, {
 *   modelVersion: "elasticity-1", runId: "run-1", runDate: "2025-01-08", rule: "FEATURE_DRIFT",
 *   metrics: { psi: 0.4 }, recordedAt: null,
 * });
 * assert.equal(readRetrainRequests(db, { modelVersion: "elasticity-1" })[0].rule, "FEATURE_DRIFT");
 * assert.deepEqual(readRetrainRequests(db, { modelVersion: "gbdt-9" }), []);
 * db.close();
 * ```
 */
export function readRetrainRequests(
  db: DatabaseSync,
  options: { modelVersion?: string } = {},
): RetrainRequestRecord[] {
  const raw = statement(
    db,
    "SELECT * FROM v_retrain_requests WHERE ? IS NULL OR model_version = ? ORDER BY id DESC",
  ).all(options.modelVersion ?? null, options.modelVersion ?? null);
  return rows(
    RetrainRequestRecord,
    "retrain request",
    raw,
    (r) => ({ ...r, metrics: JSON.parse(String(r.metrics)) }),
  );
}

const /** @ignore */ _ForecastPairRow = z.object({
  date: z.string(),
  sku: z.string(),
  category: z.string(),
  strategy: z.string(),
  predicted: z.number(),
  actual: z.number(),
  promo: z.boolean(),
  censored: z.boolean(),
});
/** A decision's expected units next to the day's actual sales and closing stock. */
export const ForecastPairRow: typeof _ForecastPairRow = _ForecastPairRow;
/** The type {@linkcode ForecastPairRow} parses to. */
export type ForecastPairRow = Infer<typeof ForecastPairRow>;

/**
 * Decisions of succeeded runs dated in [from, to) joined to that day's sales (the
 * latest record) and closing stock (`censored` when it ended at zero), by date then SKU.
 * Decisions without a sales record for their day are left out.
 *
 * @param db The store.
 * @param from First run date, `YYYY-MM-DD` (inclusive).
 * @param to Last run date, `YYYY-MM-DD` (exclusive).
 * @returns One pair per decision.
 *
 * @example Usage
 * ```ts
 * import { readForecastPairs } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendRunEvent, appendRunStart, appendSnapshots } from "../write/runs.ts";
 * import { appendDecisions } from "../write/pricing.ts";
 * import { appendSales } from "../write/inputs.ts";
 * import type { FeatureSnapshot } from "../../schema/features.ts";
 * import type { Decision } from "../../schema/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const features: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1.04, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const decision: Decision = {
 *   run_id: "run-1", run_date: "2025-01-08", sku: "A1", strategy: "rule", override_id: null,
 *   override_kind: null, snapshot_id: "0".repeat(64), model_version: null, previous_price: 2.99,
 *   price: 3.09, expected_units: 9.5, expected_revenue: 29.36, expected_profit: 15.11,
 *   infeasible: false, conflict: null, binding: [], reason_codes: ["COST_PLUS"], explanation: {},
 * };
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const snapshotId = "0".repeat(64);
 * appendSnapshots(db, [{ run_date: "2025-01-08", sku: "A1", snapshot_id: snapshotId, features }]);
 * appendDecisions(db, [decision]);
 * appendRunEvent(db, "run-1", "succeeded", {}, null);
 * appendSales(db, [
 *   { sku: "A1", date: "2025-01-08", units: 8, revenue: 24.72, shelf_price: 3.09, promo: false },
 * ]);
 * assert.deepEqual(readForecastPairs(db, "2025-01-01", "2025-02-01"), [{
 *   date: "2025-01-08", sku: "A1", category: "snacks", strategy: "rule", predicted: 9.5, actual: 8,
 *   promo: false, censored: false,
 * }]);
 * db.close();
 * ```
 */
export function readForecastPairs(db: DatabaseSync, from: string, to: string): ForecastPairRow[] {
  const raw = statement(
    db,
    `SELECT d.run_date AS date, d.sku, json_extract(f.features, '$.category') AS category,
       d.strategy, d.expected_units AS predicted, s.units AS actual, s.promo,
       coalesce((SELECT i.on_hand = 0 FROM inventory i WHERE i.sku = d.sku AND i.date = d.run_date
         AND ${VALID_ROW.inventory} ORDER BY i.id DESC LIMIT 1), 0) AS censored
     FROM decisions d
     JOIN v_runs r ON r.run_id = d.run_id AND r.status = 'succeeded'
     JOIN feature_snapshots f ON f.run_date = d.run_date AND f.sku = d.sku
     JOIN sales s ON s.id = (SELECT max(id) FROM sales WHERE sku = d.sku AND date = d.run_date
       AND ${VALID_ROW.sales})
     WHERE d.run_date >= ? AND d.run_date < ?
     ORDER BY d.run_date, d.sku`,
  ).all(from, to);
  return rows(ForecastPairRow, "forecast pair", raw, (r) => ({
    ...r,
    promo: flag(r.promo),
    censored: flag(r.censored),
  }));
}

const /** @ignore */ _AlertVolumeRow = z.object({
  run_date: z.string(),
  type: z.string(),
  severity: z.string(),
  alerts: z.number().int().positive(),
});
/** How many alerts of a type and severity the run of a date raised or saw again. */
export const AlertVolumeRow: typeof _AlertVolumeRow = _AlertVolumeRow;
/** The type {@linkcode AlertVolumeRow} parses to. */
export type AlertVolumeRow = Infer<typeof AlertVolumeRow>;

/**
 * Alert volume per run date, type and severity (an alert counts on every run that raised it).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAlertVolume } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendAlert, appendAlertEvent } from "../write/monitoring.ts";
 *
 * const db = openStore(":memory:");
 * const alertId = appendAlert(db, {
 *   type: "INFEASIBLE_PRICE", subject: "A1", severity: "warning", sku: "A1", category: "snacks",
 *   message: "A1 cannot honour every guardrail", metrics: {},
 * }, { runId: "run-1", runDate: "2025-01-08", recordedAt: null });
 * appendAlertEvent(
 *   db,
 *   { alertId, event: "seen", severity: "critical", message: "again", metrics: {} },
 *   { runId: "run-2", runDate: "2025-01-09", recordedAt: null },
 * );
 * assert.deepEqual(readAlertVolume(db), [
 *   { run_date: "2025-01-08", type: "INFEASIBLE_PRICE", severity: "warning", alerts: 1 },
 *   { run_date: "2025-01-09", type: "INFEASIBLE_PRICE", severity: "critical", alerts: 1 },
 * ]);
 * db.close();
 * ```
 */
export function readAlertVolume(db: DatabaseSync): AlertVolumeRow[] {
  const raw = statement(
    db,
    `SELECT run_date, type, severity, count(*) AS alerts FROM (
       SELECT a.run_date, a.type, a.severity FROM alerts a
       UNION ALL
       SELECT e.run_date, a.type, e.severity FROM alert_events e JOIN alerts a ON a.id = e.alert_id
       WHERE e.event = 'seen')
     GROUP BY run_date, type, severity ORDER BY run_date, type, severity`,
  ).all();
  return rows(AlertVolumeRow, "alert volume", raw);
}

/**
 * The forecast accuracy rows of every run dated on or after `from` (all when omitted), by date.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readForecastAccuracySince } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { appendForecastAccuracy } from "../write/monitoring.ts";
 * import { appendRunStart } from "../write/runs.ts";
 *
 * const db = openStore(":memory:");
 * for (const [runId, runDate] of [["run-1", "2025-01-08"], ["run-2", "2025-01-09"]]) {
 *   appendRunStart(db, {
 *     runId, runDate, attempt: 1, codeVersion: "dev", configHash: "c0", recordedAt: null,
 *     details: {},
 *   });
 *   appendForecastAccuracy(db, [{
 *     run_id: runId, run_date: runDate, window_days: 7, scope_kind: "all", scope: "all", n: 70,
 *     actual_units: 700, predicted_units: 665, wape: 0.18, bias: -0.05,
 *   }]);
 * }
 * assert.equal(readForecastAccuracySince(db).length, 2);
 * assert.deepEqual(readForecastAccuracySince(db, "2025-01-09").map((r) => r.run_id), ["run-2"]);
 * db.close();
 * ```
 */
export function readForecastAccuracySince(
  db: DatabaseSync,
  from = "0000-01-01",
): ForecastAccuracyRow[] {
  const raw = statement(
    db,
    `SELECT * FROM forecast_accuracy WHERE run_date >= ?
     ORDER BY run_date, window_days, scope_kind, scope`,
  ).all(from);
  return rows(ForecastAccuracyRow, "forecast accuracy", raw);
}
