/**
 * The feature job over a whole catalog in bounded memory: SKUs are read and
 * drafted chunk by chunk from the history blocks (a chunk's history is dropped
 * before the next is read), weekly elasticity fits come from the store when it
 * has them, and the drafts of every SKU are shrunk toward their categories at
 * the end. Only the drafts (a few hundred bytes per SKU) outlive a chunk.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CatalogRecord } from "../schema/inputs.ts";
import type { ElasticityEstimate } from "../elasticity/estimate.ts";
import { elasticityAnchor } from "../elasticity/weekly.ts";
import { shrinkToCategory, type ShrunkEstimate } from "../elasticity/shrink.ts";
import { readElasticityFits, type StoredFit } from "../store/history/fits.ts";
import { toDayNumber } from "../util/date.ts";
import { readSkuInputs } from "./inputs.ts";
import type { SkuInputs } from "./block_inputs.ts";
import {
  type BuildSnapshotsOptions,
  draftSnapshots,
  elasticityFitOptions,
  type SkippedSku,
  type SnapshotDraft,
} from "./snapshot.ts";

/** Options of {@linkcode draftCatalog}. */
export interface FeatureJobOptions extends BuildSnapshotsOptions {
  /** Days of history in the window. Default 365. */
  historyDays?: number;
  /** SKUs read and drafted at a time. Default 5,000. */
  chunkSkus?: number;
  /** Called after each chunk with the SKUs drafted so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Called with each chunk's inputs before they are dropped, for work that reads the same
   * history (e.g. training rows).
   */
  onChunk?: (inputs: ReadonlyMap<string, SkuInputs>) => void;
}

/** What {@linkcode draftCatalog} produced. */
export interface CatalogDrafts {
  /** One draft per active SKU with sales in the window, by SKU. */
  drafts: SnapshotDraft[];
  /** Their elasticities shrunk toward their categories', in the drafts' order. */
  shrunk: ShrunkEstimate[];
  /** The catalog's SKUs without a draft, and why, by SKU. */
  skipped: SkippedSku[];
  /** The fits made by this job (the store had none for them), to keep. */
  newFits: StoredFit[];
  /** The key the fits are stored under. */
  fitKey: { anchor: number; windowDays: number; optionsKey: string };
}

/**
 * The key of a fit's options: the same options give the same key, in any order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitOptionsKey } from "./job.ts";
 *
 * assert.equal(fitOptionsKey({}), fitOptionsKey({ minDays: 56, minLogPriceSd: 0.01 }));
 * assert.notEqual(fitOptionsKey({ minDays: 28 }), fitOptionsKey({}));
 * ```
 */
export function fitOptionsKey(options: BuildSnapshotsOptions["elasticity"] = {}): string {
  return JSON.stringify({
    v: 1,
    minDays: options.minDays ?? 56,
    minLogPriceSd: options.minLogPriceSd ?? 0.01,
  });
}

/**
 * Drafts the snapshot of every SKU of `catalog` for `runDate`, reading the history
 * blocks `chunkSkus` SKUs at a time, and shrinks their elasticities. The history
 * blocks must be up to date (see `syncHistory`).
 *
 * @param db The store.
 * @param runDate The run date, `YYYY-MM-DD`.
 * @param catalog The catalog records in force before the run date to draft.
 * @param options Window, chunk size, fit and shrinkage options.
 * @returns The drafts with their shrunk elasticities, the skipped SKUs and the new fits.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { addDays, appendCatalog, appendSales, draftCatalog, finishSnapshots, openStore, syncHistory } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5,
 *   floor_price: 1.99, ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2,
 *   price_ending: "9", active: true, reason: "observed", name: null,
 * } as const;
 * appendCatalog(db, [record]);
 * appendSales(db, Array.from({ length: 14 }, (_, i) => ({
 *   sku: "A1", date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *   promo: false,
 * })));
 * syncHistory(db);
 * const job = draftCatalog(db, "2025-01-15", [record], { chunkSkus: 1 });
 * const { snapshots } = finishSnapshots(job.drafts, job.shrunk);
 * assert.equal(snapshots[0].features.units_7, 70);
 * assert.equal(job.newFits.length, 1);
 * ```
 */
export function draftCatalog(
  db: DatabaseSync,
  runDate: string,
  catalog: readonly CatalogRecord[],
  options: FeatureJobOptions = {},
): CatalogDrafts {
  const historyDays = options.historyDays ?? 365;
  const size = options.chunkSkus ?? 5_000;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Cannot draft features in chunks of ${size} SKUs: expected >= 1`);
  }
  const fitKey = {
    anchor: elasticityAnchor(toDayNumber(runDate)),
    windowDays: historyDays,
    optionsKey: fitOptionsKey(elasticityFitOptions(options)),
  };
  const sorted = [...catalog].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const drafts: SnapshotDraft[] = [];
  const skipped: SkippedSku[] = [];
  const newFits: StoredFit[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const chunk = sorted.slice(i, i + size);
    const active = chunk.filter((c) => c.active).map((c) => c.sku);
    // SKUs with a stored fit need only the recent months (unless the chunk's whole history
    // is asked for, e.g. for training rows).
    const stored = readElasticityFits(db, fitKey, active);
    const inputs = readSkuInputs(db, runDate, active, {
      historyDays,
      ...(options.onChunk ? {} : { fitted: new Set(stored.keys()) }),
    });
    const part = draftSnapshots(runDate, chunk, inputs, {
      ...options,
      historyDays,
      fits: {
        get: (sku) => {
          const f = stored.get(sku);
          return f && {
            estimate: f.estimate,
            se: f.se,
            n: f.n,
            ...(f.note === null ? {} : { note: f.note as ElasticityEstimate["note"] }),
          };
        },
        set: (sku, e) =>
          newFits.push({ sku, estimate: e.estimate, se: e.se, n: e.n, note: e.note ?? null }),
      },
    });
    drafts.push(...part.drafts);
    skipped.push(...part.skipped);
    options.onChunk?.(inputs);
    options.onProgress?.(Math.min(i + size, sorted.length), sorted.length);
  }
  const shrunk = shrinkToCategory(drafts.map((d) => d.raw), options.shrink);
  return { drafts, shrunk, skipped, newFits, fitKey };
}
