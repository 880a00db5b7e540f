/**
 * The feature job: one {@linkcode FeatureSnapshot} per active SKU for a run
 * date, from inputs dated before it, each with a content-hash snapshot id.
 *
 * @module
 */
import type { FeatureSnapshot, SnapshotRow } from "../schema/features.ts";

import type { EstimateOptions, SkuHistory } from "../elasticity/estimate.ts";
import { elasticityAnchor, estimateAsOf } from "../elasticity/weekly.ts";
import { type ShrinkOptions, shrinkToCategory } from "../elasticity/shrink.ts";
import { canonicalJson, sha256Hex } from "../util/hash.ts";
import { fromDayNumber, toDayNumber } from "../util/date.ts";
import { roundNoNegativeZero } from "../util/round.ts";
import type { FeatureInputs } from "./inputs.ts";
import { windowStats } from "./window.ts";
import type { PricingPeriod } from "../util/period.ts";

/** A SKU the job could not build a snapshot for, and why. */
export interface SkippedSku {
  /** The SKU. */
  sku: string;
  /** `inactive` in the catalog, or no sales in the history window. */
  reason: "inactive" | "no_sales_history";
}

/** Options of {@linkcode buildSnapshots}. */
export interface BuildSnapshotsOptions {
  /** Options of each SKU's elasticity fit (see `estimateElasticity`). */
  elasticity?: EstimateOptions;
  /** Options of the shrinkage toward the category (see `shrinkToCategory`). */
  shrink?: ShrinkOptions;
  /**
   * The store's pricing period (default daily). On a weekly store an elasticity fit needs
   * `minElasticityPeriods` weeks and every snapshot carries `period_days: 7`.
   */
  period?: PricingPeriod;
}

/** What the feature job produced. */
export interface SnapshotBuild {
  /** One snapshot per active SKU with sales history, by SKU. */
  snapshots: SnapshotRow[];
  /** The canonical JSON of each snapshot's features (hashed into its id), for storing. */
  featuresJson: string[];
  /** The catalog's SKUs without a snapshot, and why. */
  skipped: SkippedSku[];
}

/**
 * The feature job: builds the snapshot of `inputs.runDate` for every active SKU
 * with sales history, each identified by the sha256 of its canonical features JSON.
 * Elasticities are fitted on the history up to the Sunday before the run date and
 * shrunk toward their category's.
 *
 * @param inputs What `loadFeatureInputs` read for the run date.
 * @param options Options of the elasticity fit and the shrinkage.
 * @returns The snapshots by SKU, their features JSON and the SKUs skipped.
 * @throws {RangeError} When an input is dated on or after the run date.
 *
 * @example Usage
 * ```ts
 * import { buildSnapshots } from "./snapshot.ts";
 * import { loadFeatureInputs } from "./inputs.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendCatalog, appendSales } from "../store/write/inputs.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, [record, { ...record, sku: "B2", active: false }]);
 * appendSales(db, Array.from({ length: 14 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *   promo: false,
 * })));
 * const { snapshots, skipped } = buildSnapshots(loadFeatureInputs(db, "2025-01-15"));
 * assert.equal(snapshots.length, 1);
 * assert.equal(snapshots[0].features.units_7, 70);
 * assert.equal(snapshots[0].features.elasticity_as_of, "2025-01-12");
 * assert.deepEqual(skipped, [{ sku: "B2", reason: "inactive" }]);
 * db.close();
 * ```
 */
export function buildSnapshots(
  inputs: FeatureInputs,
  options: BuildSnapshotsOptions = {},
): SnapshotBuild {
  const runDay = toDayNumber(inputs.runDate);
  const histories = new Map<string, SkuHistory>();
  for (const [sku, s] of inputs.skus) {
    if (s.history.day.length && s.history.day[s.history.day.length - 1] >= runDay) {
      throw new RangeError(
        `Cannot build snapshots for ${inputs.runDate}: input for ${sku} is dated ${
          fromDayNumber(s.history.day[s.history.day.length - 1])
        }, not before the run date`,
      );
    }
    histories.set(sku, s.history);
  }
  const windows = windowStats(histories, runDay);
  const skipped: SkippedSku[] = [];
  const active = [...inputs.catalog].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .filter((c) => {
      if (!c.active) skipped.push({ sku: c.sku, reason: "inactive" });
      else if (!histories.has(c.sku)) skipped.push({ sku: c.sku, reason: "no_sales_history" });
      else return true;
      return false;
    });
  // Elasticities move weekly: fitted on the window that ends on the anchor Sunday.
  const anchor = elasticityAnchor(runDay);
  const weekly = options.period?.kind === "week";
  const fitOptions = weekly
    ? { minDays: options.period!.minElasticityPeriods, ...options.elasticity }
    : options.elasticity;
  const shrunk = shrinkToCategory(
    active.map((c) => {
      const s = inputs.skus.get(c.sku)!;
      const from = anchor + 1 - inputs.historyDays;
      const h = s.historyBetween(from, anchor + 1);
      const e = estimateAsOf(h, anchor, fitOptions, s.historyKey(from, anchor + 1));
      return { sku: c.sku, category: c.category, estimate: e.estimate, se: e.se };
    }),
    options.shrink,
  );
  const featuresJson: string[] = [];
  const snapshots = active.map((c, i): SnapshotRow => {
    const h = histories.get(c.sku)!;
    const w = windows.get(c.sku);
    const last = h.day.length - 1;
    // The shelf price now: the last observed one, or the one this engine decided since.
    const lastPrice = inputs.skus.get(c.sku)!.decidedSince?.price ?? h.price[last];
    const inv = inputs.skus.get(c.sku)!.lastInventory;
    const comp = inputs.skus.get(c.sku)!.lastCompetitor?.competitor_price ?? null;
    const rate28 = w && w.days28 > 0 ? w.units28 / w.days28 : 0;
    const rate90 = w && w.days90 > 0 ? w.units90 / w.days90 : 0;
    const e = shrunk[i];
    const features: FeatureSnapshot = {
      run_date: inputs.runDate,
      sku: c.sku,
      category: c.category,
      last_price: lastPrice,
      last_sales_date: fromDayNumber(h.day[last]),
      unit_cost: c.unit_cost,
      floor_price: c.floor_price,
      ceiling_price: c.ceiling_price,
      min_margin: c.min_margin,
      max_daily_change: c.max_daily_change,
      price_ending: c.price_ending,
      on_hand: inv?.on_hand ?? null,
      on_order: inv?.on_order ?? null,
      next_receipt_date: inv?.next_receipt_date ?? null,
      days_of_cover: inv && rate28 > 0 ? roundNoNegativeZero(inv.on_hand / rate28, 3) : null,
      units_7: w?.units7 ?? 0,
      units_28: w?.units28 ?? 0,
      units_90: w?.units90 ?? 0,
      trend_ratio: rate90 > 0 ? roundNoNegativeZero(rate28 / rate90, 6) : null,
      dow_profile: (w?.dowProfile ?? new Array(7).fill(1)).map((x) => roundNoNegativeZero(x, 6)),
      price_rel_28: roundNoNegativeZero(w?.priceMean28 ? lastPrice / w.priceMean28 : 1, 6),
      competitor_price: comp,
      competitor_index: comp ? roundNoNegativeZero(lastPrice / comp, 6) : null,
      stockout_days_28: w?.stockoutDays28 ?? 0,
      base_units: roundNoNegativeZero(w?.baseUnits ?? rate28, 6),
      base_price: roundNoNegativeZero(w?.basePrice ?? lastPrice, 4),
      history_days: h.day.length,
      elasticity: roundNoNegativeZero(e.elasticity, 6),
      elasticity_se: roundNoNegativeZero(Math.max(e.se, 1e-6), 6),
      elasticity_raw: e.raw === null ? null : roundNoNegativeZero(e.raw, 6),
      elasticity_category: roundNoNegativeZero(e.category, 6),
      elasticity_as_of: fromDayNumber(anchor),
      ...(e.unbounded === undefined
        ? {}
        : { elasticity_unbounded: roundNoNegativeZero(e.unbounded, 6) }),
      ...(weekly ? { period_days: 7 as const } : {}),
    };
    const json = canonicalJson(features);
    featuresJson.push(json);
    return {
      run_date: inputs.runDate,
      sku: c.sku,
      snapshot_id: sha256Hex(json),
      features,
    };
  });
  return { snapshots, featuresJson, skipped };
}
