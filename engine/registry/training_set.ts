/**
 * The training set of a demand model: one row per (SKU, day) in a window,
 * each with the snapshot the daily job would have built that morning. Days
 * that ended in a stockout (censored sales) and store promotion days (a
 * display lift no future price carries) are left out.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { loadFeatureInputs } from "../features/inputs.ts";
import { buildSnapshots } from "../features/snapshot.ts";
import { rollingRows, type TrainingRow } from "../demand/rolling.ts";
import { readCatalogHistory, readPricingPeriod } from "../store/queries.ts";
import type { PricingPeriod } from "../util/period.ts";
import { addDays, daysBetween } from "../util/date.ts";
import type { CatalogRecord } from "../schema/inputs.ts";
import { InputError } from "../util/errors.ts";

/** A training set. */
export interface TrainingSet {
  /** First target day, `YYYY-MM-DD`. */
  from: string;
  /** Last target day, `YYYY-MM-DD` (inclusive). */
  to: string;
  /** Usable rows, by date then SKU. */
  rows: TrainingRow[];
  /** Category names in code order (the model's category feature). */
  categories: string[];
  /** Rows left out: days that ended in a stockout, and promotion days (not also censored). */
  excluded: { censored: number; promo: number };
  /** The store's pricing period (absent: daily); on a weekly store a row is a week. */
  period?: PricingPeriod;
}

/**
 * Builds the training set of target days [from, to] from the store: for every
 * active SKU and day, the snapshot the daily job would have built that morning
 * (from a year of history before it), the day's price and units. Days that ended
 * in a stockout and promotion days are left out; so are a SKU's first 28 days.
 *
 * @param db The store.
 * @param from First target day, `YYYY-MM-DD`.
 * @param to Last target day, `YYYY-MM-DD` (inclusive).
 * @returns The rows by date then SKU, the category names and what was left out.
 * @throws {RangeError} When `to` is before `from`.
 *
 * @example Usage
 * ```ts
 * import { loadTrainingSet } from "./training_set.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendCatalog, appendSales } from "../store/write/inputs.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * } as const]);
 * // 60 days of sales from 2025-01-01; 2025-02-20 is a promotion day
 * appendSales(db, Array.from({ length: 60 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *   promo: i === 50,
 * })));
 * const set = loadTrainingSet(db, "2025-02-20", "2025-02-28");
 * assert.equal(set.rows.length, 8);
 * assert.deepEqual(set.excluded, { censored: 0, promo: 1 });
 * assert.equal(set.rows[0].snapshot.run_date, "2025-02-21");
 * assert.deepEqual(set.categories, ["snacks"]);
 * db.close();
 * ```
 */
export function loadTrainingSet(db: DatabaseSync, from: string, to: string): TrainingSet {
  if (daysBetween(from, to) < 0) {
    throw new InputError(`Cannot build a training set from ${from} to ${to}: the window is empty`);
  }
  const end = addDays(to, 1);
  const period = readPricingPeriod(db);
  const weekly = period.kind === "week";
  // Every row needs the feature job's full window (365 days, 104 weeks) before its day.
  const inputs = loadFeatureInputs(db, end, {
    historyDays: daysBetween(from, end) + period.historyDays,
  });
  const elasticity = new Map(
    buildSnapshots(inputs, weekly ? { period } : {}).snapshots.map((s) => [s.sku, {
      elasticity: s.features.elasticity,
      se: s.features.elasticity_se,
      raw: s.features.elasticity_raw,
      category: s.features.elasticity_category,
      asOf: s.features.elasticity_as_of,
      unbounded: s.features.elasticity_unbounded,
    }]),
  );
  const catalog = groupBySku(readCatalogHistory(db, end));
  const all: TrainingRow[] = [];
  for (const [sku, s] of inputs.skus) {
    const e = elasticity.get(sku);
    if (!e) continue;
    all.push(...rollingRows({
      sku,
      catalog: catalog.get(sku) ?? [],
      history: s.history,
      inventory: s.inventory(),
      elasticity: e,
    }, weekly ? { from, to, period } : { from, to }));
  }
  const rows = all.filter((r) => !r.censored && !r.promo).sort((a, b) =>
    a.snapshot.run_date < b.snapshot.run_date
      ? -1
      : a.snapshot.run_date > b.snapshot.run_date
      ? 1
      : a.snapshot.sku < b.snapshot.sku
      ? -1
      : 1
  );
  const categories = [...new Set(inputs.catalog.map((c) => c.category))].sort();
  return {
    from,
    to,
    rows,
    categories,
    excluded: {
      censored: all.filter((r) => r.censored).length,
      promo: all.filter((r) => r.promo && !r.censored).length,
    },
    ...(weekly ? { period } : {}),
  };
}

function groupBySku<T extends CatalogRecord>(records: readonly T[]) {
  const out = new Map<string, T[]>();
  for (const r of records) {
    const list = out.get(r.sku);
    if (list) list.push(r);
    else out.set(r.sku, [r]);
  }
  return out;
}
