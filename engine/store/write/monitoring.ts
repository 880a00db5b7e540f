/**
 * Writes of monitoring: a run's monitoring summary, forecast accuracy, drift,
 * data-quality issues, alerts and retrain requests.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { parseOrThrow } from "../../schema/common.ts";
import {
  AlertCandidate,
  type DataQualityIssue,
  type DriftMetricRow,
  type ForecastAccuracyRow,
} from "../../schema/monitoring.ts";
import { canonicalJson } from "../../util/hash.ts";

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
  statement(
    db,
    "INSERT INTO monitoring_runs (run_id, run_date, model_version, summary, recorded_at) VALUES (?,?,?,?,?)",
  ).run(r.runId, r.runDate, r.modelVersion, canonicalJson(r.summary), r.recordedAt);
}

/** Appends a run's forecast accuracy rows. */
export function appendForecastAccuracy(
  db: DatabaseSync,
  rows: readonly ForecastAccuracyRow[],
): void {
  const stmt = statement(
    db,
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
  const stmt = statement(
    db,
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
  const stmt = statement(
    db,
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
  const r = statement(
    db,
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
  statement(
    db,
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
  const out = statement(
    db,
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
  statement(
    db,
    `INSERT INTO retrain_request_events (request_id, event, candidate_version, actor, reason,
      recorded_at) VALUES (?,?,?,?,?,?)`,
  ).run(e.requestId, e.event, e.candidateVersion, e.actor, e.reason, e.recordedAt);
}
