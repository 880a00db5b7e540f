/**
 * The daily run: lock → (record actuals) → features → strategy per SKU →
 * decisions, digests and the run record, all in one transaction. Deterministic
 * (same store, code and date give the same decisions and output digest) and
 * idempotent (a date that already succeeded changes nothing).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { z } from "zod";
import type { DemandModel } from "../demand/model.ts";
import type { SnapshotRow } from "../schema/features.ts";
import type { Decision } from "../schema/pricing.ts";
import { MonitorSummary } from "../schema/monitoring.ts";
import { DailySummary, type RunStartDetails } from "../schema/run.ts";
import { parseOrThrow } from "../schema/common.ts";
import { buildSnapshots, type BuildSnapshotsOptions } from "../features/snapshot.ts";
import { loadFeatureInputs } from "../features/inputs.ts";
import { overrideResolver } from "../pricing/overrides.ts";
import {
  DEFAULT_PRICING_CONFIG,
  emptyStrategyCounts,
  type PricingConfig,
} from "../pricing/strategies.ts";
import { pricePortfolio } from "../pricing/portfolio.ts";
import { rulesSettingsAt } from "../pricing/objectives.ts";
import {
  defaultRunDate,
  overrideWatermark,
  readOverrides,
  readPricingSettings,
  readRuns,
} from "../store/queries.ts";
import {
  appendDecisions,
  appendRunEvent,
  appendRunStart,
  appendSnapshots,
  type RunStart,
  transaction,
} from "../store/writer.ts";
import { isIsoDate } from "../util/date.ts";
import { contentHash } from "../util/hash.ts";
import { inputDigest, outputDigest } from "./digest.ts";
import { LockHeldError, withRunLock } from "./lock.ts";
import { type MonitorOptions, monitorRun } from "./monitor.ts";

/** The code version recorded with every run. */
export const CODE_VERSION = "0.1.0";

/** Options of {@linkcode runDaily}. */
export interface DailyOptions {
  /** Date to price. Default: the day after the latest sales date. */
  runDate?: string;
  /** Wall-clock time for the run log, supplied by the caller; never part of a digest. */
  recordedAt?: string | null;
  /**
   * Pricing settings; `rules` defaults to the store's pricing settings in force on the
   * run date (none: profit and no rules). The run records what it priced with.
   */
  pricing?: Partial<PricingConfig>;
  features?: BuildSnapshotsOptions & { historyDays?: number };
  /** The approved demand model; resolved by the caller. Null: ML falls back to rules. */
  model: DemandModel | null;
  /** Called first inside the lock: e.g. a simulator recording yesterday's actual sales. */
  recordActuals?: (db: DatabaseSync, runDate: string) => number;
  /**
   * Run the monitoring stage with these options, inside the run's transaction after the
   * decisions are written; its summary is added to the run's. Default: no monitoring.
   */
  monitoring?: MonitorOptions;
  onProgress?: (stage: string) => void;
}

/** What a run reports: its summary and, when monitored, the monitoring stage's. */
export const DailyReport = DailySummary.extend(MonitorSummary.partial().shape);
export type DailyReport = z.infer<typeof DailyReport>;

/** The stored report of a run that succeeded, marked as already succeeded. */
function alreadySucceeded(details: Record<string, unknown>, runId: string): DailyReport {
  const stored = parseOrThrow(DailyReport, details, `read the summary of run ${runId}`);
  return { ...stored, status: "already_succeeded" };
}

/** Runs the daily job for one date. Throws `LockHeldError` when another run holds the store. */
export function runDaily(db: DatabaseSync, options: DailyOptions): DailyReport {
  const runDate = options.runDate ?? defaultRunDate(db);
  if (!isIsoDate(runDate)) {
    throw new RangeError(`Cannot run the daily job for "${runDate}": expected YYYY-MM-DD`);
  }
  const pricing: PricingConfig = { ...DEFAULT_PRICING_CONFIG, ...options.pricing };
  if (pricing.rules === undefined) {
    const rules = rulesSettingsAt(readPricingSettings(db, { effectiveOn: runDate }), runDate);
    if (rules) pricing.rules = rules;
  }
  const configHash = contentHash({
    pricing,
    features: options.features ?? {},
    model: options.model?.version ?? null,
  });
  const progress = options.onProgress ?? (() => {});
  const done = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
  if (done) return alreadySucceeded(done.details, done.run_id);
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
      if (again) return alreadySucceeded(again.details, again.run_id);
      const actuals = options.recordActuals?.(db, runDate) ?? 0;
      const watermark = overrideWatermark(db);
      const details: RunStartDetails = {
        override_watermark: watermark,
        model_version: options.model?.version ?? null,
        pricing,
      };
      appendRunStart(db, { ...start, details });
      progress("features");
      const inputs = loadFeatureInputs(db, runDate, { historyDays: options.features?.historyDays });
      const { snapshots, featuresJson, skipped } = buildSnapshots(inputs, options.features);
      appendSnapshots(db, snapshots, featuresJson);
      progress("pricing");
      const decisions = priceAll(db, runId, runDate, snapshots, options.model, pricing, watermark);
      appendDecisions(db, decisions);
      progress("monitoring");
      const monitoring = options.monitoring
        ? monitorRun(db, {
          runId,
          runDate,
          snapshots,
          decisions,
          modelVersion: options.model?.version ?? null,
          recordedAt,
        }, options.monitoring)
        : {};
      const summary: DailyReport = {
        ...summarise(runId, runDate, decisions, snapshots.length, skipped, {
          actuals,
          model: options.model,
          configHash,
          inputDigest: inputDigest(snapshots),
        }),
        ...monitoring,
      };
      appendRunEvent(db, runId, "succeeded", summary, recordedAt);
      return summary;
    });
  } catch (error) {
    if (!(error instanceof LockHeldError)) {
      recordFailure(db, start, error);
    }
    throw error;
  }
}

/** Prices every snapshot; the same function serves the run and its replay. */
export function priceAll(
  db: DatabaseSync,
  runId: string,
  runDate: string,
  snapshots: readonly SnapshotRow[],
  model: DemandModel | null,
  pricing: PricingConfig,
  watermark: { overrideId: number; revocationId: number },
): Decision[] {
  const overrides = overrideResolver(readOverrides(db, { upTo: watermark }), runDate);
  const drafts = pricePortfolio(snapshots.map((s) => ({
    snapshot: s.features,
    snapshotId: s.snapshot_id,
    override: overrides.forSku(s.sku, s.features.category),
    model,
    config: pricing,
  })));
  return drafts.map((d) => ({ run_id: runId, ...d }));
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
