/**
 * An honest evaluation of a model setting on a store's own data, by rolling
 * origin: for each of the last N periods, the setting is trained on the data
 * before it (every period on a weekly store, every 7 days on a daily one) and
 * every SKU is forecast, from the snapshot the daily job would have built that
 * morning, at the shelf price it actually had. Its WAPE and bias are set
 * against the seasonal-naive forecast and the elasticity-only model, overall,
 * by category and by sales-volume decile; its price response is judged over the
 * periods where a SKU's shelf price moved by at least 5% (promotion moves
 * apart); the elasticity estimates are set against a fit held out on the
 * evaluated periods. What it found is turned into a verdict (`verdict.ts`):
 * which SKUs the model should price and which it should leave to the rule.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { estimateElasticity } from "../elasticity/estimate.ts";
import { loadFeatureInputs } from "../features/inputs.ts";
import { buildSnapshots } from "../features/snapshot.ts";
import { elasticityModel } from "../demand/elasticity_model.ts";
import type { DemandModel } from "../demand/model.ts";
import type { FeatureSnapshot } from "../schema/features.ts";
import type { Accuracy } from "../schema/models.ts";
import {
  latestSalesDate,
  readChampion,
  readInventory,
  readPricingPeriod,
  readSales,
} from "../store/queries.ts";
import { addDays } from "../util/date.ts";
import { InputError } from "../util/errors.ts";
import { addPeriods, periodStartOf, type PricingPeriod } from "../util/period.ts";
import { round } from "../util/round.ts";
import { accuracy } from "./accuracy.ts";
import {
  MIN_PRICE_MOVE,
  type PriceMove,
  type PriceResponseStats,
  responseStats,
} from "./price_response.ts";
import { fitModel, type FitOptions, fitOptionsOf } from "./train.ts";
import { DEFAULT_MAX_FIT_ROWS, loadTrainingSet } from "./training_set.ts";
import { type EvaluationVerdict, judge } from "./verdict.ts";

/** The models an evaluation compares. */
export type EvaluatedModel = "model" | "naive" | "elasticity";

/** One forecast of one SKU in one period. */
export interface EvaluationRow {
  /** The SKU. */
  sku: string;
  /** Its category. */
  category: string;
  /** The period's first day. */
  date: string;
  /** Units it sold then. */
  units: number;
  /** Its shelf price then: the price every forecast is made at. */
  price: number;
  /** A promotion ran. */
  promo: boolean;
  /** The period ended out of stock (sales understate demand). */
  censored: boolean;
  /** The SKU's sales-volume decile (1 lowest to 10 highest), by its units before the evaluation. */
  decile: number;
  /** Each model's forecast of the units. */
  forecast: Record<EvaluatedModel, number>;
}

/** Accuracy of the three forecasts on a set of rows. */
export interface ForecastScores {
  /** Forecasts scored. */
  rows: number;
  /** Units they sold. */
  units: number;
  /** Σ|ŷ − y| / Σy of each model. */
  wape: Record<EvaluatedModel, number>;
  /** (Σŷ − Σy) / Σy of each model. */
  bias: Record<EvaluatedModel, number>;
}

/** One category's (or decile's) figures. */
export interface GroupScores extends ForecastScores {
  /** SKUs in the group. */
  skus: number;
  /** The model's price response on the group's non-promotion moves. */
  price_response: PriceResponseStats;
}

/** What `evaluateStore` found. */
export interface StoreEvaluation {
  /** The setting evaluated: the registered model whose settings were retrained, or none. */
  model: { version: string | null; kind: string; price_response: string | null };
  /** The store's pricing period. */
  period: "day" | "week";
  /** First evaluated period. */
  from: string;
  /** Last evaluated period. */
  to: string;
  /** Periods evaluated. */
  periods: number;
  /** SKUs forecast. */
  skus: number;
  /** Models trained (one per retraining). */
  trainings: number;
  /** On rows without promotion and not censored (what the registry's holdout scores). */
  wape: Record<EvaluatedModel, number>;
  /** On the same rows. */
  bias: Record<EvaluatedModel, number>;
  /** Those rows. */
  rows: number;
  /** The same on promotion periods alone (their lift is not modelled). */
  promo: ForecastScores;
  /** The model's price response on non-promotion moves (both periods without promotion). */
  price_response: PriceResponseStats;
  /** On moves into or out of a promotion. */
  price_response_promo: PriceResponseStats;
  /** The elasticity-only model's price response on non-promotion moves. */
  price_response_elasticity: PriceResponseStats;
  /** The snapshots' elasticities against a fit held out on the evaluated periods. */
  elasticity: {
    /** SKUs with a snapshot at the first evaluated period. */
    skus: number;
    /** Snapshots (SKU and evaluated period) whose estimate, shrunk as priced, is above 0. */
    positive: number;
    /** SKUs whose own estimate (before shrinkage) was above 0 at the first period. */
    raw_positive: number;
    /** Snapshots whose estimate the prior bounds moved (`ELASTICITY_BOUNDS`). */
    bounded: number;
    /** Median of every evaluated snapshot's estimate. */
    median: number | null;
    /** Their smallest. */
    min: number | null;
    /** Their largest. */
    max: number | null;
    /** Each SKU's estimate at the first period (predicted) against its own fit on the periods. */
    held_out: PriceResponseStats;
  };
  /** By category. */
  by_category: (GroupScores & { category: string })[];
  /** By the SKUs' sales-volume decile. */
  by_decile: (GroupScores & { decile: number })[];
  /** The targets, as measured. */
  targets: {
    /** The model's WAPE / the seasonal-naive WAPE. */
    wape_ratio: number | null;
    /** At most this ({@linkcode WAPE_RATIO_TARGET}). */
    wape_ratio_max: number;
    /** Whether it is. */
    wape_met: boolean;
    /** Non-promotion sign agreement of at least this ({@linkcode SIGN_AGREEMENT_TARGET}). */
    sign_agreement_min: number;
    /** Whether it is. */
    sign_agreement_met: boolean;
    /** Every evaluated snapshot's elasticity is below 0. */
    every_elasticity_negative: boolean;
  };
  /** Which categories and SKUs the model should price, and which it leaves to the rule. */
  verdict: EvaluationVerdict;
  /** Every forecast, with `options.rows`. */
  forecasts?: EvaluationRow[];
  /**
   * What ML would leave to the rule if the last evaluated period were priced now (SKUs with
   * a snapshot then): the verdict's SKUs, those whose elasticity estimate lies outside the
   * prior bounds (`ML_ELASTICITY_OUT_OF_PRIOR`), and those with too little history
   * (`ML_COLD_START`), each counted once in that order.
   */
  left_to_rule: {
    /** SKUs with a snapshot at the last period. */
    skus: number;
    /** Left to the rule by the verdict. */
    verdict: number;
    /** By `ML_ELASTICITY_OUT_OF_PRIOR`. */
    elasticity_out_of_prior: number;
    /** By `ML_COLD_START`. */
    cold_start: number;
    /** All three, as a share of `skus`. */
    share: number;
  };
}

/** Options of {@linkcode evaluateStore}. */
export interface EvaluateOptions {
  /** Periods to evaluate, the latest ones. Default 26 on a weekly store, 28 on a daily one. */
  periods?: number;
  /**
   * The setting to evaluate. Default: the champion's (its kind, gbdt settings and price
   * response), else the registry's default gbdt.
   */
  fit?: FitOptions;
  /** Whose settings `fit` are (recorded with the verdict). Default: the champion's version. */
  modelVersion?: string | null;
  /** Periods between retrainings. Default 1 on a weekly store, 7 on a daily one. */
  retrainEvery?: number;
  /** Return every forecast too (`rows`). Default false. */
  rows?: boolean;
  /** Progress lines on long work (one per forecast origin). Default: none. */
  onProgress?: (message: string) => void;
}

/** The WAPE ratio target: the model at most this times the seasonal-naive WAPE. */
export const WAPE_RATIO_TARGET = 0.9;
/** The price-response target: at least this sign agreement on non-promotion moves. */
export const SIGN_AGREEMENT_TARGET = 0.7;

/**
 * Evaluates a model setting on the store's own data by rolling origin (see the module
 * notes). Reads only; trains one model per retraining.
 *
 * @param db The store.
 * @param options The periods, the setting and how often to retrain.
 * @returns What it found, with the verdict.
 * @throws {RangeError} When the store has no sales or too few periods before the evaluated ones.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, evaluateStore, openStore } from "../mod.ts";
 * import { addDays } from "../util/date.ts";
 *
 * // 200 days of two SKUs whose price moves every 10 days, demand of elasticity -2
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5, floor_price: 1.99,
 *   ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [{ ...terms, sku: "A1" }, { ...terms, sku: "B2" }]);
 * appendSales(db, ["A1", "B2"].flatMap((sku, k) =>
 *   Array.from({ length: 200 }, (_, i) => {
 *     const price = [2.49, 2.99, 3.49][Math.floor(i / 10) % 3];
 *     const units = Math.round((10 + 10 * k) * (price / 2.99) ** -2);
 *     return { sku, date: addDays("2025-01-01", i), units, revenue: units * price,
 *       shelf_price: price, promo: false };
 *   })));
 * const e = evaluateStore(db, { periods: 14, fit: { kind: "elasticity" } });
 * assert.equal(e.periods, 14);
 * assert.ok(e.wape.model < e.wape.naive);
 * assert.equal(e.price_response.sign_agreement, 1);
 * ```
 */
export function evaluateStore(db: DatabaseSync, options: EvaluateOptions = {}): StoreEvaluation {
  const period = readPricingPeriod(db);
  const say = options.onProgress ?? (() => {});
  const n = options.periods ?? (period.kind === "week" ? 26 : 28);
  if (!Number.isInteger(n) || n < 2) {
    throw new InputError(`Cannot evaluate ${n} periods: expected a whole number >= 2`);
  }
  const latest = latestSalesDate(db);
  if (!latest) throw new InputError("Cannot evaluate: the store has no sales");
  const last = periodStartOf(period, latest);
  const first = addPeriods(period, last, -(n - 1));
  const champion = options.fit ? null : readChampion(db);
  const fit: FitOptions = options.fit ?? (champion ? fitOptionsOf(champion) : { kind: "gbdt" });
  const version = options.modelVersion !== undefined
    ? options.modelVersion
    : options.fit
    ? null
    : champion?.version ?? null;
  const every = options.retrainEvery ?? (period.kind === "week" ? 1 : 7);
  const actuals = readActuals(db, addDays(first, -7 - period.days), addDays(last, 1));
  const elasticOnly = elasticityModel();
  const rows: EvaluationRow[] = [];
  const moves: { model: PriceMove[]; elasticity: PriceMove[] } = { model: [], elasticity: [] };
  const elasticities: number[] = [];
  let volume = new Map<string, number>();
  let model: DemandModel = elasticOnly;
  let trainings = 0;
  let firstSnapshots: FeatureSnapshot[] = [];
  let lastSnapshots: FeatureSnapshot[] = [];
  let bounded = 0;
  for (let k = 0; k < n; k++) {
    const t = addPeriods(period, first, k);
    if (fit.kind !== "elasticity" && k % every === 0) {
      say(`training ${fit.kind} on the data before ${t}`);
      const set = loadTrainingSet(db, addDays(t, -period.trainingDays), addDays(t, -1), {
        maxRows: DEFAULT_MAX_FIT_ROWS,
        seed: fit.seed ?? 0,
      });
      if (set.rows.length < 10) {
        throw new InputError(
          `Cannot evaluate from ${first}: only ${set.rows.length} training rows before ${t}; evaluate fewer periods (--periods)`,
        );
      }
      model = fitModel(set, set.rows, fit);
      trainings++;
    }
    const snapshots = buildSnapshots(
      loadFeatureInputs(db, t, { historyDays: period.historyDays }),
      { period },
    ).snapshots.map((s) => s.features);
    if (k === 0) {
      firstSnapshots = snapshots;
      volume = new Map(snapshots.map((s) => [s.sku, s.units_90]));
    }
    lastSnapshots = snapshots;
    const priced = fit.kind === "elasticity" ? elasticOnly : model;
    for (const s of snapshots) {
      elasticities.push(s.elasticity);
      if (s.elasticity_unbounded !== undefined) bounded++;
      const now = actuals.get(key(s.sku, t));
      if (!now) continue;
      rows.push({
        sku: s.sku,
        category: s.category,
        date: t,
        units: now.units,
        price: now.price,
        promo: now.promo,
        censored: now.censored,
        decile: 0,
        forecast: {
          model: predictOr(priced, s, now.price),
          naive: actuals.get(key(s.sku, addDays(t, -7)))?.units ??
            s.units_7 / 7 * (s.period_days ?? 1),
          elasticity: predictOr(elasticOnly, s, now.price),
        },
      });
      // A move: the model's change in units between the two prices, all else as in period t.
      const before = actuals.get(key(s.sku, addPeriods(period, t, -1)));
      if (!before || before.censored || now.censored) continue;
      if (before.units === 0 || now.units === 0) continue; // see MIN_PRICE_MOVE
      if (Math.abs(now.price / before.price - 1) < MIN_PRICE_MOVE) continue;
      for (const [name, m] of [["model", priced], ["elasticity", elasticOnly]] as const) {
        const [after, was] = m.predict(s, [now.price, before.price]);
        moves[name].push({
          sku: s.sku,
          category: s.category,
          date: t,
          promo: now.promo || before.promo,
          logPriceChange: Math.log(now.price / before.price),
          predicted: after > 0 && was > 0 ? Math.log(after / was) : NaN,
          actual: Math.log((now.units + 0.5) / (before.units + 0.5)),
        });
      }
    }
  }
  const deciles = decilesOf(volume);
  for (const r of rows) r.decile = deciles.get(r.sku) ?? 1;
  const clean = rows.filter((r) => !r.promo && !r.censored);
  const overall = scores(clean);
  const steady = (list: readonly PriceMove[]) => list.filter((m) => !m.promo);
  const heldOut = heldOutElasticities(db, period, last, n, firstSnapshots);
  const groups = <K extends string | number>(keyOf: (r: { sku: string }) => K | undefined) => {
    const byKey = new Map<K, EvaluationRow[]>();
    for (const r of clean) {
      const k = keyOf(r)!;
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map((
      [k, list],
    ) => ({
      key: k,
      skus: new Set(list.map((r) => r.sku)).size,
      ...scores(list),
      price_response: responseStats(
        steady(moves.model).filter((m) => keyOf(m) === k),
      ),
    }));
  };
  const categoryOf = new Map(rows.map((r) => [r.sku, r.category]));
  const byCategory = groups((r) => categoryOf.get(r.sku)).map(({ key, ...g }) => ({
    category: key,
    ...g,
  }));
  const byDecile = groups((r) => deciles.get(r.sku) ?? 1).map(({ key, ...g }) => ({
    decile: key,
    ...g,
  }));
  const response = responseStats(steady(moves.model));
  const ratio = overall.wape.naive > 0 ? round(overall.wape.model / overall.wape.naive, 4) : null;
  const finite = elasticities.filter(Number.isFinite).sort((a, b) => a - b);
  const verdict = judge({
    modelVersion: version,
    rows: clean,
    moves: steady(moves.model),
    skus: [...new Set(rows.map((r) => r.sku))].sort(),
    categoryOf,
  });
  const ruled = new Set(verdict.skus.map((v) => v.sku));
  const ruledNow = lastSnapshots.filter((s) => ruled.has(s.sku)).length;
  const cold = lastSnapshots.filter((s) => s.history_days < period.minHistoryPeriods);
  const outOfPrior = lastSnapshots.filter((s) =>
    s.elasticity_unbounded !== undefined && !ruled.has(s.sku) &&
    s.history_days >= period.minHistoryPeriods
  );
  const coldOnly = cold.filter((s) => !ruled.has(s.sku)).length;
  return {
    model: {
      version,
      kind: fit.kind ?? "gbdt",
      price_response: fit.kind === "elasticity" ? null : fit.priceResponse ?? "elasticity",
    },
    period: period.kind,
    from: first,
    to: last,
    periods: n,
    skus: new Set(rows.map((r) => r.sku)).size,
    trainings,
    wape: overall.wape,
    bias: overall.bias,
    rows: overall.rows,
    promo: scores(rows.filter((r) => r.promo && !r.censored)),
    price_response: response,
    price_response_promo: responseStats(moves.model.filter((m) => m.promo)),
    price_response_elasticity: responseStats(steady(moves.elasticity)),
    elasticity: {
      skus: firstSnapshots.length,
      positive: elasticities.filter((e) => e > 0).length,
      raw_positive: firstSnapshots.filter((s) => (s.elasticity_raw ?? -1) > 0).length,
      bounded,
      median: finite.length ? round(finite[finite.length >> 1], 4) : null,
      min: finite.length ? round(finite[0], 4) : null,
      max: finite.length ? round(finite[finite.length - 1], 4) : null,
      held_out: heldOut,
    },
    by_category: byCategory,
    by_decile: byDecile,
    targets: {
      wape_ratio: ratio,
      wape_ratio_max: WAPE_RATIO_TARGET,
      wape_met: ratio !== null && ratio <= WAPE_RATIO_TARGET,
      sign_agreement_min: SIGN_AGREEMENT_TARGET,
      sign_agreement_met: (response.sign_agreement ?? 0) >= SIGN_AGREEMENT_TARGET,
      every_elasticity_negative: finite.length > 0 && finite[finite.length - 1] < 0,
    },
    verdict,
    ...(options.rows ? { forecasts: rows } : {}),
    left_to_rule: {
      skus: lastSnapshots.length,
      verdict: ruledNow,
      elasticity_out_of_prior: outOfPrior.length,
      cold_start: coldOnly,
      share: lastSnapshots.length
        ? round((ruledNow + outOfPrior.length + coldOnly) / lastSnapshots.length, 4)
        : 0,
    },
  };
}

interface Actual {
  units: number;
  price: number;
  promo: boolean;
  censored: boolean;
}

const key = (sku: string, date: string) => `${sku}\u0000${date}`;

/** Sales of [from, to) with each day's closing stock: a period that ended at 0 is censored. */
function readActuals(db: DatabaseSync, from: string, to: string): Map<string, Actual> {
  const out = new Map<string, Actual>();
  const empty = new Set(
    readInventory(db, from, to).filter((r) => r.on_hand === 0).map((r) => key(r.sku, r.date)),
  );
  for (const r of readSales(db, from, to)) {
    out.set(key(r.sku, r.date), {
      units: r.units,
      price: r.shelf_price,
      promo: r.promo,
      censored: empty.has(key(r.sku, r.date)),
    });
  }
  return out;
}

/** The model's expected units at `price`, or the snapshot's baseline where it cannot say. */
function predictOr(model: DemandModel, s: FeatureSnapshot, price: number): number {
  const v = model.predict(s, [price])[0];
  return Number.isFinite(v) && v >= 0 ? v : s.base_units;
}

function scores(rows: readonly EvaluationRow[]): ForecastScores {
  const units = rows.map((r) => r.units);
  const of = (m: EvaluatedModel): Accuracy => accuracy(units, rows.map((r) => r.forecast[m]));
  const [model, naive, elasticity] = [of("model"), of("naive"), of("elasticity")];
  return {
    rows: rows.length,
    units: units.reduce((a, b) => a + b, 0),
    wape: { model: model.wape, naive: naive.wape, elasticity: elasticity.wape },
    bias: { model: model.bias, naive: naive.bias, elasticity: elasticity.bias },
  };
}

/** Decile 1 (lowest) to 10 (highest) of each SKU's volume; ties keep the SKU order. */
function decilesOf(volume: ReadonlyMap<string, number>): Map<string, number> {
  const order = [...volume.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  return new Map(
    order.map(([sku], i) => [sku, Math.min(10, Math.floor((i * 10) / order.length) + 1)]),
  );
}

/**
 * Each SKU's elasticity as priced at the first evaluated period against its own fit on
 * the evaluated periods alone (held out: the estimate never saw them).
 */
function heldOutElasticities(
  db: DatabaseSync,
  period: PricingPeriod,
  last: string,
  n: number,
  snapshots: readonly FeatureSnapshot[],
): PriceResponseStats {
  const end = addPeriods(period, last, 1);
  const inputs = loadFeatureInputs(db, end, { historyDays: n * period.days });
  const pairs: { predicted: number; actual: number }[] = [];
  for (const s of snapshots) {
    const h = inputs.skus.get(s.sku)?.history;
    if (!h) continue;
    const fit = estimateElasticity(h, { minDays: Math.max(8, Math.floor(n / 2)) });
    if (fit.estimate === null) continue;
    pairs.push({ predicted: s.elasticity, actual: fit.estimate });
  }
  // "Sign agreement" here: the held-out fit has the estimate's sign.
  return responseStats(pairs);
}
