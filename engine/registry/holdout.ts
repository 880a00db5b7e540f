/**
 * Scoring forecasts on a holdout read chunk by chunk of SKUs: accuracy (WAPE and
 * bias) and price response of each model, and the seasonal-naive forecast's, with
 * only a few numbers per row kept between chunks. Sums run in date-then-SKU order
 * whatever the chunking, so a holdout scored in one piece or in many gives the
 * same figures.
 *
 * @module
 */
import type { DemandModel } from "../demand/model.ts";
import type { TrainingRow } from "../demand/rolling.ts";
import type { Accuracy, ModelMetrics } from "../schema/models.ts";
import { toDayNumber } from "../util/date.ts";
import { accuracy } from "./accuracy.ts";
import { holdoutMoves, responseStats } from "./price_response.ts";

/** A model's accuracy and price response on a holdout. */
export type HoldoutScore = NonNullable<ModelMetrics["champion"]>;

/** What {@linkcode scoreHoldout} measured. */
export interface HoldoutScores {
  /** Holdout rows scored. */
  rows: number;
  /** The seasonal-naive forecast's accuracy (see {@linkcode naiveForecast}). */
  seasonalNaive: Accuracy;
  /** Each model's, in the order given. */
  models: HoldoutScore[];
}

/**
 * The seasonal-naive forecast of a row: the units of the same weekday a week before (on a
 * weekly store, of the week before), else the mean of the last 7 days (the last week's units).
 *
 * @param r A training row.
 * @returns The forecast.
 *
 * @example Usage
 * ```ts
 * import { naiveForecast } from "./holdout.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * const row = { lastWeekUnits: null, snapshot: { units_7: 14 } } as unknown as TrainingRow;
 * assert.equal(naiveForecast(row), 2); // a daily store: 14 units over 7 days
 * assert.equal(naiveForecast({ ...row, lastWeekUnits: 5 }), 5);
 * ```
 */
export function naiveForecast(r: TrainingRow): number {
  return r.lastWeekUnits ?? r.snapshot.units_7 / 7 * (r.snapshot.period_days ?? 1);
}

/**
 * Scores models and the seasonal-naive forecast on holdout rows given in chunks. Every
 * SKU's rows must sit in one chunk (its price moves are read within it), and the chunks
 * must come in SKU order when there is more than one.
 *
 * @param chunks The holdout rows, in chunks of whole SKUs.
 * @param models The models to score.
 * @param periodDays Days in one period (1, or 7 on a weekly store).
 * @returns The rows scored, the seasonal-naive accuracy and each model's scores.
 *
 * @example Usage
 * ```ts
 * import { scoreHoldout } from "./holdout.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * const model: DemandModel = {
 *   kind: "elasticity", version: "e", explain: () => [],
 *   predict: (_s, prices) => prices.map(() => 10),
 * };
 * const row = (sku: string, units: number) => ({
 *   snapshot: { sku, run_date: "2025-01-01", units_7: 70 }, price: 2, units, lastWeekUnits: null,
 * }) as unknown as TrainingRow;
 * const scores = scoreHoldout([{ rows: [row("A", 8)] }, { rows: [row("B", 12)] }], [model], 1);
 * assert.equal(scores.rows, 2);
 * assert.deepEqual([scores.models[0].wape, scores.models[0].bias], [0.2, 0]);
 * assert.deepEqual(scores.seasonalNaive, { wape: 0.2, bias: 0 });
 * ```
 */
export function scoreHoldout(
  chunks: Iterable<{ readonly rows: readonly TrainingRow[] }>,
  models: readonly DemandModel[],
  periodDays: number,
): HoldoutScores {
  const day: number[] = [], units: number[] = [], naive: number[] = [];
  const predicted = models.map((): number[] => []);
  const moves = models.map((): { predicted: number; actual: number }[] => []);
  for (const { rows } of chunks) {
    for (const r of rows) {
      day.push(toDayNumber(r.snapshot.run_date));
      units.push(r.units);
      naive.push(naiveForecast(r));
    }
    models.forEach((model, k) => {
      for (const v of _predict(model, rows)) predicted[k].push(v);
      for (const m of holdoutMoves(model, rows, periodDays)) {
        moves[k].push({ predicted: m.predicted, actual: m.actual });
      }
    });
  }
  // A stable counting sort by day: date, then SKU (the order of the rows within a day).
  const order = _byDay(day);
  const inOrder = (v: readonly number[]) => Float64Array.from(order, (i) => v[i]);
  const actual = inOrder(units);
  return {
    rows: day.length,
    seasonalNaive: accuracy(actual, inOrder(naive)),
    models: models.map((model, k) => ({
      version: model.version,
      ...accuracy(actual, inOrder(predicted[k])),
      price_response: responseStats(moves[k]),
    })),
  };
}

/**
 * A model's accuracy and price response on holdout rows: what the registry records for
 * a candidate's champion.
 *
 * @param model The model.
 * @param holdout The holdout rows.
 * @param periodDays Days in one period (1, or 7 on a weekly store).
 * @returns Its version, WAPE, bias and price response.
 *
 * @example Usage
 * ```ts
 * import { holdoutScores } from "./holdout.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * const model: DemandModel = {
 *   kind: "elasticity", version: "e", explain: () => [],
 *   predict: (_s, prices) => prices.map(() => 10),
 * };
 * const row = { snapshot: { sku: "A", run_date: "2025-01-01" }, price: 2, units: 8 };
 * const scores = holdoutScores(model, [row as unknown as TrainingRow], 1);
 * assert.deepEqual([scores.version, scores.wape, scores.bias], ["e", 0.25, 0.25]);
 * ```
 */
export function holdoutScores(
  model: DemandModel,
  holdout: readonly TrainingRow[],
  periodDays: number,
): HoldoutScore {
  return scoreHoldout([{ rows: holdout }], [model], periodDays).models[0];
}

/** A model's forecast of each row at its price; the row's base units where it gives none. */
function _predict(model: DemandModel, rows: readonly TrainingRow[]): number[] {
  const v = model.predictRows?.(rows) ?? rows.map((r) => model.predict(r.snapshot, [r.price])[0]);
  return rows.map((r, i) => (Number.isFinite(v[i]) ? v[i] : r.snapshot.base_units));
}

/** Positions of `day` sorted by day, ties in their order. */
function _byDay(day: readonly number[]): Int32Array {
  const order = new Int32Array(day.length);
  if (day.length === 0) return order;
  let lo = Infinity, hi = -Infinity;
  for (const d of day) {
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  const start = new Int32Array(hi - lo + 2);
  for (const d of day) start[d - lo + 1]++;
  for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
  for (let i = 0; i < day.length; i++) order[start[day[i] - lo]++] = i;
  return order;
}
