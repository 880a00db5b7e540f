/** The run log and the summary a run reports. @module */
import { z } from "zod";
import { IsoDate } from "./common.ts";
import { PricingSettings, StrategyName } from "./pricing.ts";

/** How a run ended (or that it is under way). */
export const RunStatus = z.enum(["started", "succeeded", "failed"]);
export type RunStatus = z.infer<typeof RunStatus>;

/** A run as the run log shows it: its latest event. */
export const RunRecord = z.object({
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
export type RunRecord = z.infer<typeof RunRecord>;

/** Decisions per strategy. */
export const StrategyCounts = z.record(StrategyName, z.number().int().min(0));
export type StrategyCounts = z.infer<typeof StrategyCounts>;

/** What a daily run reports, and stores with its `succeeded` event. */
export const DailySummary = z.object({
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
});
export type DailySummary = z.infer<typeof DailySummary>;

/** What a run records with its start: what it will read and price with. */
export const RunStartDetails = z.object({
  /** The last override and revocation ids the run sees (its replay sees the same). */
  override_watermark: z.object({
    overrideId: z.number().int().min(0),
    revocationId: z.number().int().min(0),
  }),
  model_version: z.string().nullable(),
  pricing: PricingSettings,
});
export type RunStartDetails = z.infer<typeof RunStartDetails>;
