/** Demand models in the registry and the events that move them. @module */
import { z } from "zod";
import { IsoDate } from "./common.ts";

/** Model kinds the registry can hold. */
export const ModelKind = z.enum(["gbdt", "cart", "elasticity"]);
export type ModelKind = z.infer<typeof ModelKind>;

/** What happens to a model; every change is an appended event. */
export const ModelEventName = z.enum(["registered", "approved", "rejected", "promoted", "retired"]);
export type ModelEventName = z.infer<typeof ModelEventName>;

/** Where a model stands, derived from its events. */
export const ModelStatus = z.enum(["pending", "champion", "rejected", "retired"]);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** Holdout accuracy: weighted absolute percentage error and relative bias. */
export const Accuracy = z.object({
  wape: z.number().finite().min(0),
  bias: z.number().finite(),
});
export type Accuracy = z.infer<typeof Accuracy>;

/** A candidate's metrics on the time-ordered holdout, against the baselines. */
export const ModelMetrics = z.object({
  holdout_from: IsoDate,
  holdout_to: IsoDate,
  holdout_rows: z.number().int().min(0),
  train_rows: z.number().int().min(0),
  candidate: Accuracy,
  seasonal_naive: Accuracy,
  champion: Accuracy.extend({ version: z.string() }).nullable(),
  train_seconds: z.number().min(0).optional(),
});
export type ModelMetrics = z.infer<typeof ModelMetrics>;

/** A registered model. */
export const ModelRecord = z.object({
  version: z.string().min(1),
  kind: ModelKind,
  trained_from: IsoDate,
  trained_to: IsoDate,
  seed: z.number().int(),
  params: z.record(z.string(), z.unknown()),
  metrics: ModelMetrics,
  artifact: z.record(z.string(), z.unknown()),
  status: ModelStatus,
  recorded_at: z.string().nullable(),
});

/** A registered model without its artifact (the trees: hundreds of kilobytes). */
export const ModelSummary = ModelRecord.omit({ artifact: true });
export type ModelSummary = z.infer<typeof ModelSummary>;

export type ModelRecord = z.infer<typeof ModelRecord>;

/** One event in a model's life. */
export const ModelEvent = z.object({
  id: z.number().int().positive(),
  version: z.string(),
  event: ModelEventName,
  actor: z.string().min(1),
  reason: z.string().min(1),
  recorded_at: z.string().nullable(),
});
export type ModelEvent = z.infer<typeof ModelEvent>;
