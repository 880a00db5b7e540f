/**
 * The monitoring stage of the daily run: forecast accuracy on the actuals
 * recorded so far, feature drift against the champion's training reference,
 * data quality of the inputs, alerts, and retrain requests. It runs inside the
 * run's transaction (the `monitor` hook of `runDaily`) or alone for a run date
 * (`monitorDate`). A run is monitored once: monitoring it again changes nothing
 * and returns what was recorded.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { MonitorContext } from "../pipeline/daily.ts";
import { withRunLock } from "../pipeline/lock.ts";
import {
  type AlertCandidate,
  type AlertType,
  AlertType as AlertTypes,
  FeatureReference,
} from "../schema/monitoring.ts";
import type { ModelSummary } from "../store/read/models.ts";
import {
  readAlerts,
  readDecisions,
  readModelArtifactField,
  readModelSummaries,
  readMonitoringRun,
  readMonitoringRuns,
  readOverrides,
  readRetrainRequests,
  readRuns,
  readSnapshots,
} from "../store/queries.ts";
import {
  appendAlert,
  appendAlertEvent,
  appendDataQualityIssues,
  appendDriftMetrics,
  appendForecastAccuracy,
  appendMonitoringRun,
  appendRetrainRequest,
  appendRetrainRequestEvent,
} from "../store/writer.ts";
import { addDays } from "../util/date.ts";
import { countByType, planAlerts } from "./alerts.ts";
import { type DriftOptions, featureDrift } from "./drift.ts";
import { forecastAccuracy, forecastDrift, type ForecastDriftOptions } from "./forecast.ts";
import { checkDataQuality, type QualityOptions } from "./quality.ts";
import { retrainDue, retrainRule, type RetrainRuleOptions } from "./retrain.ts";
import { candidatesFor } from "./_candidates.ts";
import { cachedForecastPairs } from "./pairs.ts";
import { cachedInputs } from "../features/input_cache.ts";
import { cachedCatalog } from "../features/catalog_cache.ts";
import { InputError } from "../util/errors.ts";

/** Options of the monitoring stage. */
export interface MonitorOptions {
  drift?: DriftOptions;
  forecast?: ForecastDriftOptions;
  quality?: QualityOptions;
  retrain?: RetrainRuleOptions;
  /** An override expiring within this many days of the run date raises OVERRIDE_EXPIRING. Default 3. */
  overrideWarningDays?: number;
}

/** What the stage reports (and adds to the daily run's summary). */
export interface MonitorSummary {
  monitoring: "monitored" | "already_monitored";
  /** Open alerts per type after the run. */
  alerts: Record<AlertType, number>;
  alerts_opened: Record<AlertType, number>;
  alerts_resolved: number;
  forecast: {
    wape_7d: number | null;
    wape_30d: number | null;
    bias_7d: number | null;
    bias_30d: number | null;
    holdout_wape: number | null;
  };
  drift: {
    model_version: string | null;
    reference: boolean;
    /** Share of watched features drifted over all SKUs (null when not judged). */
    drifted_share: number | null;
    feature_drift: string[];
    forecast_drift: string[];
  };
  drift_detected: boolean;
  data_quality: { issues: number; skus: number };
  retrain: { due: boolean; reasons: string[]; drift_streak: number; request_id: number | null };
}

/** The `monitor` hook for `runDaily`. */
export function monitorStage(
  options: MonitorOptions = {},
): (db: DatabaseSync, ctx: MonitorContext) => Record<string, unknown> {
  return (db, ctx) => monitorRun(db, ctx, options) as unknown as Record<string, unknown>;
}

/** Monitors one run (inside the caller's transaction). */
export function monitorRun(
  db: DatabaseSync,
  ctx: MonitorContext,
  options: MonitorOptions = {},
): MonitorSummary {
  const done = readMonitoringRun(db, ctx.runId);
  if (done) {
    return { ...(done.summary as unknown as MonitorSummary), monitoring: "already_monitored" };
  }
  const { runId, runDate, recordedAt } = ctx;
  const run = { runId, runDate, recordedAt };
  const model = ctx.model
    ? readModelSummaries(db, { version: ctx.model.version })[0] ?? null
    : null;
  const holdoutWape = model?.metrics.candidate.wape ?? null;

  const pairs = cachedForecastPairs(db, addDays(runDate, -30), runDate);
  const accuracy = forecastAccuracy(pairs, runDate);
  appendForecastAccuracy(db, accuracy.map((a) => ({ run_id: runId, run_date: runDate, ...a })));
  const forecastDrifts = forecastDrift(pairs, runDate, options.forecast);

  const reference = model ? referenceOf(db, model.version) : null;
  const drift = reference
    ? featureDrift(ctx.snapshots.map((s) => s.features), reference, options.drift)
    : null;
  if (drift && model) {
    appendDriftMetrics(
      db,
      drift.features.map(({ key: _k, ...f }) => ({
        run_id: runId,
        run_date: runDate,
        model_version: model.version,
        ...f,
      })),
    );
  }

  const previous = addDays(runDate, -1);
  const catalog = cachedCatalog(db).history(runDate);
  // The store's incremental input reader: the same rows as a fresh read, corrections applied.
  const inputs = cachedInputs(db);
  const issues = checkDataQuality({
    runDate,
    catalog,
    sales: inputs.sales(previous, runDate),
    inventory: inputs.latestInventories(addDays(previous, -60), runDate),
    competitor: inputs.competitor(previous, runDate),
    competitorTracked: [
      ...new Set(inputs.competitor(addDays(previous, -7), previous).map((c) => c.sku)),
    ],
    snapshotted: ctx.snapshots.map((s) => s.sku),
  }, options.quality);
  appendDataQualityIssues(db, runId, runDate, issues);

  const categoryOf = new Map(catalog.map((c) => [c.sku, c.category]));
  const candidates: AlertCandidate[] = candidatesFor({
    runDate,
    issues,
    categoryOf,
    drift,
    forecastDrifts,
    decisions: ctx.decisions,
    overrides: readOverrides(db, { activeOn: runDate }),
    overrideWarningDays: options.overrideWarningDays ?? 3,
    pending: readModelSummaries(db).filter((m) => m.status === "pending"),
    modelVersion: model?.version ?? null,
    holdoutWape,
  });
  const judged = new Set<AlertType>(AlertTypes.options);
  if (!drift) judged.delete("FEATURE_DRIFT");
  const openBefore = readAlerts(db, { open: true });
  const plan = planAlerts(openBefore, candidates, runDate, judged);
  for (const c of plan.open) appendAlert(db, c, run);
  for (const s of plan.seen) {
    appendAlertEvent(db, { alertId: s.id, event: "seen", ...pick(s.candidate) }, run);
  }
  for (const a of plan.resolved) {
    appendAlertEvent(db, {
      alertId: a.id,
      event: "resolved",
      severity: a.severity,
      message: `resolved: not seen since ${a.last_run_date}`,
      metrics: {},
    }, run);
  }
  const resolvedIds = new Set(plan.resolved.map((a) => a.id));
  const openAfter = [...openBefore.filter((a) => !resolvedIds.has(a.id)), ...plan.open];

  const driftToday = (drift?.scopes.some((s) => s.drifted) ?? false) || forecastDrifts.length > 0;
  const acc = (w: number) => accuracy.find((a) => a.window_days === w && a.scope_kind === "all");
  const ml30 = accuracy.find((a) =>
    a.window_days === 30 && a.scope_kind === "strategy" && a.scope === "ml"
  );
  const retrain = model
    ? retrainDue({
      runDate,
      modelVersion: model.version,
      driftToday,
      previous: readMonitoringRuns(db, { before: runDate, limit: 10 }),
      wape30: ml30?.wape ?? null,
      daysWithActuals30: new Set(pairs.filter((p) => p.strategy === "ml").map((p) => p.date)).size,
      holdoutWape,
    }, options.retrain)
    : { due: false, reasons: [], drift_streak: 0 };
  const requestId = model ? settleRequests(db, model, retrain, run, options.retrain) : null;

  const summary: MonitorSummary = {
    monitoring: "monitored",
    alerts: countByType(openAfter),
    alerts_opened: countByType(plan.open),
    alerts_resolved: plan.resolved.length,
    forecast: {
      wape_7d: acc(7)?.wape ?? null,
      wape_30d: acc(30)?.wape ?? null,
      bias_7d: acc(7)?.bias ?? null,
      bias_30d: acc(30)?.bias ?? null,
      holdout_wape: holdoutWape,
    },
    drift: {
      model_version: model?.version ?? null,
      reference: reference !== null,
      drifted_share: drift?.scopes.find((s) => s.scope === "all")?.drifted_share ?? null,
      feature_drift: drift?.scopes.filter((s) => s.drifted).map((s) => s.scope) ?? [],
      forecast_drift: forecastDrifts.map((f) => f.scope),
    },
    drift_detected: driftToday,
    data_quality: { issues: issues.length, skus: new Set(issues.map((i) => i.sku)).size },
    retrain: { ...retrain, request_id: requestId },
  };
  appendMonitoringRun(db, {
    runId,
    runDate,
    modelVersion: model?.version ?? null,
    summary: summary as unknown as Record<string, unknown>,
    recordedAt,
  });
  return summary;
}

/**
 * Monitors the succeeded run of `runDate` on its own, holding the run lock.
 * A run already monitored is reported as it was ("already_monitored"); a date
 * earlier than the latest monitored run is refused, since alert state moves forward.
 */
export function monitorDate(
  db: DatabaseSync,
  runDate: string,
  options: MonitorOptions & { recordedAt?: string | null } = {},
): MonitorSummary & { run_id: string; run_date: string } {
  return withRunLock(db, runDate, () => {
    const run = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
    if (!run) throw new InputError(`Cannot monitor ${runDate}: no succeeded run for that date`);
    const done = readMonitoringRun(db, run.run_id);
    if (!done) {
      const later = readMonitoringRuns(db, { limit: 1 })[0];
      if (later && later.run_date > runDate) {
        throw new InputError(
          `Cannot monitor ${runDate}: run ${later.run_id} of a later date is already monitored`,
        );
      }
    }
    const decisions = readDecisions(db, run.run_id);
    const version = decisions.find((d) => d.model_version)?.model_version ??
      (run.details.model_version as string | null | undefined) ?? null;
    const summary = monitorRun(db, {
      runId: run.run_id,
      runDate,
      snapshots: readSnapshots(db, runDate),
      decisions,
      model: version ? { version } as MonitorContext["model"] : null,
      recordedAt: options.recordedAt ?? null,
    }, options);
    return { run_id: run.run_id, run_date: runDate, ...summary };
  });
}

function referenceOf(db: DatabaseSync, version: string): FeatureReference | null {
  const raw = readModelArtifactField(db, version, "reference");
  if (!raw) return null;
  const parsed = FeatureReference.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function pick(c: AlertCandidate) {
  return { severity: c.severity, message: c.message, metrics: c.metrics };
}

/** Closes requests that no longer apply; opens one when due and none is pending. */
function settleRequests(
  db: DatabaseSync,
  model: ModelSummary,
  due: { due: boolean; reasons: string[]; drift_streak: number },
  run: { runId: string; runDate: string; recordedAt: string | null },
  options: RetrainRuleOptions = {},
): number | null {
  const models = new Map(readModelSummaries(db).map((m) => [m.version, m]));
  let live: number | null = null;
  for (const r of readRetrainRequests(db)) {
    if (r.status === "closed") continue;
    const candidate = r.candidate_version ? models.get(r.candidate_version) : undefined;
    const reason = r.model_version !== model.version
      ? `champion is now ${model.version}`
      : candidate && candidate.status !== "pending"
      ? `candidate ${candidate.version} was ${
        candidate.status === "rejected" ? "rejected" : "decided"
      }`
      : null;
    if (reason) {
      appendRetrainRequestEvent(db, {
        requestId: r.id,
        event: "closed",
        candidateVersion: r.candidate_version,
        actor: "monitoring",
        reason,
        recordedAt: run.recordedAt,
      });
    } else live = r.id;
  }
  if (live !== null || !due.due) return live;
  return appendRetrainRequest(db, {
    modelVersion: model.version,
    runId: run.runId,
    runDate: run.runDate,
    rule: retrainRule(options),
    metrics: { reasons: due.reasons, drift_streak: due.drift_streak },
    recordedAt: run.recordedAt,
  });
}
