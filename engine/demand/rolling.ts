/**
 * Training rows: for every (SKU, day) of a history, the feature snapshot the
 * daily job would have built that morning, from the days before only, plus the
 * price and units of the day. One rolling pass per SKU instead of one feature
 * job per date; a test checks it agrees with `buildSnapshots()`.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { CatalogRecord, InventoryRecord } from "../schema/inputs.ts";
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
  /** The SKU's inventory records by date. */
  inventory: readonly InventoryRecord[];
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

/** Builds the training rows of one SKU. */
export function rollingRows(input: RollingInput, options: RollingOptions = {}): TrainingRow[] {
  const h = input.history;
  const n = h.day.length;
  const from = options.from ? toDayNumber(options.from) : -Infinity;
  const to = options.to ? toDayNumber(options.to) : Infinity;
  const weekly = options.period?.kind === "week";
  const minHistory = options.minHistoryDays ?? (weekly ? options.period!.minHistoryPeriods : 28);
  const window = options.historyDays ?? (weekly ? options.period!.historyDays : 365);
  const catalog = [...input.catalog].sort((a, b) =>
    a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : 0
  );
  const invDays = Int32Array.from(input.inventory, (r) => toDayNumber(r.date));
  const rows: TrainingRow[] = [];
  for (let i = minHistory; i < n; i++) {
    const day = h.day[i];
    if (day < from || day > to) continue;
    const date = fromDayNumber(day);
    const terms = catalog.filter((c) => c.effective_date < date).at(-1);
    if (!terms || !terms.active) continue;
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
    const k = lowerBoundDay(invDays, day) - 1;
    const inv = k >= 0 ? input.inventory[k] : null;
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
      ...(e.unbounded === undefined ? {} : { elasticity_unbounded: e.unbounded }),
      ...(weekly ? { period_days: 7 as const } : {}),
    };
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
