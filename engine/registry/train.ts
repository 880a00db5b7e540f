/**
 * Training a candidate demand model and registering it with its holdout
 * metrics next to a seasonal-naive forecast and the current champion. A
 * candidate prices nothing until a person approves it.
 *
 * Three steps, each usable alone (a notebook compares settings with the first
 * two and registers only the best): {@linkcode trainingWindow} and
 * `loadTrainingSet` give the rows the registry trains on; {@linkcode fitCandidate}
 * fits and evaluates one setting on them without writing anything;
 * {@linkcode registerCandidate} records a fitted candidate, pending, with where it
 * came from. {@linkcode trainCandidate} does all three on a store of any size, in
 * bounded memory: it reads the rows chunk by chunk of SKUs, trains on a seeded sample
 * of at most `maxFitRows` of them (stratified by SKU; all of them on a store of fewer
 * than about 1,300 SKUs) and scores every holdout row, chunk by chunk.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { DEMAND_FEATURES, DEMAND_MONOTONE, featureColumns } from "../demand/features.ts";
import { type GbdtTrainOptions, trainGbdt } from "../demand/gbdt/mod.ts";
import { trainCart } from "../demand/cart.ts";
import type { DemandModel } from "../demand/model.ts";
import type { TrainingRow } from "../demand/rolling.ts";
import type { PriceResponse } from "../demand/learned_model.ts";
import type { ModelKind, ModelMetrics, ModelRecord } from "../schema/models.ts";
import { latestSalesDate, readModels, readPricingPeriod } from "../store/queries.ts";
import { appendModel, transaction } from "../store/writer.ts";
import { addDays, toDayNumber } from "../util/date.ts";
import { contentHash } from "../util/hash.ts";
import { createRandom } from "../util/random.ts";
import { lowerBoundDay } from "../features/history_columns.ts";
import { championModel, modelOfRecord } from "./load.ts";
import {
  DEFAULT_MAX_FIT_ROWS,
  sampleDays,
  scanTrainingSet,
  sortRows,
  type TrainingSet,
} from "./training_set.ts";
import { type HoldoutScores, holdoutScores, scoreHoldout } from "./holdout.ts";
import { featureReference } from "../features/reference.ts";
import { InputError } from "../util/errors.ts";

/** The settings of a candidate: what {@linkcode fitCandidate} fits. */
export interface FitOptions {
  /** Default "gbdt". */
  kind?: ModelKind;
  /** Default 0. */
  seed?: number;
  /** Last days of the window held out for the metrics. Default 28 (56 on a weekly store). */
  holdoutDays?: number;
  /** gbdt settings over {@linkcode DEFAULT_GBDT}. */
  gbdt?: GbdtTrainOptions;
  /** Rows cart trains on at most (its training is quadratic). Default 5000. */
  cartMaxRows?: number;
  /**
   * How a gbdt or cart model responds to price: "elasticity" (default) moves its forecast at
   * today's price along the SKU's estimated elasticity; "learned" uses its own curve.
   */
  priceResponse?: PriceResponse;
  /** What training is doing, for logs. */
  onProgress?: (message: string) => void;
}

/** Who registers a candidate, when, and where it came from. */
export interface RegisterOptions {
  /** Who registers it (recorded with its `registered` event). */
  actor: string;
  /** Wall-clock time supplied by the caller, or null. */
  recordedAt: string | null;
  /**
   * What registers it: a notebook's path, a task (`deno task models train`), the backtest.
   * 1 to 200 characters without control characters. Default none.
   */
  source?: string;
  /**
   * A note for the people who approve it (what was tried, what it beat). 1 to 2,000
   * characters without control characters. Default none.
   */
  note?: string;
}

/** Options of {@linkcode trainCandidate}. */
export interface TrainOptions extends FitOptions, RegisterOptions {
  /** First target day. Default: 364 days before `to`. */
  from?: string;
  /** Last target day. Default: the latest sales date. */
  to?: string;
  /**
   * Rows before the holdout the model trains on at most: more are sampled, seeded by
   * `seed` and stratified by SKU (see `sampleDays`); the metrics then record
   * `train_rows_available`. Every holdout row is scored all the same. Default 500,000.
   */
  maxFitRows?: number;
  /** SKUs read at a time. Default 2,000. */
  chunkSkus?: number;
}

/** What registering produced. */
export interface TrainResult {
  /** "already_registered" when the same model (same artifact and settings) was registered before. */
  status: "registered" | "already_registered";
  /** The model's version: its kind, last training day and a hash of artifact and settings. */
  version: string;
  /** Its kind. */
  kind: ModelKind;
  /** First target day of its training window. */
  trained_from: string;
  /** Last target day of its training window. */
  trained_to: string;
  /** Its holdout metrics (for "already_registered", those recorded the first time). */
  metrics: ModelMetrics;
}

/** A candidate fitted and evaluated on its holdout, not registered. */
export interface FittedCandidate {
  /**
   * The model as the registry would hold it (status "pending"; its metrics compare it with
   * the seasonal-naive forecast, `champion` null until {@linkcode registerCandidate}). Plain
   * data: a backtest can price with it (`BacktestConfig.model`) before it is registered.
   */
  record: ModelRecord;
  /** The model, ready to predict. */
  model: DemandModel;
  /** The holdout rows it was evaluated on (the last `holdoutDays` of the window). */
  holdout: TrainingRow[];
}

/** The gbdt settings of a production candidate. */
export const DEFAULT_GBDT: Readonly<GbdtTrainOptions> = Object.freeze({
  trees: 300,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 31,
  minLeafSize: 50,
  loss: "poisson",
  earlyStoppingRounds: 20,
});

/**
 * The training window the registry uses: target days [from, to], by default the
 * 365 days up to the store's latest sales date.
 *
 * @param db The store.
 * @param options `from` and `to` (`YYYY-MM-DD`) override the defaults.
 * @returns The first and last target day.
 * @throws {RangeError} When the store has no sales.
 *
 * @example Usage
 * ```ts
 * import { trainingWindow } from "./train.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendSales } from "../store/write/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * assert.throws(() => trainingWindow(db), RangeError);
 * appendSales(db, [{
 *   sku: "A1", date: "2025-06-30", units: 4, revenue: 11.96, shelf_price: 2.99, promo: false,
 * }]);
 * assert.deepEqual(trainingWindow(db), { from: "2024-07-01", to: "2025-06-30" });
 * assert.deepEqual(trainingWindow(db, { to: "2025-03-31" }).from, "2024-04-01");
 * db.close();
 * ```
 */
export function trainingWindow(
  db: DatabaseSync,
  options: { from?: string; to?: string } = {},
): { from: string; to: string } {
  const last = latestSalesDate(db);
  if (!last) throw new InputError("Cannot train a model: the store has no sales");
  const to = options.to ?? last;
  const period = readPricingPeriod(db);
  return { from: options.from ?? addDays(to, -(period.trainingDays - period.days)), to };
}

/**
 * Fits one setting on a training set and evaluates it on the set's last
 * `holdoutDays` days (WAPE and bias next to the seasonal-naive forecast). Writes
 * nothing: compare settings with it, then register the best with
 * {@linkcode registerCandidate}. The same set and settings give the same version.
 *
 * @param set The training set (`loadTrainingSet` over {@linkcode trainingWindow}).
 * @param options The settings; see {@linkcode FitOptions}.
 * @returns The candidate's record, model and holdout rows.
 * @throws {RangeError} When fewer than 100 rows precede the holdout or fewer than 10 are in it.
 *
 * @example Usage
 * ```ts
 * import { fitCandidate } from "./train.ts";
 * import { loadTrainingSet } from "./training_set.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendCatalog, appendSales } from "../store/write/inputs.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * // Two SKUs, 150 days; every 10 days the price moves, and demand answers with elasticity -2.
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5, floor_price: 1.99,
 *   ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [{ ...terms, sku: "A1" }, { ...terms, sku: "B2" }]);
 * appendSales(db, ["A1", "B2"].flatMap((sku, k) =>
 *   Array.from({ length: 150 }, (_, i) => {
 *     const price = [2.49, 2.99, 3.49][Math.floor(i / 10) % 3];
 *     const units = Math.round((10 + 10 * k) * (price / 2.99) ** -2);
 *     return { sku, date: addDays("2025-01-01", i), units, revenue: units * price,
 *       shelf_price: price, promo: false };
 *   })));
 * const set = loadTrainingSet(db, "2025-02-01", "2025-05-30");
 * const fitted = fitCandidate(set, { kind: "gbdt", gbdt: { trees: 20, minLeafSize: 5 } });
 * assert.equal(fitted.record.status, "pending");
 * assert.equal(fitted.record.params.maxDepth, 6); // DEFAULT_GBDT, as given
 * assert.equal(fitted.record.params.trees, 20);
 * assert.equal(fitted.record.params.price_response, "elasticity");
 * assert.equal(fitted.holdout.length, 2 * 28);
 * assert.ok(fitted.record.metrics.candidate.wape < fitted.record.metrics.seasonal_naive.wape);
 * // No training for the elasticity model; same set and settings, same version.
 * const e = fitCandidate(set, { kind: "elasticity" });
 * assert.equal(e.record.version, fitCandidate(set, { kind: "elasticity" }).record.version);
 * db.close();
 * ```
 */
export function fitCandidate(set: TrainingSet, options: FitOptions = {}): FittedCandidate {
  const { holdoutDays, holdoutFrom } = _holdoutOf(set, options);
  const fit = set.rows.filter((r) => r.snapshot.run_date < holdoutFrom);
  const holdout = set.rows.filter((r) => r.snapshot.run_date >= holdoutFrom);
  _checkRows(set, fit.length, holdout.length);
  const { record, model, trainSeconds } = _fit(set, fit, holdoutDays, options);
  options.onProgress?.("evaluating on the holdout");
  const scores = scoreHoldout([{ rows: holdout }], [model], set.period?.days ?? 1);
  record.metrics = _metrics(record, scores, { holdoutFrom, fit: fit.length, trainSeconds });
  return { record, model, holdout };
}

/** The holdout's length and first day over a window's last days. */
function _holdoutOf(
  set: Pick<TrainingSet, "to" | "period">,
  options: FitOptions,
): { holdoutDays: number; holdoutFrom: string } {
  const holdoutDays = options.holdoutDays ?? set.period?.holdoutDays ?? 28;
  return { holdoutDays, holdoutFrom: addDays(set.to, -(holdoutDays - (set.period?.days ?? 1))) };
}

function _checkRows(set: Pick<TrainingSet, "from" | "to">, fit: number, holdout: number) {
  if (fit < 100 || holdout < 10) {
    throw new InputError(
      `Cannot train a model on ${set.from} to ${set.to}: ${fit} training and ${holdout} holdout rows are too few`,
    );
  }
}

/** Fits one setting on rows: the record (metrics not yet measured) and the model. */
function _fit(
  set: Pick<TrainingSet, "from" | "to" | "categories">,
  fit: readonly TrainingRow[],
  holdoutDays: number,
  options: FitOptions,
): { record: ModelRecord; model: DemandModel; trainSeconds: number } {
  const kind = options.kind ?? "gbdt";
  const seed = options.seed ?? 0;
  const { from, to } = set;
  const code = (c: string) => set.categories.indexOf(c);
  const names = DEMAND_FEATURES.map((f) => f.name);
  const started = performance.now();
  options.onProgress?.(`training ${kind} on ${fit.length} rows`);
  const shaped = forDemandShape(fit, options);
  const { artifact, params } = fitLearner(kind, fit, code, names, seed, shaped);
  const trainSeconds = Math.round(performance.now() - started) / 1000;
  const params_ = {
    ...params,
    ...(shaped === options ? {} : { demand: "intermittent" }),
    holdout_days: holdoutDays,
    features: names,
    ...(kind === "elasticity" ? {} : { price_response: options.priceResponse ?? "elasticity" }),
  };
  // The drift reference: quantile bins of the watched features, fixed on the training rows.
  const reference = featureReference(fit.map((r) => r.snapshot));
  const version = `${kind}-${to}-${contentHash({ artifact, params: params_ }).slice(0, 10)}`;
  const record: ModelRecord = {
    version,
    kind,
    trained_from: from,
    trained_to: to,
    seed,
    params: params_,
    metrics: {} as ModelMetrics,
    artifact: { categories: set.categories, ...artifact, reference },
    status: "pending",
    recorded_at: null,
  };
  return { record, model: modelOfRecord(record), trainSeconds };
}

/** A candidate's metrics from its holdout scores (its own first, then the champion's, if any). */
function _metrics(
  record: ModelRecord,
  scores: HoldoutScores,
  at: { holdoutFrom: string; fit: number; available?: number; trainSeconds: number },
): ModelMetrics {
  const { version: _v, ...candidate } = scores.models[0];
  return {
    holdout_from: at.holdoutFrom,
    holdout_to: record.trained_to,
    holdout_rows: scores.rows,
    train_rows: at.fit,
    ...(at.available !== undefined && at.available > at.fit
      ? { train_rows_available: at.available }
      : {}),
    candidate,
    seasonal_naive: scores.seasonalNaive,
    champion: scores.models[1] ?? null,
    train_seconds: at.trainSeconds,
  };
}

/**
 * Fits one setting on the given rows of a training set (all of them: no holdout) and
 * returns the model, unregistered and without metrics: what a rolling-origin
 * evaluation trains before each period it forecasts.
 *
 * @param set The training set the rows come from (its categories code the model's).
 * @param rows The rows to fit on.
 * @param options The settings; see {@linkcode FitOptions}.
 * @returns The model (version `unregistered`).
 * @throws {RangeError} When a learner cannot train on the rows (e.g. no units sold).
 *
 * @example Usage
 * ```ts
 * import { fitModel } from "./train.ts";
 * import type { TrainingSet } from "./training_set.ts";
 * import assert from "node:assert/strict";
 *
 * const set = { from: "2025-01-01", to: "2025-01-31", rows: [], categories: ["snacks"],
 *   excluded: { censored: 0, promo: 0 } } satisfies TrainingSet;
 * const model = fitModel(set, [], { kind: "elasticity" });
 * assert.equal(model.kind, "elasticity");
 * ```
 */
export function fitModel(
  set: TrainingSet,
  rows: readonly TrainingRow[],
  options: FitOptions = {},
): DemandModel {
  const kind = options.kind ?? "gbdt";
  const code = (c: string) => set.categories.indexOf(c);
  const names = DEMAND_FEATURES.map((f) => f.name);
  const shaped = forDemandShape(rows, options);
  const { artifact, params } = fitLearner(kind, rows, code, names, options.seed ?? 0, shaped);
  return modelOfRecord({
    version: "unregistered",
    kind,
    trained_from: set.from,
    trained_to: set.to,
    seed: options.seed ?? 0,
    params: { ...params, price_response: options.priceResponse ?? "elasticity" },
    metrics: {} as ModelMetrics,
    artifact: { categories: set.categories, ...artifact },
    status: "pending",
    recorded_at: null,
  });
}

/**
 * The settings a registered model was trained with, to train the same setting again
 * on other rows (its kind, seed, gbdt settings and price response).
 *
 * @param record The model's kind, seed and params.
 * @returns The settings.
 *
 * @example Usage
 * ```ts
 * import { fitOptionsOf } from "./train.ts";
 * import assert from "node:assert/strict";
 *
 * const options = fitOptionsOf({
 *   kind: "gbdt", seed: 3,
 *   params: { maxDepth: 4, trees: 300, trees_kept: 120, price_response: "learned" },
 * });
 * assert.deepEqual(options, {
 *   kind: "gbdt", seed: 3, priceResponse: "learned", gbdt: { maxDepth: 4, trees: 300 },
 * });
 * ```
 */
export function fitOptionsOf(record: Pick<ModelRecord, "kind" | "seed" | "params">): FitOptions {
  const p = record.params;
  const gbdt: Record<string, unknown> = {};
  for (const key of GBDT_SETTINGS) if (p[key] !== undefined) gbdt[key] = p[key];
  return {
    kind: record.kind,
    seed: record.seed,
    ...(record.kind === "elasticity" ? {} : {
      priceResponse: p.price_response === "learned" ? "learned" : "elasticity",
    }),
    ...(record.kind === "gbdt" ? { gbdt: gbdt as GbdtTrainOptions } : {}),
  };
}

/**
 * Training rows of which at least this share sold nothing are intermittent demand: a gbdt
 * without a loss given trains with the Tweedie loss (power 1.5), which lets one large
 * order move a leaf less than the Poisson loss does, and records `demand: "intermittent"`.
 */
export const INTERMITTENT_ZERO_SHARE = 0.5;

/**
 * The settings adjusted to the demand the rows show: a gbdt on intermittent rows (see
 * {@linkcode INTERMITTENT_ZERO_SHARE}) trains with the Tweedie loss unless a loss is given.
 * The settings themselves when nothing changes.
 *
 * @param rows The rows to fit on.
 * @param options The settings asked for.
 * @returns The settings to fit with.
 *
 * @example Usage
 * ```ts
 * import { forDemandShape } from "./train.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * const rows = [0, 0, 0, 5].map((units) => ({ units }) as TrainingRow);
 * assert.equal(forDemandShape(rows, { kind: "gbdt" }).gbdt?.loss, "tweedie");
 * const given = { kind: "gbdt" as const, gbdt: { loss: "poisson" as const } };
 * assert.equal(forDemandShape(rows, given), given);
 * ```
 */
export function forDemandShape(rows: readonly TrainingRow[], options: FitOptions): FitOptions {
  if ((options.kind ?? "gbdt") !== "gbdt" || options.gbdt?.loss !== undefined) return options;
  let zeros = 0;
  for (const r of rows) if (r.units === 0) zeros++;
  if (rows.length === 0 || zeros / rows.length < INTERMITTENT_ZERO_SHARE) return options;
  return { ...options, gbdt: { ...options.gbdt, loss: "tweedie" } };
}

/** The gbdt settings a model's params record (see `DEFAULT_GBDT`). */
const GBDT_SETTINGS = [
  "trees",
  "learningRate",
  "maxDepth",
  "maxLeaves",
  "minLeafSize",
  "maxBins",
  "subsample",
  "loss",
  "earlyStoppingRounds",
  "maxDeltaStep",
  "minHessian",
  "l2",
] as const;

/**
 * Registers a fitted candidate as pending, with its holdout metrics, the
 * champion's accuracy on the same holdout, and where it came from. A candidate
 * already registered (same version) is left as it was: its first registration,
 * note and source stand.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param fitted What {@linkcode fitCandidate} returned.
 * @param options Who registers it, when, its source and note.
 * @returns Its version, status and metrics.
 * @throws {RangeError} When the actor is blank, or the source or note is blank, too long or
 * holds control characters.
 *
 * @example Usage
 * ```ts
 * import { fitCandidate, registerCandidate } from "./train.ts";
 * import { loadTrainingSet } from "./training_set.ts";
 * import { openStore } from "../store/db.ts";
 * import { readModels } from "../store/read/models.ts";
 * import { appendCatalog, appendSales } from "../store/write/inputs.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * }]);
 * appendSales(db, Array.from({ length: 200 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 8 + (i % 7), revenue: (8 + (i % 7)) * 2.99,
 *   shelf_price: 2.99, promo: false,
 * })));
 * const fitted = fitCandidate(loadTrainingSet(db, "2025-02-01", "2025-07-19"), {
 *   kind: "elasticity",
 * });
 * const who = { actor: "ann", recordedAt: null, source: "notebooks/dev.ipynb" };
 * const r = registerCandidate(db, fitted, { ...who, note: "the baseline" });
 * assert.equal(r.status, "registered");
 * assert.equal(registerCandidate(db, fitted, who).status, "already_registered");
 * const [stored] = readModels(db);
 * assert.deepEqual([stored.status, stored.source, stored.note], [
 *   "pending",
 *   "notebooks/dev.ipynb",
 *   "the baseline",
 * ]);
 * assert.throws(() => registerCandidate(db, fitted, { ...who, note: "two\nlines" }), RangeError);
 * db.close();
 * ```
 */
export function registerCandidate(
  db: DatabaseSync,
  fitted: FittedCandidate,
  options: RegisterOptions,
): TrainResult {
  const { record, holdout } = fitted;
  return _register(db, record, options, () => {
    const champion = championModel(db);
    return {
      ...record.metrics,
      champion: champion ? holdoutScores(champion, holdout, periodOf(holdout)) : null,
    };
  });
}

/**
 * Registers a fitted record, pending, with the metrics `measure` gives (called only when
 * the version is new); an already registered version is left as it was.
 */
function _register(
  db: DatabaseSync,
  record: ModelRecord,
  options: RegisterOptions,
  measure: () => ModelMetrics,
): TrainResult {
  const what = `Cannot register model ${record.version}`;
  if (!options.actor.trim()) throw new InputError(`${what}: name who registers it`);
  _checkText(options.source, 200, `${what}: its source`);
  _checkText(options.note, 2000, `${what}: its note`);
  const result = (status: TrainResult["status"], metrics: ModelMetrics): TrainResult => ({
    status,
    version: record.version,
    kind: record.kind,
    trained_from: record.trained_from,
    trained_to: record.trained_to,
    metrics,
  });
  const existing = readModels(db, { version: record.version })[0];
  if (existing) return result("already_registered", existing.metrics);
  const metrics = measure();
  transaction(db, () =>
    appendModel(
      db,
      {
        version: record.version,
        kind: record.kind,
        trainedFrom: record.trained_from,
        trainedTo: record.trained_to,
        seed: record.seed,
        params: record.params,
        metrics,
        artifact: record.artifact,
        source: options.source ?? null,
        note: options.note ?? null,
      },
      options.actor,
      options.recordedAt,
    ));
  return result("registered", metrics);
}

/**
 * Trains, evaluates and registers a candidate: {@linkcode trainingWindow},
 * `loadTrainingSet`, {@linkcode fitCandidate} and {@linkcode registerCandidate}.
 *
 * @param db A connection open for writing, not inside a transaction.
 * @param options The window, the settings, who registers it and where it came from.
 * @returns Its version, status and metrics.
 * @throws {RangeError} When the store has no sales, the window has too few rows, or the
 * actor, source or note is unusable.
 *
 * @example Usage
 * ```ts
 * import { trainCandidate } from "./train.ts";
 * import { openStore } from "../store/db.ts";
 * import { readModels } from "../store/read/models.ts";
 * import { appendCatalog, appendSales } from "../store/write/inputs.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * }]);
 * appendSales(db, Array.from({ length: 200 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 8 + (i % 7), revenue: (8 + (i % 7)) * 2.99,
 *   shelf_price: 2.99, promo: false,
 * })));
 * const r = trainCandidate(db, {
 *   kind: "elasticity", actor: "cli", recordedAt: null, source: "deno task models train",
 * });
 * assert.equal(r.trained_to, "2025-07-19"); // the latest sales date
 * assert.equal(readModels(db)[0].source, "deno task models train");
 * db.close();
 * ```
 */
export function trainCandidate(db: DatabaseSync, options: TrainOptions): TrainResult {
  const { from, to } = trainingWindow(db, options);
  const say = options.onProgress ?? (() => {});
  say(`building training rows ${from} to ${to}`);
  const { holdoutDays, holdoutFrom } = _holdoutOf({ to, period: readPricingPeriod(db) }, options);
  const holdoutDay = toDayNumber(holdoutFrom);
  const maxFitRows = options.maxFitRows ?? DEFAULT_MAX_FIT_ROWS;
  // Read with the elasticities: each SKU's days before the holdout sampled, those in it counted.
  let available = 0, held = 0;
  const scan = scanTrainingSet(db, from, to, {
    chunkSkus: options.chunkSkus,
    onProgress: say,
    withRows: (skus) => {
      const sample = sampleDays(maxFitRows, skus, options.seed ?? 0);
      return (sku, days) => {
        const cut = lowerBoundDay(days, holdoutDay);
        available += cut;
        held += days.length - cut;
        return sample(sku, days.subarray(0, cut));
      };
    },
  });
  const fit: TrainingRow[] = [];
  for (const chunk of scan.rows) for (const r of chunk.rows) fit.push(r);
  sortRows(fit);
  _checkRows(scan, fit.length, held);
  if (available > fit.length) {
    say(
      `sampled ${fit.length} of ${available} training rows (at most ${maxFitRows}, seed ${
        options.seed ?? 0
      })`,
    );
  }
  const { record, model, trainSeconds } = _fit(scan, fit, holdoutDays, options);
  // Only numbers and the chunk reader reach the holdout pass: the fit rows can go.
  const trainRows = fit.length;
  const { chunks, period } = scan;
  return _register(db, record, options, () => {
    const champion = championModel(db);
    say(
      `evaluating on the holdout (${held} rows)${
        champion ? ` with champion ${champion.version}` : ""
      }`,
    );
    const scores = scoreHoldout(
      chunks({ from: holdoutFrom }),
      champion ? [model, champion] : [model],
      period?.days ?? 1,
    );
    return _metrics(record, scores, { holdoutFrom, fit: trainRows, available, trainSeconds });
  });
}

/** Days in the period of holdout rows: 7 when their snapshots say weekly. */
function periodOf(rows: readonly TrainingRow[]): number {
  return rows[0]?.snapshot.period_days ?? 1;
}

function _checkText(text: string | undefined, max: number, what: string) {
  if (text === undefined) return;
  const control = [...text].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
  if (!text.trim() || text.length > max || control) {
    throw new InputError(
      `${what} must be 1 to ${max} characters without control characters (got ${
        JSON.stringify(text.slice(0, 60))
      }${text.length > 60 ? "..." : ""})`,
    );
  }
}

function fitLearner(
  kind: ModelKind,
  fit: readonly TrainingRow[],
  code: (c: string) => number,
  names: string[],
  seed: number,
  options: FitOptions,
): { artifact: Record<string, unknown>; params: Record<string, unknown> } {
  if (kind === "elasticity") return { artifact: {}, params: {} };
  if (kind === "cart") {
    const max = options.cartMaxRows ?? 5000;
    const sample = subsample(fit, max, seed);
    const cols = featureColumns(sample, code);
    const cart = trainCart(cols, Float64Array.from(sample, (r) => r.units));
    return { artifact: { model: cart.toJSON() }, params: { max_rows: max, rows: sample.length } };
  }
  // Early stopping watches the last tenth of the training days, time-ordered.
  const dates = [...new Set(fit.map((r) => r.snapshot.run_date))];
  const cut = dates[Math.floor(dates.length * 0.9)];
  const train = fit.filter((r) => r.snapshot.run_date < cut);
  const valid = fit.filter((r) => r.snapshot.run_date >= cut);
  const gbdtOptions: GbdtTrainOptions = {
    ...DEFAULT_GBDT,
    ...options.gbdt,
    seed,
    monotone: DEMAND_MONOTONE,
    validation: {
      features: featureColumns(valid, code),
      target: Float64Array.from(valid, (r) => r.units),
    },
  };
  const model = trainGbdt(
    featureColumns(train, code),
    Float64Array.from(train, (r) => r.units),
    names,
    gbdtOptions,
  );
  const { validation: _v, onProgress: _p, ...params } = gbdtOptions;
  return {
    artifact: { model: model.toJSON() },
    params: { ...params, monotone: [...DEMAND_MONOTONE], trees_kept: model.trees },
  };
}

function subsample<T>(rows: readonly T[], max: number, seed: number): T[] {
  if (rows.length <= max) return [...rows];
  const random = createRandom(seed ^ 0x5eed);
  const keyed = rows.map((_row, i) => [random(), i] as const).sort((a, b) => a[0] - b[0]);
  return keyed.slice(0, max).map(([, i]) => i).sort((a, b) => a - b).map((i) => rows[i]);
}
