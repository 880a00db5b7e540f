/**
 * The feature job: one {@linkcode FeatureSnapshot} per active SKU for a run
 * date, from inputs dated before it, each with a content-hash snapshot id.
 *
 * @module
 */
import type { FeatureSnapshot, SnapshotRow } from "../schema/features.ts";

import type { CatalogRecord } from "../schema/inputs.ts";
import {
  type ElasticityEstimate,
  estimateElasticity,
  type EstimateOptions,
  type SkuHistory,
} from "../elasticity/estimate.ts";
import { elasticityAnchor } from "../elasticity/weekly.ts";
import {
  type RawEstimate,
  type ShrinkOptions,
  shrinkToCategory,
  type ShrunkEstimate,
} from "../elasticity/shrink.ts";
import { canonicalJson, sha256Hex } from "../util/hash.ts";
import { fromDayNumber, toDayNumber } from "../util/date.ts";
import { roundNoNegativeZero } from "../util/round.ts";
import type { FeatureInputs } from "./inputs.ts";
import type { SkuInputs } from "./block_inputs.ts";
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
 *   price_ending: "9", active: true, reason: "observed", name: null,
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
  const { drafts, skipped } = draftSnapshots(inputs.runDate, inputs.catalog, inputs.skus, {
    ...options,
    historyDays: inputs.historyDays,
  });
  const shrunk = shrinkToCategory(drafts.map((d) => d.raw), options.shrink);
  return { ...finishSnapshots(drafts, shrunk), skipped };
}

/**
 * The options of a SKU's elasticity fit: on a weekly store a fit needs the period's
 * `minElasticityPeriods` weeks unless `elasticity.minDays` says otherwise.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { elasticityFitOptions } from "./snapshot.ts";
 *
 * assert.deepEqual(elasticityFitOptions({ elasticity: { minDays: 28 } }), { minDays: 28 });
 * ```
 */
export function elasticityFitOptions(options: BuildSnapshotsOptions): EstimateOptions | undefined {
  return options.period?.kind === "week"
    ? { minDays: options.period.minElasticityPeriods, ...options.elasticity }
    : options.elasticity;
}

/** A SKU's snapshot before its elasticity is shrunk toward its category's. */
export interface SnapshotDraft {
  /** Its features, but the elasticity's. */
  features: Omit<FeatureSnapshot, ElasticityField>;
  /** Its own elasticity estimate (fitted on the window that ends on the anchor Sunday). */
  raw: RawEstimate;
  /** The anchor's day number. */
  anchor: number;
}

/** The fields of a snapshot set once its elasticity is shrunk. */
export type ElasticityField =
  | "elasticity_unbounded"
  | "elasticity"
  | "elasticity_se"
  | "elasticity_raw"
  | "elasticity_category"
  | "elasticity_as_of";

/** A store of weekly elasticity fits the feature job reads before it fits, and fills. */
export interface FitCache {
  /** The stored fit of a SKU, if any. */
  get(sku: string): ElasticityEstimate | undefined;
  /** Keeps a fresh fit. */
  set(sku: string, fit: ElasticityEstimate): void;
}

/** Options of {@linkcode draftSnapshots}. */
export interface DraftOptions extends BuildSnapshotsOptions {
  /** Days of history in the window (the elasticity fit's). Default 365. */
  historyDays?: number;
  /** Where fits are looked up before fitting. Default: none (every SKU is fitted). */
  fits?: FitCache;
}

/**
 * The first half of the feature job, for any set of SKUs: the draft snapshot of each
 * active SKU of `catalog` with sales in `skus`, and the catalog's other SKUs as skipped.
 * Its drafts, with {@linkcode shrinkToCategory} over all of a category's SKUs, make the
 * snapshots (see {@linkcode finishSnapshots}), so a job can draft SKUs chunk by chunk.
 *
 * @param runDate The run date, `YYYY-MM-DD`.
 * @param catalog Catalog records in force before the run date (any order).
 * @param skus The SKUs' inputs (see `readSkuInputs`).
 * @param options The fit and window options, and a fit cache.
 * @returns The drafts and skipped SKUs, each by SKU.
 * @throws {RangeError} When an input is dated on or after the run date.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { draftSnapshots, toDayNumber, type SkuHistory } from "../mod.ts";
 *
 * const day = toDayNumber("2025-01-14");
 * const history: SkuHistory = {
 *   day: Int32Array.of(day), units: Float64Array.of(3), price: Float64Array.of(2.99),
 *   promo: new Uint8Array(1), censored: new Uint8Array(1), competitor: Float64Array.of(NaN),
 * };
 * const inputs = {
 *   history, historyBetween: () => history, inventory: () => [], stockBefore: () => null,
 *   lastInventory: null,
 *   lastCompetitor: null, decidedSince: null,
 * };
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true, reason: "observed", name: null,
 * } as const;
 * const { drafts, skipped } = draftSnapshots(
 *   "2025-01-15",
 *   [record, { ...record, sku: "B2" }],
 *   new Map([["A1", inputs]]),
 * );
 * assert.equal(drafts[0].features.units_7, 3);
 * assert.equal(drafts[0].raw.estimate, null); // one day identifies no elasticity
 * assert.deepEqual(skipped, [{ sku: "B2", reason: "no_sales_history" }]);
 * ```
 */
export function draftSnapshots(
  runDate: string,
  catalog: readonly CatalogRecord[],
  skus: ReadonlyMap<string, SkuInputs>,
  options: DraftOptions = {},
): { drafts: SnapshotDraft[]; skipped: SkippedSku[] } {
  const runDay = toDayNumber(runDate);
  const historyDays = options.historyDays ?? 365;
  const histories = new Map<string, SkuHistory>();
  for (const [sku, s] of skus) {
    if (s.history.day.length && s.history.day[s.history.day.length - 1] >= runDay) {
      throw new RangeError(
        `Cannot build snapshots for ${runDate}: input for ${sku} is dated ${
          fromDayNumber(s.history.day[s.history.day.length - 1])
        }, not before the run date`,
      );
    }
    histories.set(sku, s.history);
  }
  const skipped: SkippedSku[] = [];
  const active = [...catalog].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .filter((c) => {
      if (!c.active) skipped.push({ sku: c.sku, reason: "inactive" });
      else if (!histories.has(c.sku)) skipped.push({ sku: c.sku, reason: "no_sales_history" });
      else return true;
      return false;
    });
  const windows = windowStats(
    new Map(active.map((c) => [c.sku, histories.get(c.sku)!])),
    runDay,
  );
  // Elasticities move weekly: fitted on the window that ends on the anchor Sunday.
  const anchor = elasticityAnchor(runDay);
  const weekly = options.period?.kind === "week";
  const fitOptions = elasticityFitOptions(options);
  const drafts = active.map((c): SnapshotDraft => {
    const s = skus.get(c.sku)!;
    let e = options.fits?.get(c.sku);
    if (!e) {
      e = estimateElasticity(s.historyBetween(anchor + 1 - historyDays, anchor + 1), fitOptions);
      options.fits?.set(c.sku, e);
    }
    const raw = { sku: c.sku, category: c.category, estimate: e.estimate, se: e.se };
    const h = histories.get(c.sku)!;
    const w = windows.get(c.sku);
    const last = h.day.length - 1;
    // The shelf price now: the last observed one, or the one this engine decided since.
    const lastPrice = s.decidedSince?.price ?? h.price[last];
    const inv = s.lastInventory;
    const comp = s.lastCompetitor?.competitor_price ?? null;
    const rate28 = w && w.days28 > 0 ? w.units28 / w.days28 : 0;
    const rate90 = w && w.days90 > 0 ? w.units90 / w.days90 : 0;
    const features: SnapshotDraft["features"] = {
      run_date: runDate,
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
      history_days: s.salesDays ?? h.day.length,
    };
    // Price lines are part of the snapshot only when the catalog gives them.
    if (c.family != null) features.family = c.family;
    if (c.size != null) features.size = c.size;
    if (c.key_value_item) features.key_value_item = true;
    if (weekly) features.period_days = 7;
    return { features, raw, anchor };
  });
  return { drafts, skipped };
}

/**
 * The second half of the feature job: each draft with its shrunk elasticity, as a
 * snapshot identified by the sha256 of its canonical features JSON.
 *
 * @param drafts Drafts (see {@linkcode draftSnapshots}).
 * @param shrunk Their elasticities shrunk toward their categories', in the drafts' order.
 * @returns The snapshots and their features JSON, in the drafts' order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { finishSnapshots, shrinkToCategory, type SnapshotDraft } from "../mod.ts";
 *
 * const draft = {
 *   features: { sku: "A1", category: "snacks" },
 *   raw: { sku: "A1", category: "snacks", estimate: -2, se: 0.1 },
 *   anchor: 20000,
 * } as unknown as SnapshotDraft;
 * const { snapshots } = finishSnapshots([draft], shrinkToCategory([draft.raw]));
 * assert.equal(snapshots[0].features.elasticity_as_of, "2024-10-04");
 * assert.equal(snapshots[0].snapshot_id.length, 64);
 * ```
 */
export function finishSnapshots(
  drafts: readonly SnapshotDraft[],
  shrunk: readonly ShrunkEstimate[],
): Omit<SnapshotBuild, "skipped"> {
  const featuresJson: string[] = [];
  const snapshots = drafts.map((d, i): SnapshotRow => {
    const e = shrunk[i];
    if (e.sku !== d.features.sku) {
      throw new RangeError(
        `Cannot finish the snapshot of ${d.features.sku}: its shrunk elasticity is ${e.sku}'s`,
      );
    }
    const features = { ...d.features, ...elasticityFields(e, d.anchor) } as FeatureSnapshot;
    const json = canonicalJson(features);
    featuresJson.push(json);
    return {
      run_date: features.run_date,
      sku: features.sku,
      snapshot_id: sha256Hex(json),
      features,
    };
  });
  return { snapshots, featuresJson };
}

/**
 * The elasticity fields of a SKU's snapshot: its shrunk estimate, rounded as snapshots
 * hold it, fitted on the window that ends on the anchor day.
 *
 * @param e The SKU's estimate shrunk toward its category's.
 * @param anchor The anchor's day number (see `elasticityAnchor`).
 * @returns The fields, `elasticity_unbounded` only when the prior bounds moved it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { elasticityFields } from "./snapshot.ts";
 *
 * const e = { sku: "A1", elasticity: -2.1234567, se: 0, raw: null, category: -1.5 };
 * assert.deepEqual(elasticityFields(e, 20000), {
 *   elasticity: -2.123457, elasticity_se: 0.000001, elasticity_raw: null,
 *   elasticity_category: -1.5, elasticity_as_of: "2024-10-04",
 * });
 * ```
 */
export function elasticityFields(
  e: ShrunkEstimate,
  anchor: number,
): Pick<FeatureSnapshot, ElasticityField> {
  return {
    elasticity: roundNoNegativeZero(e.elasticity, 6),
    elasticity_se: roundNoNegativeZero(Math.max(e.se, 1e-6), 6),
    elasticity_raw: e.raw === null ? null : roundNoNegativeZero(e.raw, 6),
    elasticity_category: roundNoNegativeZero(e.category, 6),
    elasticity_as_of: fromDayNumber(anchor),
    ...(e.unbounded === undefined
      ? {}
      : { elasticity_unbounded: roundNoNegativeZero(e.unbounded, 6) }),
  };
}
