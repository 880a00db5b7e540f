/**
 * Monitoring records: the drift reference stored with a model, forecast
 * accuracy, drift metrics, data-quality issues, alerts and retrain requests.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, IsoDate } from "./common.ts";

const /** @ignore */ _FeatureBins = z.object({
  /** Upper bin edges (value ≤ edge[i] falls in bin i; above the last edge, the next bin). */
  edges: z.array(z.number().finite()),
  /** Per scope ("all" or a category): training rows and the share of each bin, the last bin holding missing values. */
  scopes: z.record(
    z.string(),
    z.object({ n: z.number().int().min(0), shares: z.array(z.number()) }),
  ),
});
/** Quantile bins of one feature, fixed at training, and the training shares per scope. */
export const FeatureBins: typeof _FeatureBins = _FeatureBins;
/** The type {@linkcode FeatureBins} parses to. */
export type FeatureBins = Infer<typeof FeatureBins>;

const /** @ignore */ _FeatureReference = z.object({
  bins: z.number().int().min(2),
  rows: z.number().int().min(0),
  features: z.record(z.string(), FeatureBins),
});
/** What a model was trained on, feature by feature: the drift reference. */
export const FeatureReference: typeof _FeatureReference = _FeatureReference;
/** The type {@linkcode FeatureReference} parses to. */
export type FeatureReference = Infer<typeof FeatureReference>;

const /** @ignore */ _AlertType = z.enum([
  "DATA_QUALITY",
  "FEATURE_DRIFT",
  "FORECAST_DRIFT",
  "INFEASIBLE_PRICE",
  "OVERRIDE_EXPIRING",
  "MODEL_PENDING_APPROVAL",
  "AUDIT_INTEGRITY",
]);
/** The kinds of alert. */
export const AlertType: typeof _AlertType = _AlertType;
/** The type {@linkcode AlertType} parses to. */
export type AlertType = Infer<typeof AlertType>;

const /** @ignore */ _Severity = z.enum(["info", "warning", "critical"]);
/** How urgent an alert is. */
export const Severity: typeof _Severity = _Severity;
/** The type {@linkcode Severity} parses to. */
export type Severity = Infer<typeof Severity>;

const /** @ignore */ _AlertCandidate = z.object({
  type: AlertType,
  /** One open alert per type and subject: a SKU, `category:NAME`, `all`, `model:V` or `override:ID`. */
  subject: z.string().min(1),
  severity: Severity,
  sku: z.string().nullable(),
  category: z.string().nullable(),
  message: z.string().min(1),
  metrics: z.record(z.string(), z.unknown()),
});
/** A condition a run found: becomes an alert, or a sighting of the open one. */
export const AlertCandidate: typeof _AlertCandidate = _AlertCandidate;
/** The type {@linkcode AlertCandidate} parses to. */
export type AlertCandidate = Infer<typeof AlertCandidate>;

const /** @ignore */ _AlertRecord = AlertCandidate.extend({
  id: z.number().int().positive(),
  status: z.enum(["open", "resolved"]),
  /** Runs that raised it: the opening run and every run that saw it again. */
  count: z.number().int().positive(),
  opened_run_id: z.string(),
  opened_run_date: IsoDate,
  last_run_id: z.string(),
  last_run_date: IsoDate,
  resolved_run_id: z.string().nullable(),
  recorded_at: z.string().nullable(),
});
/** An alert as the view `v_alerts` shows it: opened once, seen again, resolved. */
export const AlertRecord: typeof _AlertRecord = _AlertRecord;
/** The type {@linkcode AlertRecord} parses to. */
export type AlertRecord = Infer<typeof AlertRecord>;

const /** @ignore */ _ForecastAccuracyRow = z.object({
  run_id: z.string(),
  run_date: IsoDate,
  window_days: z.number().int().positive(),
  /** `all`, `strategy` or `category`. */
  scope_kind: z.enum(["all", "strategy", "category"]),
  scope: z.string(),
  /** SKU-days with a prediction and an uncensored actual. */
  n: z.number().int().min(0),
  actual_units: z.number().min(0),
  predicted_units: z.number().min(0),
  wape: z.number().min(0).nullable(),
  bias: z.number().nullable(),
});
/** Forecast accuracy of one scope over a trailing window, as of a run. */
export const ForecastAccuracyRow: typeof _ForecastAccuracyRow = _ForecastAccuracyRow;
/** The type {@linkcode ForecastAccuracyRow} parses to. */
export type ForecastAccuracyRow = Infer<typeof ForecastAccuracyRow>;

const /** @ignore */ _DriftMetricRow = z.object({
  run_id: z.string(),
  run_date: IsoDate,
  model_version: z.string(),
  scope: z.string(),
  feature: z.string(),
  n: z.number().int().min(0),
  psi: z.number().min(0),
  threshold: z.number().min(0),
  drifted: z.boolean(),
});
/** The PSI of one feature in one scope, as of a run. */
export const DriftMetricRow: typeof _DriftMetricRow = _DriftMetricRow;
/** The type {@linkcode DriftMetricRow} parses to. */
export type DriftMetricRow = Infer<typeof DriftMetricRow>;

const /** @ignore */ _DataQualityIssue = z.object({
  check: z.enum([
    "MISSING_SALES",
    "STALE_INVENTORY",
    "PRICE_OUTSIDE_GUARDRAILS",
    "NEGATIVE_VALUE",
    "MISSING_VALUE",
    "COST_JUMP",
    "NO_SNAPSHOT",
    "FUTURE_DATED",
    "QUARANTINED_ROW",
  ]),
  sku: z.string(),
  field: z.string(),
  /** The value found, as text ("missing" when there is none). */
  value: z.string(),
  message: z.string(),
});
/** A bad input, named by SKU, field and value. */
export const DataQualityIssue: typeof _DataQualityIssue = _DataQualityIssue;
/** The type {@linkcode DataQualityIssue} parses to. */
export type DataQualityIssue = Infer<typeof DataQualityIssue>;

const /** @ignore */ _RetrainRequestRecord = z.object({
  id: z.number().int().positive(),
  model_version: z.string(),
  run_id: z.string(),
  run_date: IsoDate,
  rule: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  /** open: waiting for training; candidate_registered: waiting for approval; closed. */
  status: z.enum(["open", "candidate_registered", "closed"]),
  candidate_version: z.string().nullable(),
  recorded_at: z.string().nullable(),
});
/** A retrain request and where it stands. */
export const RetrainRequestRecord: typeof _RetrainRequestRecord = _RetrainRequestRecord;
/** The type {@linkcode RetrainRequestRecord} parses to. */
export type RetrainRequestRecord = Infer<typeof RetrainRequestRecord>;

const /** @ignore */ _MonitoringRunRecord = z.object({
  run_id: z.string(),
  run_date: IsoDate,
  model_version: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  recorded_at: z.string().nullable(),
});
/** What the monitoring stage recorded for one run. */
export const MonitoringRunRecord: typeof _MonitoringRunRecord = _MonitoringRunRecord;
/** The type {@linkcode MonitoringRunRecord} parses to. */
export type MonitoringRunRecord = Infer<typeof MonitoringRunRecord>;

const /** @ignore */ _MonitorSummary = z.object({
  monitoring: z.enum(["monitored", "already_monitored"]),
  /** Open alerts per type after the run. */
  alerts: z.record(AlertType, z.number().int().min(0)),
  alerts_opened: z.record(AlertType, z.number().int().min(0)),
  alerts_resolved: z.number().int().min(0),
  forecast: z.object({
    wape_7d: z.number().nullable(),
    wape_30d: z.number().nullable(),
    bias_7d: z.number().nullable(),
    bias_30d: z.number().nullable(),
    holdout_wape: z.number().nullable(),
  }),
  drift: z.object({
    model_version: z.string().nullable(),
    reference: z.boolean(),
    /** Share of watched features drifted over all SKUs (null when not judged). */
    drifted_share: z.number().nullable(),
    feature_drift: z.array(z.string()),
    forecast_drift: z.array(z.string()),
  }),
  drift_detected: z.boolean(),
  data_quality: z.object({ issues: z.number().int().min(0), skus: z.number().int().min(0) }),
  retrain: z.object({
    due: z.boolean(),
    reasons: z.array(z.string()),
    drift_streak: z.number().int().min(0),
    request_id: z.number().int().nullable(),
  }),
});
/** What the monitoring stage reports for a run (added to the daily run's summary). */
export const MonitorSummary: typeof _MonitorSummary = _MonitorSummary;
/** The type {@linkcode MonitorSummary} parses to. */
export type MonitorSummary = Infer<typeof MonitorSummary>;
