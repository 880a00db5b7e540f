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
import { readCatalogHistory } from "../store/queries.ts";
import { addDays, daysBetween } from "../util/date.ts";
import type { CatalogRecord } from "../schema/inputs.ts";
import { InputError } from "../util/errors.ts";

/** A training set. */
export interface TrainingSet {
  from: string;
  to: string;
  /** Usable rows, by date then SKU. */
  rows: TrainingRow[];
  /** Category names in code order (the model's category feature). */
  categories: string[];
  excluded: { censored: number; promo: number };
}

/** Builds the training set of target days [from, to] from the store. */
export function loadTrainingSet(db: DatabaseSync, from: string, to: string): TrainingSet {
  if (daysBetween(from, to) < 0) {
    throw new InputError(`Cannot build a training set from ${from} to ${to}: the window is empty`);
  }
  const end = addDays(to, 1);
  // Every row needs the feature job's full window (365 days) before its day.
  const inputs = loadFeatureInputs(db, end, { historyDays: daysBetween(from, end) + 365 });
  const elasticity = new Map(
    buildSnapshots(inputs).snapshots.map((s) => [s.sku, {
      elasticity: s.features.elasticity,
      se: s.features.elasticity_se,
      raw: s.features.elasticity_raw,
      category: s.features.elasticity_category,
      asOf: s.features.elasticity_as_of,
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
    }, { from, to }));
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
