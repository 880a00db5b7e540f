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
import { DailySummary, RunPreconditions, RunStartDetails } from "../schema/run.ts";
import { type Infer, parseOrThrow } from "../schema/common.ts";
import { finishSnapshots, type SkippedSku } from "../features/snapshot.ts";
import { type CatalogDrafts, draftCatalog, type FeatureJobOptions } from "../features/job.ts";
import { chunkUnits, pricingUnits, shardOf } from "../pricing/groups.ts";
import type { CatalogRecord } from "../schema/inputs.ts";
import { readHistoryState } from "../store/history/read.ts";
import { cachedCatalog } from "../store/incremental/catalog.ts";
import { syncHistory } from "../store/history/sync.ts";
import { writeElasticityFits } from "../store/history/fits.ts";
import { overrideResolver } from "../pricing/overrides.ts";
import {
  DEFAULT_PRICING_CONFIG,
  emptyStrategyCounts,
  type PricingConfig,
} from "../pricing/strategies.ts";
import { pricePortfolio } from "../pricing/portfolio.ts";
import { rulesSettingsAt } from "../pricing/objectives.ts";
import { nextRunDate } from "./due.ts";
import {
  nextRunAttempt,
  overrideWatermark,
  readChainHash,
  readDecisions,
  readLatestEvaluation,
  readOverrides,
  readPricingPeriod,
  readPricingSettings,
  readRuns,
  readRunShards,
  readRunStartDetails,
  readSnapshots,
  readVerdictLines,
} from "../store/queries.ts";
import {
  appendAlert,
  appendDataQualityIssues,
  appendDecisionPairs,
  appendDecisions,
  appendRunEvent,
  appendRunShard,
  appendRunStart,
  appendSnapshots,
  type RunStart,
  transaction,
} from "../store/writer.ts";
import { withBusyTimeout } from "../store/db.ts";
import { isIsoDate } from "../util/date.ts";
import {
  describePeriod,
  isPeriodStart,
  periodStartOf,
  type PricingPeriod,
} from "../util/period.ts";
import { contentHash } from "../util/hash.ts";
import { inputDigest, outputDigest } from "./digest.ts";
import { LockHeldError, withRunLock } from "./lock.ts";
import { type MonitorOptions, monitorRun } from "./monitor.ts";
import { appendChainLink } from "./chain.ts";
import { checkBeforeRun } from "./verify.ts";
import { markQuarantined, type RunQuarantine, runQuarantine } from "./quarantine.ts";
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
  /**
   * Pricing settings; `rules` defaults to the store's pricing settings in force on the
   * run date (none: profit and no rules). The run records what it priced with.
   */
  pricing?: Partial<PricingConfig>;
  /**
   * Options of the feature job: window (`historyDays`, default 365), elasticity fit and
   * shrinkage, and `chunkSkus` (default 5,000), the SKUs read, drafted and priced at a time.
   */
  features?: Omit<FeatureJobOptions, "onProgress">;
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

const /** @ignore */ _DailyReport = DailySummary.extend(MonitorSummary.partial().shape).extend({
  preconditions: RunPreconditions.optional(),
  /** The run chain's head after this run (not stored in the summary it hashes). */
  chain_head: z.string().nullable().optional(),
});
/** What a run reports: its summary and, when monitored, the monitoring stage's. */
export const DailyReport: typeof _DailyReport = _DailyReport;
/** The type {@linkcode DailyReport} parses to. */
export type DailyReport = Infer<typeof DailyReport>;

/** The stored report of a run that succeeded, marked as already succeeded. */
function alreadySucceeded(
  db: DatabaseSync,
  details: Record<string, unknown>,
  runId: string,
): DailyReport {
  const stored = parseOrThrow(DailyReport, details, `read the summary of run ${runId}`);
  return { ...stored, status: "already_succeeded", chain_head: readChainHash(db, runId) };
}

/** What a run prices with, resolved from its options and the store. */
interface RunSettings {
  runDate: string;
  period: PricingPeriod;
  pricing: PricingConfig;
  configHash: string;
  recordedAt: string | null;
  progress: (stage: string) => void;
}

function runSettings(db: DatabaseSync, options: DailyOptions): RunSettings {
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
  if (pricing.rules === undefined) {
    const rules = rulesSettingsAt(readPricingSettings(db, { effectiveOn: runDate }), runDate);
    if (rules) pricing.rules = rules;
  }
  // The chunk size changes how the run works, not what it decides.
  const { chunkSkus: _chunkSkus, ...featureConfig } = options.features ?? {};
  const configHash = contentHash({
    pricing,
    features: featureConfig,
    model: options.model?.version ?? null,
  });
  return {
    runDate,
    period,
    pricing,
    configHash,
    recordedAt: options.recordedAt ?? null,
    progress: options.onProgress ?? (() => {}),
  };
}

/** Refuses a run while the audit trail does not verify. */
function assertIntact(db: DatabaseSync, runDate: string): void {
  const broken = checkBeforeRun(db);
  if (broken.length) {
    throw new IntegrityError(
      `Cannot run ${runDate}: the audit trail does not verify (${
        broken.slice(0, 3).map((f) => f.message).join("; ")
      }${broken.length > 3 ? `; and ${broken.length - 3} more` : ""}); nothing was written. ` +
        "Run deno task verify for every finding, and restore the store from a backup",
    );
  }
}

/**
 * A run of the date priced in shards that has not completed, or undefined. A run left
 * `started` without shards cannot come from a run (it writes its start and its end in one
 * transaction): a forged or stray record, stepped over here and reported by `verify`.
 */
function openShardedRun(db: DatabaseSync, runDate: string) {
  return readRuns(db, { date: runDate }).find((r) =>
    r.status === "started" && typeof r.details.shards === "number"
  );
}

/** Snapshots and decisions of a set of SKUs, priced unit by unit, not yet written. */
interface PricedSkus {
  parts: { snapshots: SnapshotRow[]; featuresJson: string[]; decisions: Decision[] }[];
  skipped: SkippedSku[];
  fits: Pick<CatalogDrafts, "fitKey" | "newFits">;
}

/** The feature job and pricing of `catalog`'s SKUs (reads only). */
function priceCatalog(
  db: DatabaseSync,
  run: {
    runId: string;
    settings: RunSettings;
    watermark: { overrideId: number; revocationId: number };
    evaluationId?: number;
    quarantine: RunQuarantine;
  },
  catalog: readonly CatalogRecord[],
  options: DailyOptions,
): PricedSkus {
  const { runDate, pricing, progress, period } = run.settings;
  const features = options.features ?? {};
  const job = draftCatalog(db, runDate, catalog, {
    period,
    ...features,
    historyDays: features.historyDays ?? period.historyDays,
    onProgress: (done, total) => progress(`features ${done}/${total}`),
  });
  progress("pricing");
  // Priced unit by unit: categories and families that share rules or lines together.
  const parts: PricedSkus["parts"] = [];
  const units = pricingUnits(job.drafts.map((d) => d.features));
  for (const chunk of chunkUnits(units, features.chunkSkus ?? 5_000)) {
    const finished = finishSnapshots(
      chunk.map((i) => job.drafts[i]),
      chunk.map((i) => job.shrunk[i]),
    );
    // A SKU with a quarantined input row is kept at its last price; its snapshot says why.
    const part = markQuarantined(finished.snapshots, finished.featuresJson, run.quarantine.held);
    const decisions = priceAll(
      db,
      run.runId,
      runDate,
      part.snapshots,
      options.model,
      pricing,
      run.watermark,
      run.evaluationId,
    );
    parts.push({ ...part, decisions });
  }
  return { parts, skipped: job.skipped, fits: job };
}

/**
 * The skipped SKUs with, added, each SKU held for a quarantined row that has no readable
 * catalog record in force (`catalog` is the whole catalog of the run date): skipped as
 * `quarantined`.
 */
function withUnlisted(
  skipped: readonly { sku: string; reason: string }[],
  quarantine: RunQuarantine,
  catalog: readonly CatalogRecord[],
): { sku: string; reason: string }[] {
  const listed = new Set(catalog.map((c) => c.sku));
  const unlisted = [...quarantine.held.keys()].filter((sku) => !listed.has(sku));
  return [...skipped, ...unlisted.map((sku) => ({ sku, reason: "quarantined" }))].sort(bySku);
}

/** Writes what `priceCatalog` made; returns the snapshots and decisions by SKU. */
function writePriced(
  db: DatabaseSync,
  priced: PricedSkus,
): { snapshots: SnapshotRow[]; decisions: Decision[] } {
  writeElasticityFits(db, priced.fits.fitKey, priced.fits.newFits);
  const snapshots: SnapshotRow[] = [];
  const decisions: Decision[] = [];
  for (const part of priced.parts) {
    appendSnapshots(db, part.snapshots, part.featuresJson);
    appendDecisions(db, part.decisions);
    snapshots.push(...part.snapshots);
    decisions.push(...part.decisions);
  }
  snapshots.sort(bySku);
  decisions.sort(bySku);
  return { snapshots, decisions };
}

const bySku = (
  a: { sku: string },
  b: { sku: string },
) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/** Monitors (when asked), summarises and seals a run whose decisions are written. */
function sealRun(
  db: DatabaseSync,
  run: { runId: string; settings: RunSettings },
  written: {
    snapshots: readonly SnapshotRow[];
    decisions: readonly Decision[];
    skipped: { sku: string; reason: string }[];
    actuals: number;
    checked: RunPreconditions;
    fitsMade?: number;
    quarantine?: RunQuarantine;
  },
  options: DailyOptions,
): DailyReport {
  const { runId } = run;
  const { runDate, recordedAt, configHash, progress, period } = run.settings;
  // The run's forecasts, compact, for the monitoring of the next 30 days' runs.
  appendDecisionPairs(db, written.snapshots, written.decisions);
  progress("monitoring");
  const monitoring = options.monitoring && !written.checked.backfill
    ? monitorRun(
      db,
      {
        runId,
        runDate,
        snapshots: written.snapshots,
        decisions: written.decisions,
        modelVersion: options.model?.version ?? null,
        recordedAt,
      },
      period.kind === "week"
        ? {
          ...options.monitoring,
          retrain: { minWapeDays: period.retrainMinActualPeriods, ...options.monitoring.retrain },
        }
        : options.monitoring,
    )
    : {};
  const summary: DailyReport = {
    ...summarise(runId, runDate, written.decisions, written.snapshots.length, written.skipped, {
      actuals: written.actuals,
      model: options.model,
      configHash,
      inputDigest: inputDigest(written.snapshots),
    }),
    ...(written.fitsMade === undefined ? {} : { fits_made: written.fitsMade }),
    ...(written.quarantine?.issues.length
      ? {
        quarantined: {
          rows: written.quarantine.issues.length,
          skus: [...written.quarantine.held.keys()].sort(),
        },
      }
      : {}),
    ...monitoring,
    preconditions: written.checked,
  };
  appendRunEvent(db, runId, "succeeded", summary, recordedAt);
  // The link commits to the digest just computed; the next run's check recomputes it from
  // the stored decisions.
  return { ...summary, chain_head: appendChainLink(db, runId, summary.output_digest) };
}

/**
 * Runs the daily job for one date: features, strategy per SKU, decisions, monitoring
 * and the run record, in one transaction (the run lock). SKUs are read, drafted and
 * priced in chunks (`features.chunkSkus`); the decisions do not depend on the chunk size.
 *
 * @param db The store, open for writing.
 * @param options The date, the model, pricing and feature settings, monitoring.
 * @returns The run's summary (or the stored one, when the date already succeeded).
 * @throws {LockHeldError} When another run holds the store.
 * @throws {PreconditionError} When the run's preconditions fail (nothing is written).
 * @throws {IntegrityError} When the audit trail does not verify (nothing is written).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { addDays, appendCatalog, appendSales, openStore, runDaily } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * }]);
 * appendSales(db, Array.from({ length: 28 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *   promo: false,
 * })));
 * const report = runDaily(db, { runDate: "2025-01-29", model: null });
 * assert.equal(report.status, "succeeded");
 * assert.equal(report.skus, 1);
 * assert.equal(runDaily(db, { runDate: "2025-01-29", model: null }).status, "already_succeeded");
 * ```
 */
export function runDaily(db: DatabaseSync, options: DailyOptions): DailyReport {
  const settings = runSettings(db, options);
  const { runDate, configHash, recordedAt, progress } = settings;
  const done = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
  if (done) return alreadySucceeded(db, done.details, done.run_id);
  const open = openShardedRun(db, runDate);
  if (open) throw shardedRunOpen(db, open.run_id, runDate);
  const { attempt, runId } = nextRunAttempt(db, runDate);
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
      assertIntact(db, runDate);
      const actuals = options.recordActuals?.(db, runDate) ?? 0;
      const checked = checkPreconditions(db, runDate, {
        period: settings.period,
        ...options.preconditions,
      });
      const watermark = overrideWatermark(db);
      // The verdict of the model's latest evaluation leaves some SKUs to the rule.
      const evaluation = options.model ? readLatestEvaluation(db, options.model.version) : null;
      const details: RunStartDetails = {
        override_watermark: watermark,
        model_version: options.model?.version ?? null,
        pricing: settings.pricing,
        ...(evaluation ? { evaluation_id: evaluation.id } : {}),
      };
      appendRunStart(db, { ...start, details });
      appendDataQualityIssues(db, runId, runDate, futureDated(checked, runDate));
      progress("features");
      const sync = syncHistory(db, { recordedBy: runId });
      const quarantine = runQuarantine(db, runDate, sync.quarantined);
      appendDataQualityIssues(db, runId, runDate, quarantine.issues);
      const run = { runId, settings, watermark, evaluationId: evaluation?.id, quarantine };
      const catalog = cachedCatalog(db).before(runDate);
      const priced = priceCatalog(db, run, catalog, options);
      const written = writePriced(db, priced);
      return sealRun(db, run, {
        ...written,
        skipped: withUnlisted(priced.skipped, quarantine, catalog),
        actuals,
        checked,
        fitsMade: priced.fits.newFits.length,
        quarantine,
      }, options);
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

/** The refusal of a run while a sharded run of its date is open. */
function shardedRunOpen(db: DatabaseSync, runId: string, runDate: string): PreconditionError {
  const shards = readRunShards(db, runId);
  const details = RunStartDetails.safeParse(readRunStartDetails(db, runId));
  const count = details.success ? details.data.shards ?? 0 : 0;
  const missing = Array.from({ length: count }, (_, i) => i + 1)
    .filter((k) => !shards.some((s) => s.shard === k));
  return new PreconditionError(
    `Cannot run ${runDate} unsharded: run ${runId} is priced in ${count} shards and ${shards.length} ` +
      `have committed; run the rest (${missing.map((k) => `--shard ${k}/${count}`).join(", ")})`,
  );
}

/** Options of {@linkcode runDailyShard}. */
export interface ShardOptions extends DailyOptions {
  /** The shard this process prices. */
  shard: ShardSpec;
  /**
   * How long a shard waits for another process's hold on the store before it gives up
   * with `LockHeldError` (shards of a date contend for it). Default 600,000 ms.
   */
  shardLockWaitMs?: number;
}

/** Which shard a process prices: `index` of `count`, 1-based. */
export interface ShardSpec {
  /** The shard, from 1 to `count`. */
  index: number;
  /** How many shards the run has (at most 1,000). */
  count: number;
}

/** What a shard that did not complete its run reports. */
export interface ShardReport {
  /** `shard_committed`, or `shard_already_committed` when it had committed before. */
  status: "shard_committed" | "shard_already_committed";
  /** The run the shard belongs to. */
  run_id: string;
  /** The date it prices. */
  run_date: string;
  /** The shard. */
  shard: number;
  /** How many shards the run has. */
  shards: number;
  /** The shards committed so far. */
  committed: number[];
  /** SKUs this shard priced. */
  skus: number;
}

/**
 * Runs one shard of the daily job: prices only the SKUs of the pricing units (categories
 * and families priced together, see `pricingUnits`) whose stable hash falls in
 * `shard.index` of `shard.count`. Shards of one date may run in parallel processes on one
 * store: each holds the run lock only to open or join the run and to write. The run
 * succeeds when its last shard commits — that shard monitors and seals it, and reports
 * the run's summary; the union of the shards' decisions is the unsharded run's. Re-running
 * a committed shard changes nothing. Inputs must not change while a sharded run is open
 * (the importer refuses; a shard that finds them changed refuses).
 *
 * @param db The store, open for writing.
 * @param options As {@linkcode runDaily}, and the shard.
 * @returns The run's summary when this shard completed it (or it had succeeded), else
 * the shard's report.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { addDays, appendCatalog, appendSales, openStore, runDailyShard } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [record, { ...record, sku: "B2", category: "tea" }]);
 * for (const sku of ["A1", "B2"]) {
 *   appendSales(db, Array.from({ length: 28 }, (_, i) => ({
 *     sku, date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *     promo: false,
 *   })));
 * }
 * const first = runDailyShard(db, { runDate: "2025-01-29", model: null, shard: { index: 1, count: 2 } });
 * assert.equal(first.status, "shard_committed");
 * const last = runDailyShard(db, { runDate: "2025-01-29", model: null, shard: { index: 2, count: 2 } });
 * assert.equal(last.status, "succeeded");
 * assert.equal("skus" in last && last.skus, 2);
 * ```
 */
export function runDailyShard(
  db: DatabaseSync,
  options: ShardOptions,
): DailyReport | ShardReport {
  const { index, count } = options.shard;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new InputError(`Cannot run shard ${index} of ${count}: expected 1 to 1000 shards`);
  }
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new InputError(
      `Cannot run shard ${index} of ${count}: expected a shard from 1 to ${count}`,
    );
  }
  const settings = runSettings(db, options);
  const { runDate, configHash, recordedAt, progress } = settings;
  const done = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
  if (done) return alreadySucceeded(db, done.details, done.run_id);
  try {
    // Shards of a date contend for the lock by design: each waits for the others' writes.
    const wait = options.shardLockWaitMs ?? 600_000;
    // 1. Open the run (the first shard) or join it, with the history brought up to date.
    const joined = withBusyTimeout(db, wait, () =>
      withRunLock(db, runDate, () => {
        const again = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
        if (again) {
          return { done: alreadySucceeded(db, again.details, again.run_id), runId: again.run_id };
        }
        assertIntact(db, runDate);
        const open = openShardedRun(db, runDate);
        if (open) {
          const details = parseOrThrow(
            RunStartDetails,
            readRunStartDetails(db, open.run_id),
            `join run ${open.run_id}`,
          );
          if (details.shards !== count) {
            throw new InputError(
              `Cannot run shard ${index}/${count} of ${runDate}: run ${open.run_id} is priced in ${details.shards} shards (--shard K/${details.shards})`,
            );
          }
          if (open.config_hash !== configHash) {
            throw new InputError(
              `Cannot run shard ${index}/${count} of ${runDate}: run ${open.run_id} prices with other settings or another model (config ${
                open.config_hash.slice(0, 12)
              }, this shard's ${configHash.slice(0, 12)}); every shard must price with the same`,
            );
          }
          syncHistory(db, { recordedBy: open.run_id });
          assertSameInputs(db, open.run_id, details);
          return { runId: open.run_id, details, done: null };
        }
        const { attempt, runId } = nextRunAttempt(db, runDate);
        const actuals = options.recordActuals?.(db, runDate) ?? 0;
        const checked = checkPreconditions(db, runDate, {
          period: settings.period,
          ...options.preconditions,
        });
        const sync = syncHistory(db, { recordedBy: runId });
        const evaluation = options.model ? readLatestEvaluation(db, options.model.version) : null;
        const details: RunStartDetails = {
          override_watermark: overrideWatermark(db),
          model_version: options.model?.version ?? null,
          pricing: settings.pricing,
          ...(evaluation ? { evaluation_id: evaluation.id } : {}),
          shards: count,
          inputs: readHistoryState(db),
          actuals,
          preconditions: checked,
        };
        appendRunStart(db, {
          runId,
          runDate,
          attempt,
          codeVersion: CODE_VERSION,
          configHash,
          recordedAt,
          details,
        });
        appendDataQualityIssues(db, runId, runDate, futureDated(checked, runDate));
        appendDataQualityIssues(
          db,
          runId,
          runDate,
          runQuarantine(db, runDate, sync.quarantined).issues,
        );
        return { runId, details, done: null };
      }));
    if (joined.done) return joined.done;
    const { runId, details } = joined as { runId: string; details: RunStartDetails };
    const committed = () => readRunShards(db, runId).map((s) => s.shard);
    const report = (status: ShardReport["status"], skus: number): ShardReport => ({
      status,
      run_id: runId,
      run_date: runDate,
      shard: index,
      shards: count,
      committed: committed(),
      skus,
    });
    const already = () => readRunShards(db, runId).find((s) => s.shard === index);
    const before = already();
    if (before) return report("shard_already_committed", before.skus);
    // 2. Price the shard's SKUs, reading one snapshot of the store, holding no lock.
    progress("features");
    const run = {
      runId,
      settings,
      watermark: details.override_watermark,
      evaluationId: details.evaluation_id,
      // Every shard reads the same inputs, so the same rows are open for each.
      quarantine: runQuarantine(db, runDate, []),
    };
    db.exec("BEGIN");
    let priced: PricedSkus;
    try {
      const catalog = cachedCatalog(db).before(runDate);
      const mine = new Set<number>();
      for (const unit of pricingUnits(catalog)) {
        if (shardOf(unit.key, count) === index - 1) { for (const i of unit.members) mine.add(i); }
      }
      priced = priceCatalog(db, run, catalog.filter((_, i) => mine.has(i)), options);
    } finally {
      db.exec("COMMIT");
    }
    // 3. Write it, and seal the run when this is its last shard.
    return withBusyTimeout(db, wait, () =>
      withRunLock(db, runDate, () => {
        const sealed = readRuns(db, { date: runDate }).find((r) => r.status === "succeeded");
        if (sealed) return alreadySucceeded(db, sealed.details, sealed.run_id);
        const twice = already();
        if (twice) return report("shard_already_committed", twice.skus);
        assertSameInputs(db, runId, details);
        const written = writePriced(db, priced);
        appendRunShard(db, {
          runId,
          shard: index,
          shards: count,
          skus: written.decisions.length,
          details: { skipped: priced.skipped },
          recordedAt,
        });
        const shards = readRunShards(db, runId);
        if (shards.length < count) return report("shard_committed", written.decisions.length);
        const skipped = shards.flatMap((s) => (s.details.skipped ?? []) as SkippedSku[]).sort(
          bySku,
        );
        return sealRun(db, run, {
          snapshots: readSnapshots(db, runDate),
          decisions: readDecisions(db, runId),
          skipped: withUnlisted(skipped, run.quarantine, cachedCatalog(db).before(runDate)),
          actuals: details.actuals ?? 0,
          checked: details.preconditions!,
          quarantine: run.quarantine,
        }, options);
      }));
  } catch (error) {
    if (error instanceof IntegrityError) recordIntegrityAlert(db, runDate, error, recordedAt);
    throw error;
  }
}

/** Refuses a shard when the inputs changed since its run opened (every shard reads the same). */
function assertSameInputs(db: DatabaseSync, runId: string, details: RunStartDetails): void {
  const now = readHistoryState(db);
  const then = details.inputs;
  if (!then) return;
  const changed = (Object.keys(then) as (keyof typeof then)[]).filter((t) => now[t] !== then[t]);
  if (changed.length) {
    throw new PreconditionError(
      `Cannot price a shard of run ${runId}: its inputs changed since the run opened (${
        changed.map((t) => `${t} rows up to id ${then[t]} then, ${now[t]} now`).join("; ")
      }); every shard of a run must read the same inputs: append rows after its last shard commits`,
    );
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
 *
 * @param db The store.
 * @param runId The run the decisions belong to.
 * @param runDate Its date, `YYYY-MM-DD`.
 * @param snapshots The snapshots to price.
 * @param model The approved model, or null (no ML).
 * @param pricing The pricing settings the run recorded.
 * @param watermark The last override and revocation ids the run saw.
 * @param evaluationId The evaluation whose verdict applies, if any.
 * @returns One decision per snapshot, by SKU.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   addDays, appendCatalog, appendSales, openStore, outputDigest, priceAll, readRunStartDetails,
 *   readSnapshots, runDaily, RunStartDetails,
 * } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * }]);
 * appendSales(db, Array.from({ length: 28 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *   promo: false,
 * })));
 * const run = runDaily(db, { runDate: "2025-01-29", model: null });
 * const details = RunStartDetails.parse(readRunStartDetails(db, run.run_id));
 * // Priced again from what the run recorded: the same decisions (this is the replay).
 * const again = priceAll(
 *   db, run.run_id, run.run_date, readSnapshots(db, run.run_date), null, details.pricing,
 *   details.override_watermark,
 * );
 * assert.equal(outputDigest(again), run.output_digest);
 * ```
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
  const drafts = pricePortfolio(snapshots.map((s) => ({
    snapshot: s.features,
    snapshotId: s.snapshot_id,
    override: overrides.forSku(s.sku, s.features.category),
    model,
    config: pricing,
    verdict: verdicts.get(s.sku) ?? null,
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
