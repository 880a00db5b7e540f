/** Demand models in the registry and the events that move them. @module */
import { z } from "zod";
import { type Infer, IsoDate } from "./common.ts";

const /** @ignore */ _ModelKind = z.enum(["gbdt", "cart", "elasticity"]);
/** Model kinds the registry can hold. */
export const ModelKind: typeof _ModelKind = _ModelKind;
/** The type {@linkcode ModelKind} parses to. */
export type ModelKind = Infer<typeof ModelKind>;

const /** @ignore */ _ModelEventName = z.enum([
  "registered",
  "approved",
  "rejected",
  "promoted",
  "retired",
]);
/** What happens to a model; every change is an appended event. */
export const ModelEventName: typeof _ModelEventName = _ModelEventName;
/** The type {@linkcode ModelEventName} parses to. */
export type ModelEventName = Infer<typeof ModelEventName>;

const /** @ignore */ _ModelStatus = z.enum(["pending", "champion", "rejected", "retired"]);
/** Where a model stands, derived from its events. */
export const ModelStatus: typeof _ModelStatus = _ModelStatus;
/** The type {@linkcode ModelStatus} parses to. */
export type ModelStatus = Infer<typeof ModelStatus>;

const /** @ignore */ _Accuracy = z.object({
  wape: z.number().finite().min(0),
  bias: z.number().finite(),
});
/** Holdout accuracy: weighted absolute percentage error and relative bias. */
export const Accuracy: typeof _Accuracy = _Accuracy;
/** The type {@linkcode Accuracy} parses to. */
export type Accuracy = Infer<typeof Accuracy>;

const /** @ignore */ _PriceResponseMetrics = z.object({
  moves: z.number().int().min(0),
  sign_agreement: z.number().min(0).max(1).nullable(),
  spearman: z.number().min(-1).max(1).nullable(),
  calibration_slope: z.number().finite().nullable(),
});
/**
 * Price response on a holdout's moves of at least 5% in the shelf price: how often the
 * predicted and actual change in units have one sign, their rank correlation and the
 * calibration slope (actual on predicted log change).
 */
export const PriceResponseMetrics: typeof _PriceResponseMetrics = _PriceResponseMetrics;
/** The type {@linkcode PriceResponseMetrics} parses to. */
export type PriceResponseMetrics = Infer<typeof PriceResponseMetrics>;

const /** @ignore */ _ModelMetrics = z.object({
  holdout_from: IsoDate,
  holdout_to: IsoDate,
  holdout_rows: z.number().int().min(0),
  train_rows: z.number().int().min(0),
  /** Usable rows before the holdout when `train_rows` is a seeded sample of them (else absent). */
  train_rows_available: z.number().int().min(0).optional(),
  candidate: Accuracy.extend({ price_response: PriceResponseMetrics.optional() }),
  seasonal_naive: Accuracy,
  champion: Accuracy.extend({
    version: z.string(),
    price_response: PriceResponseMetrics.optional(),
  }).nullable(),
  train_seconds: z.number().min(0).optional(),
});
/** A candidate's metrics on the time-ordered holdout, against the baselines. */
export const ModelMetrics: typeof _ModelMetrics = _ModelMetrics;
/** The type {@linkcode ModelMetrics} parses to. */
export type ModelMetrics = Infer<typeof ModelMetrics>;

const /** @ignore */ _ModelRecord = z.object({
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
  /**
   * What registered it: a notebook's path, a task, the backtest (null or absent for models
   * registered before provenance was recorded).
   */
  source: z.string().min(1).nullable().optional(),
  /** The note its author left for the people who approve it. */
  note: z.string().min(1).nullable().optional(),
});
/** A registered model. */
export const ModelRecord: typeof _ModelRecord = _ModelRecord;

const /** @ignore */ _ModelSummary = ModelRecord.omit({ artifact: true });
/** A registered model without its artifact (the trees: hundreds of kilobytes). */
export const ModelSummary: typeof _ModelSummary = _ModelSummary;
/** The type {@linkcode ModelSummary} parses to. */
export type ModelSummary = Infer<typeof ModelSummary>;

/** The type {@linkcode ModelRecord} parses to. */
export type ModelRecord = Infer<typeof ModelRecord>;

const /** @ignore */ _ModelEvent = z.object({
  id: z.number().int().positive(),
  version: z.string(),
  event: ModelEventName,
  actor: z.string().min(1),
  reason: z.string().min(1),
  recorded_at: z.string().nullable(),
});
/** One event in a model's life. */
export const ModelEvent: typeof _ModelEvent = _ModelEvent;
/** The type {@linkcode ModelEvent} parses to. */
export type ModelEvent = Infer<typeof ModelEvent>;
