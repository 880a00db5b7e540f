/**
 * Price response, which is what pricing depends on: over the periods where a
 * SKU's shelf price moved by at least 5%, how well does a model's predicted
 * change in units match the change that happened? Sign agreement, rank
 * correlation (Spearman) and the calibration slope (actual on predicted log
 * change: 1 is calibrated, 0 is no signal, negative is backwards).
 *
 * @module
 */
import type { DemandModel } from "../demand/model.ts";
import type { TrainingRow } from "../demand/rolling.ts";
import { addDays } from "../util/date.ts";
import { round } from "../util/round.ts";

/**
 * A shelf-price move by at least this share from one period to the next counts, when
 * both periods sold something and neither ended out of stock: the log change in units is
 * defined only then (and a period without sales may not have had the product on the
 * shelf; its price may be imputed, as a converted data set's zero-sale weeks are).
 */
export const MIN_PRICE_MOVE = 0.05;

/** One price move of a SKU from one period to the next. */
export interface PriceMove {
  /** The SKU. */
  sku: string;
  /** Its category. */
  category: string;
  /** The period after the move. */
  date: string;
  /** A promotion ran in either period (its lift is not price response). */
  promo: boolean;
  /** log(price after / price before). */
  logPriceChange: number;
  /** The model's log change in units between the two prices, all else as after the move. */
  predicted: number;
  /** log((units after + 0.5) / (units before + 0.5)). */
  actual: number;
}

/** How well predicted and actual log changes agree. */
export interface PriceResponseStats {
  /** Moves judged. */
  moves: number;
  /** Share of moves (with a change in units) whose predicted and actual change have one sign. */
  sign_agreement: number | null;
  /** Spearman rank correlation of predicted and actual log change. */
  spearman: number | null;
  /** Least-squares slope of actual on predicted log change (1: calibrated). */
  calibration_slope: number | null;
}

/**
 * Sign agreement, Spearman correlation and calibration slope of predicted against
 * actual values (null where undefined: no moves, or no spread).
 *
 * @param pairs Predicted and actual values.
 * @returns The statistics, rounded to 4 decimals.
 *
 * @example Usage
 * ```ts
 * import { responseStats } from "./price_response.ts";
 * import assert from "node:assert/strict";
 *
 * const stats = responseStats([
 *   { predicted: -0.2, actual: -0.3 },
 *   { predicted: 0.2, actual: 0.1 },
 *   { predicted: -0.1, actual: 0.05 },
 * ]);
 * assert.equal(stats.moves, 3);
 * assert.equal(stats.sign_agreement, 0.6667);
 * assert.equal(stats.spearman, 1);
 * ```
 */
export function responseStats(
  pairs: readonly { predicted: number; actual: number }[],
): PriceResponseStats {
  const usable = pairs.filter((p) => Number.isFinite(p.predicted) && Number.isFinite(p.actual));
  const judged = usable.filter((p) => p.actual !== 0);
  const agree = judged.filter((p) => Math.sign(p.predicted) === Math.sign(p.actual)).length;
  return {
    moves: usable.length,
    sign_agreement: judged.length ? round(agree / judged.length, 4) : null,
    spearman: nullable(spearman(usable.map((p) => p.predicted), usable.map((p) => p.actual))),
    calibration_slope: nullable(slope(usable.map((p) => p.predicted), usable.map((p) => p.actual))),
  };
}

/**
 * Spearman's rank correlation (average ranks for ties); NaN with fewer than 3 pairs
 * or no spread.
 *
 * @param x The first values.
 * @param y The second values, one per first.
 * @returns The correlation.
 *
 * @example Usage
 * ```ts
 * import { spearman } from "./price_response.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 25]), 0.8);
 * ```
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 3) return NaN;
  return pearson(ranks(x), ranks(y));
}

/**
 * The least-squares slope of `y` on `x`; NaN with fewer than 3 pairs or no spread in `x`.
 *
 * @param x The predictor.
 * @param y The response.
 * @returns The slope.
 *
 * @example Usage
 * ```ts
 * import { slope } from "./price_response.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(slope([0, 1, 2], [1, 3, 5]), 2);
 * ```
 */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length || n < 3) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

function nullable(x: number): number | null {
  return Number.isFinite(x) ? round(x, 4) : null;
}

/**
 * The price moves of a holdout: for every SKU's pair of rows one period apart whose
 * shelf price moved by at least {@linkcode MIN_PRICE_MOVE}, the model's predicted log
 * change in units (at the later row's snapshot, the later price against the earlier)
 * and the actual log change. Training rows leave out promotion and stockout periods, so
 * these moves are all non-promotion moves.
 *
 * @param model The model.
 * @param rows Holdout rows (any order).
 * @param periodDays Days in one period (1, or 7 on a weekly store).
 * @returns The moves, by SKU then date.
 *
 * @example Usage
 * ```ts
 * import { holdoutMoves } from "./price_response.ts";
 * import type { DemandModel } from "../demand/model.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * const model: DemandModel = {
 *   kind: "elasticity", version: "e", explain: () => [],
 *   predict: (_s, prices) => prices.map((p) => 100 * p ** -2),
 * };
 * const row = (run_date: string, price: number, units: number) => ({
 *   snapshot: { sku: "A", category: "c", run_date }, price, units, promo: false,
 *   censored: false, lastWeekUnits: null,
 * }) as unknown as TrainingRow;
 * const moves = holdoutMoves(model, [row("2025-01-01", 2, 50), row("2025-01-02", 2.2, 40)], 1);
 * assert.equal(moves.length, 1);
 * assert.ok(Math.abs(moves[0].predicted - -2 * Math.log(1.1)) < 1e-9);
 * ```
 */
export function holdoutMoves(
  model: DemandModel,
  rows: readonly TrainingRow[],
  periodDays: number,
): PriceMove[] {
  const bySku = new Map<string, TrainingRow[]>();
  for (const r of rows) {
    const list = bySku.get(r.snapshot.sku);
    if (list) list.push(r);
    else bySku.set(r.snapshot.sku, [r]);
  }
  const moves: PriceMove[] = [];
  for (const sku of [...bySku.keys()].sort()) {
    const list = bySku.get(sku)!.sort((a, b) => a.snapshot.run_date < b.snapshot.run_date ? -1 : 1);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1], b = list[i];
      if (addDays(a.snapshot.run_date, periodDays) !== b.snapshot.run_date) continue;
      if (Math.abs(b.price / a.price - 1) < MIN_PRICE_MOVE) continue;
      if (a.units === 0 || b.units === 0) continue;
      const [after, before] = model.predict(b.snapshot, [b.price, a.price]);
      moves.push({
        sku,
        category: b.snapshot.category,
        date: b.snapshot.run_date,
        promo: a.promo || b.promo,
        logPriceChange: Math.log(b.price / a.price),
        predicted: after > 0 && before > 0 ? Math.log(after / before) : NaN,
        actual: Math.log((b.units + 0.5) / (a.units + 0.5)),
      });
    }
  }
  return moves;
}
