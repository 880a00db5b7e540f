/**
 * Training a candidate demand model and registering it with its holdout
 * metrics next to a seasonal-naive forecast and the current champion. A
 * candidate prices nothing until a person approves it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { DEMAND_FEATURES, DEMAND_MONOTONE, featureColumns } from "../demand/features.ts";
import { type GbdtTrainOptions, trainGbdt } from "../demand/gbdt/mod.ts";
import { trainCart } from "../demand/cart.ts";
import type { TrainingRow } from "../demand/rolling.ts";
import type { PriceResponse } from "../demand/learned_model.ts";
import type { ModelKind, ModelMetrics } from "../schema/models.ts";
import { latestSalesDate, readModels } from "../store/queries.ts";
import { appendModel, transaction } from "../store/writer.ts";
import { addDays } from "../util/date.ts";
import { contentHash } from "../util/hash.ts";
import { createRandom } from "../util/random.ts";
import { accuracy } from "./accuracy.ts";
import { championModel, modelOfRecord } from "./load.ts";
import { loadTrainingSet } from "./training_set.ts";
import { featureReference } from "../features/reference.ts";
import { InputError } from "../util/errors.ts";

/** Options of {@linkcode trainCandidate}. */
export interface TrainOptions {
  /** Default "gbdt". */
  kind?: ModelKind;
  /** First target day. Default: 365 days before `to`. */
  from?: string;
  /** Last target day. Default: the latest sales date. */
  to?: string;
  /** Default 0. */
  seed?: number;
  /** Last days of the window held out for the metrics. Default 28. */
  holdoutDays?: number;
  gbdt?: GbdtTrainOptions;
  /** Rows cart trains on at most (its training is quadratic). Default 5000. */
  cartMaxRows?: number;
  /**
   * How a gbdt or cart model responds to price: "elasticity" (default) moves its forecast at
   * today's price along the SKU's estimated elasticity; "learned" uses its own curve.
   */
  priceResponse?: PriceResponse;
  /** Who registers it. */
  actor: string;
  recordedAt: string | null;
  onProgress?: (message: string) => void;
}

/** What training produced. */
export interface TrainResult {
  status: "registered" | "already_registered";
  version: string;
  kind: ModelKind;
  trained_from: string;
  trained_to: string;
  metrics: ModelMetrics;
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

/** Trains, evaluates and registers a candidate. */
export function trainCandidate(db: DatabaseSync, options: TrainOptions): TrainResult {
  const kind = options.kind ?? "gbdt";
  const last = latestSalesDate(db);
  if (!last) throw new InputError("Cannot train a model: the store has no sales");
  const to = options.to ?? last;
  const from = options.from ?? addDays(to, -364);
  const seed = options.seed ?? 0;
  const holdoutDays = options.holdoutDays ?? 28;
  const say = options.onProgress ?? (() => {});
  say(`building training rows ${from} to ${to}`);
  const set = loadTrainingSet(db, from, to);
  const holdoutFrom = addDays(to, -(holdoutDays - 1));
  const fit = set.rows.filter((r) => r.snapshot.run_date < holdoutFrom);
  const holdout = set.rows.filter((r) => r.snapshot.run_date >= holdoutFrom);
  if (fit.length < 100 || holdout.length < 10) {
    throw new InputError(
      `Cannot train a model on ${from} to ${to}: ${fit.length} training and ${holdout.length} holdout rows are too few`,
    );
  }
  const code = (c: string) => set.categories.indexOf(c);
  const names = DEMAND_FEATURES.map((f) => f.name);
  const started = performance.now();
  say(`training ${kind} on ${fit.length} rows`);
  const { artifact, params } = fitLearner(kind, fit, code, names, seed, options);
  const trainSeconds = Math.round(performance.now() - started) / 1000;
  const params_ = {
    ...params,
    holdout_days: holdoutDays,
    features: names,
    ...(kind === "elasticity" ? {} : { price_response: options.priceResponse ?? "elasticity" }),
  };
  // The drift reference: quantile bins of the watched features, fixed on the training rows.
  const reference = featureReference(fit.map((r) => r.snapshot));
  const version = `${kind}-${to}-${contentHash({ artifact, params: params_ }).slice(0, 10)}`;
  const existing = readModels(db, { version })[0];
  if (existing) {
    return {
      status: "already_registered",
      version,
      kind,
      trained_from: from,
      trained_to: to,
      metrics: existing.metrics,
    };
  }
  say("evaluating on the holdout");
  const candidate = modelOfRecord({
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
  });
  const actual = holdout.map((r) => r.units);
  const predictWith = (m: typeof candidate) =>
    holdout.map((r) => {
      const v = m.predict(r.snapshot, [r.price])[0];
      return Number.isFinite(v) ? v : r.snapshot.base_units;
    });
  const champion = championModel(db);
  const metrics: ModelMetrics = {
    holdout_from: holdoutFrom,
    holdout_to: to,
    holdout_rows: holdout.length,
    train_rows: fit.length,
    candidate: accuracy(actual, predictWith(candidate)),
    seasonal_naive: accuracy(
      actual,
      holdout.map((r) => r.lastWeekUnits ?? r.snapshot.units_7 / 7),
    ),
    champion: champion
      ? { version: champion.version, ...accuracy(actual, predictWith(champion)) }
      : null,
    train_seconds: trainSeconds,
  };
  transaction(db, () =>
    appendModel(
      db,
      {
        version,
        kind,
        trainedFrom: from,
        trainedTo: to,
        seed,
        params: params_,
        metrics,
        artifact: { categories: set.categories, ...artifact, reference },
      },
      options.actor,
      options.recordedAt,
    ));
  return { status: "registered", version, kind, trained_from: from, trained_to: to, metrics };
}

function fitLearner(
  kind: ModelKind,
  fit: readonly TrainingRow[],
  code: (c: string) => number,
  names: string[],
  seed: number,
  options: TrainOptions,
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
