/**
 * Training rows: for every (SKU, day) of a history, the feature snapshot the
 * daily job would have built that morning, from the days before only, plus the
 * price and units of the day. One rolling pass per SKU instead of one feature
 * job per date; a test checks it agrees with `buildSnapshots()`.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { CatalogRecord } from "../schema/inputs.ts";
import type { StockRecord } from "../features/block_inputs.ts";
import type { SkuHistory } from "../elasticity/estimate.ts";
import { fromDayNumber, toDayNumber, weekdayOf } from "../util/date.ts";
import { roundNoNegativeZero } from "../util/round.ts";
import { lowerBoundDay } from "../features/history_columns.ts";
import type { PricingPeriod } from "../util/period.ts";

/** One training row: the morning's snapshot, the day's price and what sold. */
export interface TrainingRow {
  /** The snapshot the daily job would have built that morning, from the days before only. */
  snapshot: FeatureSnapshot;
  /** The day's shelf price. */
  price: number;
  /** Whether the day was a promotion day. */
  promo: boolean;
  /** Units sold that day. */
  units: number;
  /** The day ended with no stock: sales understate demand. */
  censored: boolean;
  /**
   * Units sold on the same weekday a week before (the seasonal-naive forecast; on a weekly
   * store the week before), or null.
   */
  lastWeekUnits: number | null;
}

/** What the rolling pass reads for one SKU. */
export interface RollingInput {
  sku: string;
  /** Catalog records of the SKU, any order (the one in force each day is used). */
  catalog: readonly CatalogRecord[];
  history: SkuHistory;
  /** The SKU's latest closing stock dated before a day number, or null. */
  stockBefore(day: number): StockRecord | null;
  /** Elasticity to put in the rows (not re-estimated per day). */
  elasticity: {
    elasticity: number;
    se: number;
    raw: number | null;
    category: number;
    asOf: string;
    /** The estimate before the prior bounds, when they moved it. */
    unbounded?: number;
  };
}

/** Options of {@linkcode rollingRows}. */
export interface RollingOptions {
  /** First and last target day (ISO, inclusive). Default: the whole history. */
  from?: string;
  to?: string;
  /** Fewest days of history before a row is made. Default 28. */
  minHistoryDays?: number;
  /** The feature job's history window: `history_days` counts records within it. Default 365. */
  historyDays?: number;
  /**
   * The store's pricing period (default daily). On a weekly store `minHistoryDays` and
   * `historyDays` default to the period's (8 weeks, 728 days) and each snapshot carries
   * `period_days: 7`, as the feature job's do.
   */
  period?: PricingPeriod;
}

/** Options of {@linkcode rollingRows}: which days get a row. */
export interface RollingRowsOptions extends RollingOptions {
  /**
   * Indexes into the SKU's history of the days to build rows for, ascending, each one of
   * {@linkcode rollingDays}' (e.g. a sample of them). Default: all of them.
   */
  days?: ArrayLike<number>;
}

/**
 * The days of one SKU that make a training row: indexes into its history of the days in
 * [from, to] with at least `minHistoryDays` days before them in the history and a catalog
 * record in force that says active. Cheap: no snapshot is built, so a caller can choose
 * which of them {@linkcode rollingRows} builds (the history's `censored` and `promo` flags
 * say which would be left out of training).
 *
 * @param input The SKU's catalog records and history (its stock and elasticity unused).
 * @param options The target days and the minimum history.
 * @returns The indexes, ascending.
 *
 * @example Usage
 * ```ts
 * import { rollingDays } from "./rolling.ts";
 * import { toDayNumber } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const day = toDayNumber("2025-01-01");
 * const n = 40;
 * const history = {
 *   day: Int32Array.from({ length: n }, (_, i) => day + i), units: new Float64Array(n).fill(3),
 *   price: new Float64Array(n).fill(2.99), promo: new Uint8Array(n), censored: new Uint8Array(n),
 *   competitor: new Float64Array(n).fill(NaN),
 * };
 * const catalog = [{
 *   sku: "A1", effective_date: "2024-12-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true, reason: "observed", name: null,
 * } as const];
 * const days = rollingDays({ sku: "A1", catalog, history }, { to: "2025-02-05" });
 * assert.deepEqual([...days], [28, 29, 30, 31, 32, 33, 34, 35]); // the 29th day to the 5th
 * ```
 */
export function rollingDays(
  input: Pick<RollingInput, "sku" | "catalog" | "history">,
  options: RollingOptions = {},
): Int32Array {
  const h = input.history;
  const from = options.from ? toDayNumber(options.from) : -Infinity;
  const to = options.to ? toDayNumber(options.to) : Infinity;
  const weekly = options.period?.kind === "week";
  const minHistory = options.minHistoryDays ?? (weekly ? options.period!.minHistoryPeriods : 28);
  const terms = _termsByDay(input.catalog);
  const out: number[] = [];
  for (let i = minHistory; i < h.day.length; i++) {
    const day = h.day[i];
    if (day < from || day > to) continue;
    if (terms(day)?.active) out.push(i);
  }
  return Int32Array.from(out);
}

/** The catalog record in force on a day (the last effective before it), or undefined. */
function _termsByDay(
  records: readonly CatalogRecord[],
): (day: number) => CatalogRecord | undefined {
  const catalog = [...records].sort((a, b) =>
    a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : 0
  );
  const starts = Int32Array.from(catalog, (c) => toDayNumber(c.effective_date));
  // effective_date < date: the records effective up to the day before.
  return (day) => catalog[lowerBoundDay(starts, day) - 1];
}

/**
 * Builds the training rows of one SKU: one per day of {@linkcode rollingDays} (or of
 * `options.days`), by day.
 *
 * @param input The SKU's catalog records, history, closing stock and elasticity.
 * @param options The target days, the minimum history, the window and the days to build.
 * @returns The rows, by day.
 *
 * @example Usage
 * ```ts
 * import { rollingDays, rollingRows } from "./rolling.ts";
 * import { toDayNumber } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const day = toDayNumber("2025-01-01");
 * const n = 40;
 * const history = {
 *   day: Int32Array.from({ length: n }, (_, i) => day + i), units: new Float64Array(n).fill(3),
 *   price: new Float64Array(n).fill(2.99), promo: new Uint8Array(n), censored: new Uint8Array(n),
 *   competitor: new Float64Array(n).fill(NaN),
 * };
 * const input = {
 *   sku: "A1", history, stockBefore: () => null,
 *   catalog: [{
 *     sku: "A1", effective_date: "2024-12-01", category: "snacks", unit_cost: 1.5,
 *     floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *     price_ending: "9", active: true, reason: "observed", name: null,
 *   } as const],
 *   elasticity: { elasticity: -1.5, se: 0.3, raw: null, category: -1.5, asOf: "2024-12-29" },
 * };
 * const rows = rollingRows(input);
 * assert.equal(rows.length, 12);
 * assert.equal(rows[0].snapshot.run_date, "2025-01-29");
 * assert.equal(rows[0].snapshot.units_28, 84);
 * const days = rollingDays(input);
 * const one = rollingRows(input, { days: days.subarray(5, 6) });
 * assert.deepEqual(one, [rows[5]]);
 * ```
 */
export function rollingRows(input: RollingInput, options: RollingRowsOptions = {}): TrainingRow[] {
  const h = input.history;
  const weekly = options.period?.kind === "week";
  const window = options.historyDays ?? (weekly ? options.period!.historyDays : 365);
  const termsOf = _termsByDay(input.catalog);
  const days = options.days ?? rollingDays(input, options);
  const rows: TrainingRow[] = [];
  for (let d = 0; d < days.length; d++) {
    const i = days[d];
    const day = h.day[i];
    const date = fromDayNumber(day);
    const terms = termsOf(day)!;
    const s7 = lowerBoundDay(h.day, day - 7);
    const s28 = lowerBoundDay(h.day, day - 28);
    const s90 = lowerBoundDay(h.day, day - 90);
    const s91 = lowerBoundDay(h.day, day - 91);
    let u7 = 0, u28 = 0, u90 = 0, p28 = 0, so28 = 0, cu = 0, cp = 0, cn = 0;
    for (let j = s90; j < i; j++) {
      u90 += h.units[j];
      if (j >= s28) {
        u28 += h.units[j];
        p28 += h.price[j];
        so28 += h.censored[j];
        if (!h.promo[j] && !h.censored[j]) {
          cu += h.units[j];
          cp += h.price[j];
          cn++;
        }
      }
      if (j >= s7) u7 += h.units[j];
    }
    const dowSum = new Float64Array(7), dowN = new Float64Array(7);
    for (let j = s91; j < i; j++) {
      const w = weekdayOf(h.day[j]);
      dowSum[w] += h.units[j];
      dowN[w]++;
    }
    const means = Array.from(dowSum, (v, w) => (dowN[w] ? v / dowN[w] : NaN));
    const known = means.filter(Number.isFinite);
    const overall = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    const days28 = i - s28, days90 = i - s90;
    const rate28 = days28 ? u28 / days28 : 0;
    const rate90 = days90 ? u90 / days90 : 0;
    const lastPrice = h.price[i - 1];
    const inv = input.stockBefore(day);
    const comp = Number.isFinite(h.competitor[i - 1]) ? h.competitor[i - 1] : null;
    const e = input.elasticity;
    const snapshot: FeatureSnapshot = {
      run_date: date,
      sku: input.sku,
      category: terms.category,
      last_price: lastPrice,
      last_sales_date: fromDayNumber(h.day[i - 1]),
      unit_cost: terms.unit_cost,
      floor_price: terms.floor_price,
      ceiling_price: terms.ceiling_price,
      min_margin: terms.min_margin,
      max_daily_change: terms.max_daily_change,
      price_ending: terms.price_ending,
      on_hand: inv?.on_hand ?? null,
      on_order: inv?.on_order ?? null,
      next_receipt_date: inv?.next_receipt_date ?? null,
      days_of_cover: inv && rate28 > 0 ? roundNoNegativeZero(inv.on_hand / rate28, 3) : null,
      units_7: u7,
      units_28: u28,
      units_90: u90,
      trend_ratio: rate90 > 0 ? roundNoNegativeZero(rate28 / rate90, 6) : null,
      dow_profile: means.map((m) =>
        roundNoNegativeZero(overall > 0 && Number.isFinite(m) ? m / overall : 1, 6)
      ),
      price_rel_28: roundNoNegativeZero(days28 ? lastPrice / (p28 / days28) : 1, 6),
      competitor_price: comp,
      competitor_index: comp ? roundNoNegativeZero(lastPrice / comp, 6) : null,
      stockout_days_28: so28,
      base_units: roundNoNegativeZero(cn ? cu / cn : rate28, 6),
      base_price: roundNoNegativeZero(cn ? cp / cn : lastPrice, 4),
      history_days: i - lowerBoundDay(h.day, day - window),
      elasticity: e.elasticity,
      elasticity_se: e.se,
      elasticity_raw: e.raw,
      elasticity_category: e.category,
      elasticity_as_of: e.asOf,
    };
    // Appended in this order, as the feature job's snapshots hold them.
    if (e.unbounded !== undefined) snapshot.elasticity_unbounded = e.unbounded;
    if (weekly) snapshot.period_days = 7;
    const w = lowerBoundDay(h.day, day - 7);
    rows.push({
      snapshot,
      price: h.price[i],
      promo: h.promo[i] === 1,
      units: h.units[i],
      censored: h.censored[i] === 1,
      lastWeekUnits: w < i && h.day[w] === day - 7 ? h.units[w] : null,
    });
  }
  return rows;
}

/**
 * Gives a snapshot of {@linkcode rollingRows} another elasticity, in place: a row can be
 * built before its SKU's elasticity is known (e.g. shrunk toward its category's once every
 * SKU is read), then given it. The fields sit where `rollingRows` puts them.
 *
 * @param snapshot The snapshot, changed.
 * @param e The elasticity to put in it.
 *
 * @example Usage
 * ```ts
 * import { setElasticity } from "./rolling.ts";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import assert from "node:assert/strict";
 *
 * const s = { sku: "A1", elasticity: NaN, period_days: 7 } as unknown as FeatureSnapshot;
 * setElasticity(s, { elasticity: -2, se: 0.5, raw: -2.5, category: -1.5, asOf: "2025-01-05", unbounded: -5 });
 * assert.equal(s.elasticity, -2);
 * assert.deepEqual(Object.keys(s).slice(-2), ["elasticity_unbounded", "period_days"]);
 * ```
 */
export function setElasticity(snapshot: FeatureSnapshot, e: RollingInput["elasticity"]): void {
  snapshot.elasticity = e.elasticity;
  snapshot.elasticity_se = e.se;
  snapshot.elasticity_raw = e.raw;
  snapshot.elasticity_category = e.category;
  snapshot.elasticity_as_of = e.asOf;
  if ("elasticity_unbounded" in snapshot) {
    if (e.unbounded === undefined) delete snapshot.elasticity_unbounded;
    else snapshot.elasticity_unbounded = e.unbounded;
  } else if (e.unbounded !== undefined) {
    // Appended before period_days, as rollingRows orders them.
    const days = snapshot.period_days;
    if (days !== undefined) delete snapshot.period_days;
    snapshot.elasticity_unbounded = e.unbounded;
    if (days !== undefined) snapshot.period_days = days;
  }
}
