/**
 * The daily run: lock → (record actuals) → features → strategy per SKU →
 * decisions, digests and the run record, all in one transaction. Deterministic
 * (same store, code and date give the same decisions and output digest) and
 * idempotent (a date that already succeeded changes nothing).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { z } from "zod";
import type { DemandModel } from "../demand/model.ts";
import type { SnapshotRow } from "../schema/features.ts";
import type { Decision } from "../schema/pricing.ts";
import { type DataQualityIssue, MonitorSummary } from "../schema/monitoring.ts";
import { DailySummary, RunPreconditions, type RunStartDetails } from "../schema/run.ts";
import { parseOrThrow } from "../schema/common.ts";
import { buildSnapshots, type BuildSnapshotsOptions } from "../features/snapshot.ts";
import { loadFeatureInputs } from "../features/inputs.ts";
import { overrideResolver } from "../pricing/overrides.ts";
import {
  DEFAULT_PRICING_CONFIG,
  emptyStrategyCounts,
  priceSku,
  type PricingConfig,
} from "../pricing/strategies.ts";
import { nextRunDate } from "./due.ts";
import {
  overrideWatermark,
  readChainHash,
  readLatestEvaluation,
  readOverrides,
  readPricingPeriod,
  readRuns,
  readVerdictLines,
} from "../store/queries.ts";
import {
  appendAlert,
  appendDataQualityIssues,
  appendDecisions,
  appendRunEvent,
  appendRunStart,
  appendSnapshots,
  type RunStart,
  transaction,
} from "../store/writer.ts";
import { isIsoDate } from "../util/date.ts";
import { describePeriod, isPeriodStart, periodStartOf } from "../util/period.ts";
import { contentHash } from "../util/hash.ts";
import { inputDigest, outputDigest } from "./digest.ts";
import { LockHeldError, withRunLock } from "./lock.ts";
import { type MonitorOptions, monitorRun } from "./monitor.ts";
import { appendChainLink } from "./chain.ts";
import { checkBeforeRun } from "./verify.ts";
import {
  checkPreconditions,
  PreconditionError,
  type PreconditionOptions,
} from "./preconditions.ts";
import { InputError, IntegrityError } from "../util/errors.ts";

/** The code version recorded with every run. */
export const CODE_VERSION = "0.1.0";

/** Options of {@linkcode runDaily}. */
export interface DailyOptions {
  /** Date to price. Default: the day after the latest sales date. */
  runDate?: string;
  /** Wall-clock time for the run log, supplied by the caller; never part of a digest. */
  recordedAt?: string | null;
  pricing?: Partial<PricingConfig>;
  features?: BuildSnapshotsOptions & { historyDays?: number };
  /** The approved demand model; resolved by the caller. Null: ML falls back to rules. */
  model: DemandModel | null;
  /** Called first inside the lock: e.g. a simulator recording yesterday's actual sales. */
  recordActuals?: (db: DatabaseSync, runDate: string) => number;
  /**
   * Run the monitoring stage with these options, inside the run's transaction after the
   * decisions are written; its summary is added to the run's. Default: no monitoring
   * (and none for a backfill: alert state moves forward).
   */
  monitoring?: MonitorOptions;
  /** What the run must find before it prices (see `checkPreconditions`). */
  preconditions?: PreconditionOptions;
  /** Called with the stage the run is in ("features", "pricing", "monitoring"). */
  onProgress?: (stage: string) => void;
}

/** What a run reports: its summary and, when monitored, the monitoring stage's. */
export const DailyReport = DailySummary.extend(MonitorSummary.partial().shape).extend({
  preconditions: RunPreconditions.optional(),
  /** The run chain's head after this run (not stored in the summary it hashes). */
  chain_head: z.string().nullable().optional(),
});
export type DailyReport = z.infer<typeof DailyReport>;

/** The stored report of a run that succeeded, marked as already succeeded. */
function alreadySucceeded(
  db: DatabaseSync,
  details: Record<string, unknown>,
  runId: string,
): DailyReport {
  const stored = parseOrThrow(DailyReport, details, `read the summary of run ${runId}`);
  return { ...stored, status: "already_succeeded", chain_head: readChainHash(db, runId) };
}

/** Runs the daily job for one date. Throws `LockHeldError` when another run holds the store. */
export function runDaily(db: DatabaseSync, options: DailyOptions): DailyReport {
  const runDate = options.runDate ?? nextRunDate(db);
  if (!isIsoDate(runDate)) {
    throw new InputError(`Cannot run the daily job for "${runDate}": expected YYYY-MM-DD`);
  }
  const period = readPricingPeriod(db);
  if (!isPeriodStart(period, runDate)) {
    throw new InputError(
      `Cannot run the daily job for ${runDate}: the store prices by ${
        describePeriod(period)
      } and ${runDate} starts no week; the week holding it starts on ${
        periodStartOf(period, runDate)
      }`,
    );
  }
  const pricing: PricingConfig = {
    ...DEFAULT_PRICING_CONFIG,
    minHistoryDays: period.minHistoryPeriods,
    ...options.pricing,
  };
  const configHash = contentHash({
    pricing,
    features: options.features ?? {},
    model: options.model?.version ?? null,
  });
  const progress = options.onProgress ?? (() => {});
  const done = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
  if (done) return alreadySucceeded(db, done.details, done.run_id);
  const attempt = readRuns(db, { date: runDate }).length + 1;
  const runId = `${runDate}#${attempt}`;
  const recordedAt = options.recordedAt ?? null;
  const start: RunStart = {
    runId,
    runDate,
    attempt,
    codeVersion: CODE_VERSION,
    configHash,
    recordedAt,
    details: {},
  };
  try {
    return withRunLock(db, runDate, () => {
      const again = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
      if (again) return alreadySucceeded(db, again.details, again.run_id);
      const broken = checkBeforeRun(db);
      if (broken.length) {
        throw new IntegrityError(
          `Cannot run ${runDate}: the audit trail does not verify (${
            broken.slice(0, 3).map((f) => f.message).join("; ")
          }${broken.length > 3 ? `; and ${broken.length - 3} more` : ""}); nothing was written. ` +
            "Run deno task verify for every finding, and restore the store from a backup",
        );
      }
      const actuals = options.recordActuals?.(db, runDate) ?? 0;
      const checked = checkPreconditions(db, runDate, { period, ...options.preconditions });
      const watermark = overrideWatermark(db);
      // The verdict of the model's latest evaluation leaves some SKUs to the rule.
      const evaluation = options.model ? readLatestEvaluation(db, options.model.version) : null;
      const details: RunStartDetails = {
        override_watermark: watermark,
        model_version: options.model?.version ?? null,
        pricing,
        ...(evaluation ? { evaluation_id: evaluation.id } : {}),
      };
      appendRunStart(db, { ...start, details });
      appendDataQualityIssues(db, runId, runDate, futureDated(checked, runDate));
      progress("features");
      const inputs = loadFeatureInputs(db, runDate, {
        historyDays: options.features?.historyDays ?? period.historyDays,
      });
      const { snapshots, featuresJson, skipped } = buildSnapshots(inputs, {
        period,
        ...options.features,
      });
      appendSnapshots(db, snapshots, featuresJson);
      progress("pricing");
      const decisions = priceAll(
        db,
        runId,
        runDate,
        snapshots,
        options.model,
        pricing,
        watermark,
        evaluation?.id,
      );
      appendDecisions(db, decisions);
      progress("monitoring");
      const monitoring = options.monitoring && !checked.backfill
        ? monitorRun(
          db,
          {
            runId,
            runDate,
            snapshots,
            decisions,
            modelVersion: options.model?.version ?? null,
            recordedAt,
          },
          period.kind === "week"
            ? {
              ...options.monitoring,
              retrain: {
                minWapeDays: period.retrainMinActualPeriods,
                ...options.monitoring.retrain,
              },
            }
            : options.monitoring,
        )
        : {};
      const summary: DailyReport = {
        ...summarise(runId, runDate, decisions, snapshots.length, skipped, {
          actuals,
          model: options.model,
          configHash,
          inputDigest: inputDigest(snapshots),
        }),
        ...monitoring,
        preconditions: checked,
      };
      appendRunEvent(db, runId, "succeeded", summary, recordedAt);
      return { ...summary, chain_head: appendChainLink(db, runId) };
    });
  } catch (error) {
    // A refusal writes nothing; a failure is recorded; a broken audit trail raises an alert.
    if (error instanceof IntegrityError) recordIntegrityAlert(db, runDate, error, recordedAt);
    else if (!(error instanceof LockHeldError) && !(error instanceof PreconditionError)) {
      recordFailure(db, start, error);
    }
    throw error;
  }
}

/** Rows dated on or after the run date, as data-quality issues (one per table and SKU). */
function futureDated(checked: RunPreconditions, runDate: string): DataQualityIssue[] {
  return checked.future_rows.flatMap((f) =>
    f.skus.map((s) => ({
      check: "FUTURE_DATED" as const,
      sku: s.sku,
      field: `${f.table}.date`,
      value: s.date,
      message:
        `${f.table} rows dated from ${s.date}, on or after the run date ${runDate}, are not read`,
    }))
  );
}

/**
 * Prices every snapshot; the same function serves the run and its replay. With
 * `evaluationId`, the SKUs that evaluation's verdict leaves to the rule are priced by it.
 */
export function priceAll(
  db: DatabaseSync,
  runId: string,
  runDate: string,
  snapshots: readonly SnapshotRow[],
  model: DemandModel | null,
  pricing: PricingConfig,
  watermark: { overrideId: number; revocationId: number },
  evaluationId?: number,
): Decision[] {
  const overrides = overrideResolver(readOverrides(db, { upTo: watermark }), runDate);
  const verdicts = new Map(
    evaluationId === undefined ? [] : readVerdictLines(db, evaluationId).map((
      v,
    ) => [v.sku, { evaluation_id: evaluationId, ...v }]),
  );
  return snapshots.map((s) => ({
    run_id: runId,
    ...priceSku({
      snapshot: s.features,
      snapshotId: s.snapshot_id,
      override: overrides.forSku(s.sku, s.features.category),
      model,
      config: pricing,
      verdict: verdicts.get(s.sku) ?? null,
    }),
  }));
}

function summarise(
  runId: string,
  runDate: string,
  decisions: readonly Decision[],
  snapshots: number,
  skipped: { sku: string; reason: string }[],
  extra: { actuals: number; model: DemandModel | null; configHash: string; inputDigest: string },
): DailySummary {
  const strategies = emptyStrategyCounts();
  const fallbacks: Record<string, number> = {};
  const conflicts: Record<string, number> = {};
  let infeasible = 0;
  for (const d of decisions) {
    strategies[d.strategy]++;
    for (const c of d.reason_codes) {
      if (c.startsWith("ML_") && c !== "ML_OPTIMIZED") fallbacks[c] = (fallbacks[c] ?? 0) + 1;
    }
    if (d.infeasible) {
      infeasible++;
      const key = d.conflict ?? "unknown";
      conflicts[key] = (conflicts[key] ?? 0) + 1;
    }
  }
  return {
    run_id: runId,
    run_date: runDate,
    status: "succeeded",
    skus: decisions.length,
    snapshots,
    skipped,
    strategies,
    fallbacks,
    infeasible,
    conflicts,
    actuals_recorded: extra.actuals,
    model_version: extra.model?.version ?? null,
    input_digest: extra.inputDigest,
    output_digest: outputDigest(decisions),
    config_hash: extra.configHash,
  };
}

/** Records an AUDIT_INTEGRITY alert after a run refused to write on a broken audit trail. */
function recordIntegrityAlert(
  db: DatabaseSync,
  runDate: string,
  error: IntegrityError,
  recordedAt: string | null,
): void {
  try {
    transaction(db, () =>
      appendAlert(db, {
        type: "AUDIT_INTEGRITY",
        subject: "store",
        severity: "critical",
        sku: null,
        category: null,
        message: error.message,
        metrics: {},
      }, { runId: `${runDate}#refused`, runDate, recordedAt }));
  } catch {
    // The store itself refuses the write: the caller still sees the original error.
  }
}

/** Records a failed attempt (its start and a `failed` event) after the run's transaction rolled back. */
function recordFailure(db: DatabaseSync, start: RunStart, error: unknown): void {
  try {
    transaction(db, () => {
      appendRunStart(db, start);
      appendRunEvent(
        db,
        start.runId,
        "failed",
        { error: String((error as Error)?.message ?? error) },
        start.recordedAt,
      );
    });
  } catch {
    // The store itself is failing; the caller still sees the original error.
  }
}
