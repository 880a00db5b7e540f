/**
 * Read-only queries of monitoring: alerts, monitoring runs, forecast accuracy,
 * drift, data-quality issues, retrain requests and forecast pairs.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import { parseOrThrow } from "../../schema/common.ts";
import {
  AlertRecord,
  DataQualityIssue,
  DriftMetricRow,
  ForecastAccuracyRow,
  MonitoringRunRecord,
  RetrainRequestRecord,
} from "../../schema/monitoring.ts";
import { flag, rows } from "./_rows.ts";

/** Alerts with their current state (view `v_alerts`), by id. */
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

/** The monitoring record of a run, or null when the run was not monitored. */
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

/** Monitoring records dated before `before` (all when omitted), newest first, at most `limit`. */
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

/** The forecast accuracy rows of a run. */
export function readForecastAccuracy(db: DatabaseSync, runId: string): ForecastAccuracyRow[] {
  const raw = statement(
    db,
    "SELECT * FROM forecast_accuracy WHERE run_id = ? ORDER BY window_days, scope_kind, scope",
  ).all(runId);
  return rows(ForecastAccuracyRow, "forecast accuracy", raw);
}

/** The drift metrics of a run. */
export function readDriftMetrics(db: DatabaseSync, runId: string): DriftMetricRow[] {
  const raw = statement(db, "SELECT * FROM drift_metrics WHERE run_id = ? ORDER BY scope, feature")
    .all(runId);
  return rows(DriftMetricRow, "drift metric", raw, (r) => ({ ...r, drifted: flag(r.drifted) }));
}

/** The data-quality issues a run found, by SKU. */
export function readDataQualityIssues(db: DatabaseSync, runId: string): DataQualityIssue[] {
  const raw = statement(
    db,
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
  const raw = statement(
    db,
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

/** How many alerts of a type and severity the run of a date raised or saw again. */
export const AlertVolumeRow = z.object({
  run_date: z.string(),
  type: z.string(),
  severity: z.string(),
  alerts: z.number().int().positive(),
});
export type AlertVolumeRow = z.infer<typeof AlertVolumeRow>;

/** Alert volume per run date, type and severity (an alert counts on every run that raised it). */
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

/** The forecast accuracy rows of every run dated on or after `from` (all when omitted), by date. */
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
