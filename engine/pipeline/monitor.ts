/**
 * The monitoring stage of the daily run: gather what a run found (reads),
 * judge it (`assessRun`, pure) and record the plan (writes) — forecast
 * accuracy on the actuals recorded so far, feature drift against the
 * champion's training reference, data quality of the inputs, alerts, and
 * retrain requests. It runs inside the run's transaction or alone for a run
 * date (`monitorDate`). A run is monitored once: monitoring it again changes
 * nothing and returns what was recorded.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { assessRun, type MonitorEvidence, type MonitorOptions } from "../monitoring/assess.ts";
import type { Decision } from "../schema/pricing.ts";
import type { FeatureSnapshot } from "../schema/features.ts";
import { FeatureReference, MonitorSummary } from "../schema/monitoring.ts";
import { parseOrThrow } from "../schema/common.ts";
import { cachedCatalog } from "../store/incremental/catalog.ts";
import { cachedForecastPairs } from "../store/incremental/forecast_pairs.ts";
import {
  readAlerts,
  readDecisions,
  readLatestValidInventory,
  readModelArtifactField,
  readModelSummaries,
  readMonitoringRun,
  readMonitoringRuns,
  readOverrides,
  readPricingPeriod,
  readRetrainRequests,
  readRuns,
  readSkusWithCompetitorPrice,
  readSnapshots,
  readValidCompetitorPrices,
  readValidSales,
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
import { InputError } from "../util/errors.ts";
import { withRunLock } from "./lock.ts";

export type { MonitorEvidence, MonitorOptions } from "../monitoring/assess.ts";
export type { DriftOptions } from "../monitoring/drift.ts";
export type { ForecastDriftOptions, ForecastPair } from "../monitoring/forecast.ts";
export type { QualityInputs, QualityOptions } from "../monitoring/quality.ts";
export type { RetrainRuleOptions } from "../monitoring/retrain.ts";

/** The run being monitored. */
export interface MonitorContext {
  /** The run's id (its record must exist in the transaction). */
  runId: string;
  /** The date the run priced, `YYYY-MM-DD`. */
  runDate: string;
  /** The run's feature snapshots, one per SKU. */
  snapshots: readonly { sku: string; features: FeatureSnapshot }[];
  /** The run's decisions, one per SKU. */
  decisions: readonly Decision[];
  /** The version of the model that priced the run, or null. */
  modelVersion: string | null;
  /** Wall-clock time for the records, supplied by the caller; never part of a digest. */
  recordedAt: string | null;
}

/**
 * Monitors one run (inside the caller's transaction) and returns its summary.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendRunStart, monitorRun, openStore, transaction } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const summary = transaction(db, () => {
 *   appendRunStart(db, {
 *     runId: "2025-03-01#1", runDate: "2025-03-01", attempt: 1, codeVersion: "test",
 *     configHash: "x", recordedAt: null, details: {},
 *   });
 *   return monitorRun(db, {
 *     runId: "2025-03-01#1", runDate: "2025-03-01", snapshots: [], decisions: [],
 *     modelVersion: null, recordedAt: null,
 *   });
 * });
 * assert.equal(summary.monitoring, "monitored");
 * assert.equal(summary.retrain.due, false);
 * ```
 */
export function monitorRun(
  db: DatabaseSync,
  ctx: MonitorContext,
  options: MonitorOptions = {},
): MonitorSummary {
  const done = readMonitoringRun(db, ctx.runId);
  if (done) {
    const stored = parseOrThrow(
      MonitorSummary,
      done.summary,
      `read the monitoring summary of run ${ctx.runId}`,
    );
    return { ...stored, monitoring: "already_monitored" };
  }
  const plan = assessRun(monitorEvidence(db, ctx), options);
  const run = { runId: ctx.runId, runDate: ctx.runDate, recordedAt: ctx.recordedAt };
  const { runId, runDate, recordedAt } = run;
  const version = plan.summary.drift.model_version;

  appendForecastAccuracy(
    db,
    plan.accuracy.map((a) => ({ run_id: runId, run_date: runDate, ...a })),
  );
  if (plan.drift && version) {
    appendDriftMetrics(
      db,
      plan.drift.features.map(({ key: _k, ...f }) => ({
        run_id: runId,
        run_date: runDate,
        model_version: version,
        ...f,
      })),
    );
  }
  appendDataQualityIssues(db, runId, runDate, plan.issues);
  for (const c of plan.alerts.open) appendAlert(db, c, run);
  for (const { id, candidate: c } of plan.alerts.seen) {
    appendAlertEvent(
      db,
      { alertId: id, event: "seen", severity: c.severity, message: c.message, metrics: c.metrics },
      run,
    );
  }
  for (const a of plan.alerts.resolved) {
    appendAlertEvent(db, {
      alertId: a.id,
      event: "resolved",
      severity: a.severity,
      message: `resolved: not seen since ${a.last_run_date}`,
      metrics: {},
    }, run);
  }
  for (const c of plan.closures) {
    appendRetrainRequestEvent(db, {
      requestId: c.requestId,
      event: "closed",
      candidateVersion: c.candidateVersion,
      actor: "monitoring",
      reason: c.reason,
      recordedAt,
    });
  }
  const requestId = plan.newRequest
    ? appendRetrainRequest(db, { ...plan.newRequest, runId, runDate, recordedAt })
    : plan.liveRequest;
  const summary: MonitorSummary = {
    ...plan.summary,
    retrain: { ...plan.summary.retrain, request_id: requestId },
  };
  appendMonitoringRun(db, { runId, runDate, modelVersion: version, summary, recordedAt });
  return summary;
}

/**
 * Reads the evidence of a run: everything `assessRun` judges it by. Every read is bounded
 * by the catalog's size and a window of days, never by the length of history: the
 * data-quality checks read the previous period's sales and competitor prices, the week
 * before it's competitor SKUs and each SKU's latest inventory within 60 days; the forecast
 * pairs of the 30 days before the run are kept per connection as compact columns (a date
 * is read again only when its rows change) and built one by one as `pairs` is iterated.
 * Rows that fail their checks are skipped.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { monitorEvidence, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const evidence = monitorEvidence(db, {
 *   runId: "2025-03-01#1", runDate: "2025-03-01", snapshots: [], decisions: [],
 *   modelVersion: null, recordedAt: null,
 * });
 * assert.equal(evidence.quality.previousDate, "2025-02-28");
 * assert.deepEqual([...evidence.pairs], []);
 * ```
 */
export function monitorEvidence(db: DatabaseSync, ctx: MonitorContext): MonitorEvidence {
  const { runDate } = ctx;
  const model = ctx.modelVersion
    ? readModelSummaries(db, { version: ctx.modelVersion })[0] ?? null
    : null;
  // The previous period: yesterday, or the week before on a weekly store.
  const previous = addDays(runDate, -readPricingPeriod(db).days);
  return {
    runDate,
    snapshots: ctx.snapshots,
    decisions: ctx.decisions,
    model,
    reference: model ? referenceOf(db, model.version) : null,
    // Kept in the store too when monitoring inside a run (a write transaction): the next
    // day's fresh process reads 29 of its 30 days from there.
    pairs: cachedForecastPairs(db, addDays(runDate, -30), runDate, { keep: db.isTransaction }),
    // The checks read each SKU's last two records (a cost jump) and its category.
    catalog: cachedCatalog(db).history(runDate, 2),
    quality: {
      previousDate: previous,
      sales: readValidSales(db, previous, runDate),
      inventory: readLatestValidInventory(db, runDate, addDays(previous, -60)),
      competitor: readValidCompetitorPrices(db, previous, runDate),
      competitorTracked: readSkusWithCompetitorPrice(db, addDays(previous, -7), previous),
    },
    overrides: readOverrides(db, { activeOn: runDate }),
    models: readModelSummaries(db),
    openAlerts: readAlerts(db, { open: true }),
    previous: readMonitoringRuns(db, { before: runDate, limit: 10 }),
    retrainRequests: model ? readRetrainRequests(db) : [],
  };
}

function referenceOf(db: DatabaseSync, version: string): FeatureReference | null {
  const raw = readModelArtifactField(db, version, "reference");
  if (!raw) return null;
  const parsed = FeatureReference.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * Monitors the succeeded run of `runDate` on its own, holding the run lock.
 * A run already monitored is reported as it was ("already_monitored"); a date
 * earlier than the latest monitored run is refused, since alert state moves forward.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { monitorDate, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.throws(() => monitorDate(db, "2025-03-01"), /no succeeded run/);
 * ```
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
    const stored = run.details.model_version;
    const modelVersion = decisions.find((d) => d.model_version)?.model_version ??
      (typeof stored === "string" ? stored : null);
    const summary = monitorRun(db, {
      runId: run.run_id,
      runDate,
      snapshots: readSnapshots(db, runDate),
      decisions,
      modelVersion,
      recordedAt: options.recordedAt ?? null,
    }, options);
    return { run_id: run.run_id, run_date: runDate, ...summary };
  });
}
