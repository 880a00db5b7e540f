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

/**
 * Records what the monitoring stage found in a run (once per run).
 *
 * @param db A connection open for writing.
 * @param r The run (which must exist), the champion it monitored (or null), the summary
 * (stored as canonical JSON) and the caller's wall-clock time (or null).
 * @throws {Error} SQLite's constraint error when the run is unknown or monitored already.
 *
 * @example Usage
 * ```ts
 * import { appendMonitoringRun } from "./monitoring.ts";
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readMonitoringRun } from "../read/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * appendMonitoringRun(db, {
 *   runId: "run-1", runDate: "2025-01-08", modelVersion: null, summary: { alerts: 0 },
 *   recordedAt: null,
 * });
 * assert.deepEqual(readMonitoringRun(db, "run-1")?.summary, { alerts: 0 });
 * db.close();
 * ```
 */
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

/**
 * Appends a run's forecast accuracy rows, one per window and scope.
 *
 * @param db A connection open for writing.
 * @param rows The rows; their run must exist.
 *
 * @example Usage
 * ```ts
 * import { appendForecastAccuracy } from "./monitoring.ts";
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readForecastAccuracy } from "../read/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const row = {
 *   run_id: "run-1", run_date: "2025-01-08", window_days: 7, scope_kind: "all", scope: "all",
 *   n: 70, actual_units: 700, predicted_units: 665, wape: 0.18, bias: -0.05,
 * } as const;
 * appendForecastAccuracy(db, [row]);
 * assert.deepEqual(readForecastAccuracy(db, "run-1"), [row]);
 * db.close();
 * ```
 */
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

/**
 * Appends a run's drift metrics: the PSI of each feature in each scope. An infinite
 * threshold (a feature that never alarms) is stored as 1e9.
 *
 * @param db A connection open for writing.
 * @param rows The rows; their run must exist.
 *
 * @example Usage
 * ```ts
 * import { appendDriftMetrics } from "./monitoring.ts";
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readDriftMetrics } from "../read/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const row = {
 *   run_id: "run-1", run_date: "2025-01-08", model_version: "gbdt-1", scope: "all",
 *   feature: "log_price", n: 500, psi: 0.31, threshold: 0.25, drifted: true,
 * };
 * appendDriftMetrics(db, [row]);
 * assert.deepEqual(readDriftMetrics(db, "run-1"), [row]);
 * db.close();
 * ```
 */
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

/**
 * Appends the data-quality issues a run found.
 *
 * @param db A connection open for writing.
 * @param runId The run, which must exist.
 * @param runDate Its date.
 * @param issues The issues.
 *
 * @example Usage
 * ```ts
 * import { appendDataQualityIssues } from "./monitoring.ts";
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readDataQualityIssues } from "../read/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const issue = {
 *   check: "MISSING_SALES", sku: "A1", field: "units", value: "missing",
 *   message: "A1 has no sales record for 2025-01-07",
 * } as const;
 * appendDataQualityIssues(db, "run-1", "2025-01-08", [issue]);
 * assert.deepEqual(readDataQualityIssues(db, "run-1"), [issue]);
 * db.close();
 * ```
 */
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

/**
 * Opens an alert. Later runs append a sighting or its resolution with
 * {@linkcode appendAlertEvent}.
 *
 * @param db A connection open for writing.
 * @param a The condition found.
 * @param run The run that found it (`recordedAt`: the caller's wall-clock time, or null).
 * @returns The alert's id.
 * @throws {TypeError} When `a` fails {@linkcode AlertCandidate}.
 *
 * @example Usage
 * ```ts
 * import { appendAlert } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { readAlerts } from "../read/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const run = { runId: "run-1", runDate: "2025-01-08", recordedAt: null };
 * const id = appendAlert(db, {
 *   type: "INFEASIBLE_PRICE", subject: "A1", severity: "warning", sku: "A1", category: "snacks",
 *   message: "A1 cannot honour every guardrail", metrics: { conflict: "margin_above_ceiling" },
 * }, run);
 * const [alert] = readAlerts(db, { open: true });
 * assert.equal(alert.id, id);
 * assert.equal(alert.count, 1);
 * db.close();
 * ```
 */
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

/**
 * Appends a sighting (`seen`: the latest severity, message and metrics) or the
 * resolution (`resolved`: final) of an open alert.
 *
 * @param db A connection open for writing.
 * @param e The alert, the event and what was seen.
 * @param run The run that saw it (`recordedAt`: the caller's wall-clock time, or null).
 *
 * @example Usage
 * ```ts
 * import { appendAlert, appendAlertEvent } from "./monitoring.ts";
 * import { openStore } from "../db.ts";
 * import { readAlerts } from "../read/monitoring.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const run = { runId: "run-1", runDate: "2025-01-08", recordedAt: null };
 * const alertId = appendAlert(db, {
 *   type: "INFEASIBLE_PRICE", subject: "A1", severity: "warning", sku: "A1", category: "snacks",
 *   message: "A1 cannot honour every guardrail", metrics: { conflict: "margin_above_ceiling" },
 * }, run);
 * const next = { runId: "run-2", runDate: "2025-01-09", recordedAt: null };
 * appendAlertEvent(
 *   db,
 *   { alertId, event: "resolved", severity: "info", message: "ok", metrics: {} },
 *   next,
 * );
 * assert.equal(readAlerts(db)[0].status, "resolved");
 * assert.deepEqual(readAlerts(db, { open: true }), []);
 * db.close();
 * ```
 */
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

/**
 * Opens a retrain request for a model: a person (or `--auto-retrain`) trains a
 * candidate for it.
 *
 * @param db A connection open for writing.
 * @param r The model (which must be registered), the run that asks, the rule that
 * fired, its metrics and the caller's wall-clock time (or null).
 * @returns The request's id.
 *
 * @example Usage
 * ```ts
 * import { appendRetrainRequest } from "./monitoring.ts";
 * import { appendModel, type NewModel } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { readRetrainRequests } from "../read/monitoring.ts";
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
 *   modelVersion: "elasticity-1", runId: "run-1", runDate: "2025-01-08", rule: "FORECAST_DRIFT",
 *   metrics: { bias: 0.3 }, recordedAt: null,
 * });
 * assert.equal(readRetrainRequests(db)[0].status, "open");
 * db.close();
 * ```
 */
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

/**
 * Appends an event to a retrain request: a candidate was registered for it
 * (`candidate_registered`), or it is closed (`closed`, final).
 *
 * @param db A connection open for writing.
 * @param e The request (which must exist), the event, the candidate's version (or
 * null), who acts, why, and the caller's wall-clock time (or null).
 *
 * @example Usage
 * ```ts
 * import { appendRetrainRequest, appendRetrainRequestEvent } from "./monitoring.ts";
 * import { appendModel, type NewModel } from "./models.ts";
 * import { openStore } from "../db.ts";
 * import { readRetrainRequests } from "../read/monitoring.ts";
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
 * const requestId = appendRetrainRequest(db, {
 *   modelVersion: "elasticity-1", runId: "run-1", runDate: "2025-01-08", rule: "FORECAST_DRIFT",
 *   metrics: {}, recordedAt: null,
 * });
 * appendRetrainRequestEvent(db, {
 *   requestId, event: "candidate_registered", candidateVersion: "gbdt-2", actor: "auto-retrain",
 *   reason: "trained on the latest year", recordedAt: null,
 * });
 * const [request] = readRetrainRequests(db);
 * assert.equal(request.status, "candidate_registered");
 * assert.equal(request.candidate_version, "gbdt-2");
 * db.close();
 * ```
 */
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
