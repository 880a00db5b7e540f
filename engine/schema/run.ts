/** The run log and the summary a run reports. @module */
import { z } from "zod";
import { type Infer, IsoDate } from "./common.ts";
import { PricingSettings, StrategyName } from "./pricing.ts";

const /** @ignore */ _RunStatus = z.enum(["started", "succeeded", "failed"]);
/** How a run ended (or that it is under way). */
export const RunStatus: typeof _RunStatus = _RunStatus;
/** The type {@linkcode RunStatus} parses to. */
export type RunStatus = Infer<typeof RunStatus>;

const /** @ignore */ _RunRecord = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  attempt: z.number().int().positive(),
  code_version: z.string(),
  config_hash: z.string(),
  status: RunStatus,
  details: z.record(z.string(), z.unknown()),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
/** A run as the run log shows it: its latest event. */
export const RunRecord: typeof _RunRecord = _RunRecord;
/** The type {@linkcode RunRecord} parses to. */
export type RunRecord = Infer<typeof RunRecord>;

const /** @ignore */ _StrategyCounts = z.record(StrategyName, z.number().int().min(0));
/** Decisions per strategy. */
export const StrategyCounts: typeof _StrategyCounts = _StrategyCounts;
/** The type {@linkcode StrategyCounts} parses to. */
export type StrategyCounts = Infer<typeof StrategyCounts>;

const /** @ignore */ _DailySummary = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  status: z.enum(["succeeded", "already_succeeded"]),
  skus: z.number().int().min(0),
  snapshots: z.number().int().min(0),
  skipped: z.array(z.object({ sku: z.string(), reason: z.string() })),
  strategies: StrategyCounts,
  fallbacks: z.record(z.string(), z.number().int()),
  infeasible: z.number().int().min(0),
  conflicts: z.record(z.string(), z.number().int()),
  actuals_recorded: z.number().int().min(0),
  model_version: z.string().nullable(),
  input_digest: z.string(),
  output_digest: z.string(),
  config_hash: z.string(),
  /** Weekly elasticity fits the run made (the store had none for them): all on a new week. */
  fits_made: z.number().int().min(0).optional(),
  /**
   * Present when input rows are quarantined (stored failing the write-time checks, left
   * out of every read): how many the run reported, and the SKUs it kept at their last
   * price (`DATA_QUARANTINED`) or skipped for them.
   */
  quarantined: z.object({
    rows: z.number().int().min(0),
    skus: z.array(z.string()),
  }).optional(),
});
/** What a daily run reports, and stores with its `succeeded` event. */
export const DailySummary: typeof _DailySummary = _DailySummary;
/** The type {@linkcode DailySummary} parses to. */
export type DailySummary = Infer<typeof DailySummary>;

const /** @ignore */ _RunPreconditions = z.object({
  last_open_day: IsoDate,
  latest_sales_date: IsoDate.nullable(),
  actuals: z.object({
    expected: z.number().int().min(0),
    missing: z.number().int().min(0),
    allowed: z.boolean(),
  }),
  backfill: z.boolean(),
  future_rows: z.array(z.object({
    table: z.enum(["sales", "inventory", "competitor_prices"]),
    rows: z.number().int().min(0),
    skus: z.array(z.object({ sku: z.string(), date: z.string() })),
  })),
});
/** What a run's preconditions found (recorded with its summary). */
export const RunPreconditions: typeof _RunPreconditions = _RunPreconditions;
/** The type {@linkcode RunPreconditions} parses to. */
export type RunPreconditions = Infer<typeof RunPreconditions>;

const /** @ignore */ _RunStartDetails = z.object({
  /** The last override and revocation ids the run sees (its replay sees the same). */
  override_watermark: z.object({
    overrideId: z.number().int().min(0),
    revocationId: z.number().int().min(0),
  }),
  model_version: z.string().nullable(),
  pricing: PricingSettings,
  /**
   * The evaluation whose verdict the run applied (the model's latest, `deno task
   * evaluate`); absent when the model has none.
   */
  evaluation_id: z.number().int().positive().optional(),
  /** A sharded run: how many shards it is priced in (see `runDailyShard`). */
  shards: z.number().int().min(1).optional(),
  /** A sharded run: the last input row ids its shards read (every shard reads the same). */
  inputs: z.object({
    sales: z.number().int().min(0),
    inventory: z.number().int().min(0),
    competitor_prices: z.number().int().min(0),
    catalog: z.number().int().min(0),
  }).optional(),
  /** A sharded run: the actual sales recorded before it (a simulator-backed store). */
  actuals: z.number().int().min(0).optional(),
  /** A sharded run: what its preconditions found. */
  preconditions: RunPreconditions.optional(),
});
/** What a run records with its start: what it will read and price with. */
export const RunStartDetails: typeof _RunStartDetails = _RunStartDetails;
/** The type {@linkcode RunStartDetails} parses to. */
export type RunStartDetails = Infer<typeof RunStartDetails>;

const _Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const /** @ignore */ _ChainPayload = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  config_hash: z.string(),
  /** sha256 of the run's `started` and `succeeded` event details, as stored. */
  events: _Sha256,
  /**
   * Per input table, the rows appended since the previous link: their id range and the
   * content hash of each block of ids (so a rewritten row is found within its block).
   */
  inputs: z.record(
    z.string(),
    z.object({
      after_id: z.number().int().min(0),
      to_id: z.number().int().min(0),
      blocks: z.array(z.object({ to_id: z.number().int().min(0), hash: _Sha256 })),
    }),
  ),
  /** The run's snapshots (`input_digest`: SKU and snapshot id, by SKU). */
  snapshots: _Sha256,
  /** The run's decisions (`output_digest`). */
  decisions: _Sha256,
  /** The overrides and revocations the run saw. */
  overrides: _Sha256,
  /** The model that priced, and the sha256 of its artifact. */
  model: z.object({ version: z.string(), artifact: _Sha256 }).nullable(),
});
/** What a run's chain link commits to. */
export const ChainPayload: typeof _ChainPayload = _ChainPayload;
/** The type {@linkcode ChainPayload} parses to. */
export type ChainPayload = Infer<typeof ChainPayload>;

const /** @ignore */ _RunChainLink = z.object({
  seq: z.number().int().positive(),
  run_id: z.string().min(1),
  prev_hash: _Sha256,
  hash: _Sha256,
  payload: ChainPayload,
});
/** A link of the run chain: `hash` = sha256(prev_hash, newline, canonical payload). */
export const RunChainLink: typeof _RunChainLink = _RunChainLink;
/** The type {@linkcode RunChainLink} parses to. */
export type RunChainLink = Infer<typeof RunChainLink>;
