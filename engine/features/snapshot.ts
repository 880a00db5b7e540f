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

/** A SKU the job could not build a snapshot for, and why. */
export interface SkippedSku {
  sku: string;
  reason: "inactive" | "no_sales_history";
}

/** Options of {@linkcode buildSnapshots}. */
export interface BuildSnapshotsOptions {
  elasticity?: EstimateOptions;
  shrink?: ShrinkOptions;
}

/** What the feature job produced. */
export interface SnapshotBuild {
  snapshots: SnapshotRow[];
  /** The canonical JSON of each snapshot's features (hashed into its id), for storing. */
  featuresJson: string[];
  skipped: SkippedSku[];
}

/** Builds the snapshots of `inputs.runDate` for every active SKU, sorted by SKU. */
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
  const shrunk = shrinkToCategory(
    active.map((c) => {
      const s = inputs.skus.get(c.sku)!;
      const from = anchor + 1 - inputs.historyDays;
      const h = s.historyBetween(from, anchor + 1);
      const e = estimateAsOf(h, anchor, options.elasticity, s.historyKey(from, anchor + 1));
      return { sku: c.sku, category: c.category, estimate: e.estimate, se: e.se };
    }),
    options.shrink,
  );
  const featuresJson: string[] = [];
  const snapshots = active.map((c, i): SnapshotRow => {
    const h = histories.get(c.sku)!;
    const w = windows.get(c.sku);
    const last = h.day.length - 1;
    const lastPrice = h.price[last];
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
    };
    // Price lines are part of the snapshot only when the catalog gives them.
    if (c.family != null) features.family = c.family;
    if (c.size != null) features.size = c.size;
    if (c.key_value_item) features.key_value_item = true;
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
