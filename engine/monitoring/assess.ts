/**
 * The monitoring stage's judgement, pure: from what a run found (its
 * snapshots and decisions, forecast pairs, inputs, open alerts, models and
 * retrain requests) to a plan of what to record — accuracy rows, drift
 * metrics, data-quality issues, alert events, retrain-request events — and the
 * summary the run reports. The pipeline gathers the evidence and persists the
 * plan.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { CatalogRecord } from "../schema/inputs.ts";
import type {
  AlertRecord,
  AlertType,
  DataQualityIssue,
  FeatureReference,
  MonitoringRunRecord,
  MonitorSummary,
  RetrainRequestRecord,
} from "../schema/monitoring.ts";
import { AlertType as AlertTypes } from "../schema/monitoring.ts";
import type { ModelSummary } from "../schema/models.ts";
import type { Decision, OverrideRecord } from "../schema/pricing.ts";
import { type AlertPlan, countByType, planAlerts } from "./alerts.ts";
import { candidatesFor } from "./_candidates.ts";
import { type DriftOptions, type DriftResult, featureDrift } from "./drift.ts";
import {
  type Accuracy,
  type ForecastDriftOptions,
  type ForecastPair,
  ForecastTally,
} from "./forecast.ts";
import { checkDataQuality, type QualityInputs, type QualityOptions } from "./quality.ts";
import { retrainDue, retrainRule, type RetrainRuleOptions } from "./retrain.ts";

/** Options of the monitoring stage. */
export interface MonitorOptions {
  /** Thresholds of the feature drift check against the champion's reference. */
  drift?: DriftOptions;
  /** Thresholds of the forecast drift check (bias of predicted against actual units). */
  forecast?: ForecastDriftOptions;
  /** Thresholds of the data-quality checks on the run's inputs. */
  quality?: QualityOptions;
  /** When sustained drift or a high WAPE asks for a retrain. */
  retrain?: RetrainRuleOptions;
  /** An override expiring within this many days of the run date raises OVERRIDE_EXPIRING. Default 3. */
  overrideWarningDays?: number;
}

/** Everything the stage judges a run by, read by the pipeline. */
export interface MonitorEvidence {
  /** The date the run priced, `YYYY-MM-DD`. */
  runDate: string;
  /** The run's snapshots (SKU and features). */
  snapshots: readonly { sku: string; features: FeatureSnapshot }[];
  /** The run's decisions, one per SKU. */
  decisions: readonly Decision[];
  /** The model that priced the run (its summary), or null. */
  model: ModelSummary | null;
  /** That model's drift reference, or null when it has none. */
  reference: FeatureReference | null;
  /**
   * Forecast pairs of the 30 days before the run date, by date then SKU. Iterated once
   * (the pipeline streams them from the store; a list works as well).
   */
  pairs: Iterable<ForecastPair>;
  /**
   * Catalog records effective before the run date, by SKU then effective date and recording:
   * at least each SKU's last two (the checks read the last two and the latest's category).
   */
  catalog: readonly CatalogRecord[];
  /** The inputs the data-quality checks read (sales, inventory, competitor prices). */
  quality: Pick<
    QualityInputs,
    "sales" | "inventory" | "competitor" | "competitorTracked" | "previousDate"
  >;
  /** Overrides active on the run date. */
  overrides: readonly OverrideRecord[];
  /** Every registered model, newest first. */
  models: readonly ModelSummary[];
  /** Alerts open before the run. */
  openAlerts: readonly AlertRecord[];
  /** Earlier monitoring records, newest first (at most 10 are used). */
  previous: readonly MonitoringRunRecord[];
  /** Every retrain request, newest first. */
  retrainRequests: readonly RetrainRequestRecord[];
}

/** A retrain request that no longer applies, and why. */
export interface RequestClosure {
  requestId: number;
  candidateVersion: string | null;
  reason: string;
}

/** What the stage records for a run. */
export interface MonitorPlan {
  accuracy: Accuracy[];
  drift: DriftResult | null;
  issues: DataQualityIssue[];
  alerts: AlertPlan;
  closures: RequestClosure[];
  /** The request still open after the closures, or null. */
  liveRequest: number | null;
  /** A new retrain request to open (none is live and one is due), or null. */
  newRequest: { modelVersion: string; rule: string; metrics: Record<string, unknown> } | null;
  /** The summary; `retrain.request_id` is the live request's (a new one's id is added on persist). */
  summary: MonitorSummary;
}

/**
 * Judges a run from its evidence.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { assessRun } from "./assess.ts";
 *
 * const plan = assessRun({
 *   runDate: "2025-03-01", snapshots: [], decisions: [], model: null, reference: null,
 *   pairs: [], catalog: [], quality: { sales: [], inventory: [], competitor: [] },
 *   overrides: [], models: [], openAlerts: [], previous: [], retrainRequests: [],
 * });
 * assert.equal(plan.summary.drift_detected, false);
 * assert.equal(plan.newRequest, null);
 * ```
 */
export function assessRun(e: MonitorEvidence, options: MonitorOptions = {}): MonitorPlan {
  const { runDate, model } = e;
  const holdoutWape = model?.metrics.candidate.wape ?? null;

  // One pass over the pairs: the accuracy and drift tallies, and the days ML has actuals.
  const tally = new ForecastTally(runDate, { drift: options.forecast });
  const mlDays = new Set<string>();
  for (const p of e.pairs) {
    tally.add(p);
    if (p.strategy === "ml") mlDays.add(p.date);
  }
  const accuracy = tally.accuracy();
  const forecastDrifts = tally.drift();
  const drift = e.reference && model
    ? featureDrift(e.snapshots.map((s) => s.features), e.reference, options.drift)
    : null;

  const issues = checkDataQuality({
    runDate,
    catalog: e.catalog,
    ...e.quality,
    snapshotted: e.snapshots.map((s) => s.sku),
  }, options.quality);

  const candidates = candidatesFor({
    runDate,
    issues,
    categoryOf: new Map(e.catalog.map((c) => [c.sku, c.category])),
    drift,
    forecastDrifts,
    decisions: e.decisions,
    overrides: e.overrides,
    overrideWarningDays: options.overrideWarningDays ?? 3,
    pending: e.models.filter((m) => m.status === "pending"),
    modelVersion: model?.version ?? null,
    holdoutWape,
  });
  const judged = new Set<AlertType>(AlertTypes.options);
  if (!drift) judged.delete("FEATURE_DRIFT");
  judged.delete("AUDIT_INTEGRITY");
  const alerts = planAlerts(e.openAlerts, candidates, runDate, judged);
  const resolvedIds = new Set(alerts.resolved.map((a) => a.id));
  const openAfter = [...e.openAlerts.filter((a) => !resolvedIds.has(a.id)), ...alerts.open];

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
      previous: e.previous.slice(0, 10),
      wape30: ml30?.wape ?? null,
      daysWithActuals30: mlDays.size,
      holdoutWape,
    }, options.retrain)
    : { due: false, reasons: [], drift_streak: 0 };
  const requests = model
    ? settleRequests(e.retrainRequests, e.models, model.version)
    : { closures: [], live: null };
  const newRequest = model && requests.live === null && retrain.due
    ? {
      modelVersion: model.version,
      rule: retrainRule(options.retrain),
      metrics: { reasons: retrain.reasons, drift_streak: retrain.drift_streak },
    }
    : null;

  const summary: MonitorSummary = {
    monitoring: "monitored",
    alerts: countByType(openAfter),
    alerts_opened: countByType(alerts.open),
    alerts_resolved: alerts.resolved.length,
    forecast: {
      wape_7d: acc(7)?.wape ?? null,
      wape_30d: acc(30)?.wape ?? null,
      bias_7d: acc(7)?.bias ?? null,
      bias_30d: acc(30)?.bias ?? null,
      holdout_wape: holdoutWape,
    },
    drift: {
      model_version: model?.version ?? null,
      reference: e.reference !== null,
      drifted_share: drift?.scopes.find((s) => s.scope === "all")?.drifted_share ?? null,
      feature_drift: drift?.scopes.filter((s) => s.drifted).map((s) => s.scope) ?? [],
      forecast_drift: forecastDrifts.map((f) => f.scope),
    },
    drift_detected: driftToday,
    data_quality: { issues: issues.length, skus: new Set(issues.map((i) => i.sku)).size },
    retrain: { ...retrain, request_id: requests.live },
  };
  return {
    accuracy,
    drift,
    issues,
    alerts,
    closures: requests.closures,
    liveRequest: requests.live,
    newRequest,
    summary,
  };
}

/** Requests that no longer apply (the champion changed, or their candidate was decided). */
function settleRequests(
  requests: readonly RetrainRequestRecord[],
  models: readonly ModelSummary[],
  champion: string,
): { closures: RequestClosure[]; live: number | null } {
  const byVersion = new Map(models.map((m) => [m.version, m]));
  const closures: RequestClosure[] = [];
  let live: number | null = null;
  for (const r of requests) {
    if (r.status === "closed") continue;
    const candidate = r.candidate_version ? byVersion.get(r.candidate_version) : undefined;
    const reason = r.model_version !== champion
      ? `champion is now ${champion}`
      : candidate && candidate.status !== "pending"
      ? `candidate ${candidate.version} was ${
        candidate.status === "rejected" ? "rejected" : "decided"
      }`
      : null;
    if (reason) {
      closures.push({ requestId: r.id, candidateVersion: r.candidate_version, reason });
    } else live = r.id;
  }
  return { closures, live };
}
