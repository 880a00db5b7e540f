/**
 * The inputs a feature job reads for a run date: only records dated before it,
 * read from the history blocks (see `syncHistory`), for every SKU at once or
 * for a chunk of SKUs.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { CatalogRecord } from "../schema/inputs.ts";
import { elasticityAnchor } from "../elasticity/weekly.ts";
import { cachedCatalog } from "../store/incremental/catalog.ts";
import {
  historyBehind,
  readHistoryBlocks,
  readHistorySkus,
  readRecentHistory,
  type RecentHistory,
} from "../store/history/read.ts";
import {
  type Block,
  HAS_COMPETITOR,
  HAS_SALES,
  HAS_STOCK,
  monthOf,
  monthStart,
} from "../store/history/block.ts";
import { syncHistory } from "../store/history/sync.ts";
import { addDays, toDayNumber } from "../util/date.ts";
import { InputError } from "../util/errors.ts";
import { type SkuInputs, skuInputsOf } from "./block_inputs.ts";

/** Everything the feature job needs for one run date. */
export interface FeatureInputs {
  /** The run date, `YYYY-MM-DD`. */
  runDate: string;
  /** First date of the window: `runDate` minus `historyDays`. */
  from: string;
  /** Days in the window. */
  historyDays: number;
  /** Per SKU, its catalog record in force before the run date. */
  catalog: CatalogRecord[];
  /** Every SKU with sales in the window, sorted by SKU. */
  skus: ReadonlyMap<string, SkuInputs>;
}

/** Options of {@linkcode loadFeatureInputs} and {@linkcode readSkuInputs}. */
export interface LoadInputsOptions {
  /** Days of history to read (the elasticity window). Default 365. */
  historyDays?: number;
}

/** Options of {@linkcode readSkuInputs}. */
export interface ReadSkuInputsOptions extends LoadInputsOptions {
  /**
   * SKUs whose elasticity fit is stored: for them only the recent months are unpacked
   * (those the window aggregates need, {@linkcode RECENT_DAYS} days and more) with the
   * count of earlier sales days, and `history` holds only those days (see
   * `SkuInputs.salesDays`). A SKU whose recent months lack a sales day, a closing stock
   * or a competitor price is read whole, so that its latest ones are the whole window's.
   */
  fitted?: ReadonlySet<string>;
}

/** Days before the run date the snapshot's window aggregates read (the weekday profile's 91). */
export const RECENT_DAYS = 91;

/** The window of a run date: [fromDay, runDay), and the span read to cover the fit's window too. */
export interface InputWindow {
  /** The run date's day number. */
  runDay: number;
  /** First day of the window. */
  fromDay: number;
  /** First day read: the window of the elasticity fit, which ends on the anchor, starts there. */
  readFromDay: number;
  /** Days in the window. */
  historyDays: number;
}

/**
 * The window of `runDate` over `historyDays` days (default 365).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputWindow, toDayNumber } from "../mod.ts";
 *
 * const w = inputWindow("2025-01-15", { historyDays: 28 });
 * assert.equal(w.runDay - w.fromDay, 28);
 * assert.equal(w.readFromDay, toDayNumber("2025-01-12") + 1 - 28); // the fit ends on Sunday the 12th
 * ```
 */
export function inputWindow(runDate: string, options: LoadInputsOptions = {}): InputWindow {
  const historyDays = options.historyDays ?? 365;
  if (!Number.isInteger(historyDays) || historyDays < 1) {
    throw new InputError(
      `Cannot read feature inputs for ${runDate} over ${historyDays} days: expected a whole number >= 1`,
    );
  }
  const runDay = toDayNumber(runDate);
  return {
    runDay,
    fromDay: runDay - historyDays,
    readFromDay: Math.min(runDay, elasticityAnchor(runDay) + 1) - historyDays,
    historyDays,
  };
}

/**
 * The inputs of `skus` for `runDate` (SKUs without sales in the window are left out),
 * from the history blocks as of the last sync.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, openStore, readSkuInputs, syncHistory } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{ sku: "A1", date: "2025-01-14", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false }]);
 * syncHistory(db);
 * const inputs = readSkuInputs(db, "2025-01-15", ["A1", "B2"]);
 * assert.deepEqual([...inputs.keys()], ["A1"]);
 * assert.deepEqual([...inputs.get("A1")!.history.units], [3]);
 * ```
 */
export function readSkuInputs(
  db: DatabaseSync,
  runDate: string,
  skus: readonly string[],
  options: ReadSkuInputsOptions = {},
): Map<string, SkuInputs> {
  const w = inputWindow(runDate, options);
  // The recent part starts on the first of the month of the aggregates' first day.
  const splitDay = monthStart(monthOf(w.runDay - RECENT_DAYS));
  const fitted = options.fitted && splitDay > w.fromDay
    ? skus.filter((s) => options.fitted!.has(s))
    : [];
  const recent = fitted.length
    ? readRecentHistory(db, fitted, w.fromDay, splitDay, w.runDay)
    : new Map<string, RecentHistory>();
  const whole = (all: readonly string[]) => readHistoryBlocks(db, all, w.readFromDay, w.runDay);
  const full = whole(fitted.length ? skus.filter((s) => !recent.has(s)) : skus);
  const out = new Map<string, SkuInputs>();
  for (const sku of skus) {
    const r = recent.get(sku);
    let inputs: SkuInputs | null = null;
    if (r && hasLatestFacts(r.block)) {
      inputs = skuInputsOf(db, sku, r.block, {
        ...w,
        readFromDay: splitDay,
        salesDaysBefore: r.salesDaysBefore,
      });
    } else {
      const block = r ? whole([sku]).get(sku) : full.get(sku);
      if (block) inputs = skuInputsOf(db, sku, block, w);
    }
    if (inputs) out.set(sku, inputs);
  }
  return out;
}

/** Whether a block has a sales day, a closing stock and a competitor price. */
function hasLatestFacts(b: Block): boolean {
  let seen = 0;
  for (let i = b.flags.length - 1; i >= 0 && (seen & 7) !== 7; i--) seen |= b.flags[i];
  return (seen & (HAS_SALES | HAS_STOCK | HAS_COMPETITOR)) ===
    (HAS_SALES | HAS_STOCK | HAS_COMPETITOR);
}

/**
 * Reads the inputs of run date `runDate` for every SKU: records dated in
 * [runDate - historyDays, runDate), corrections applied. Brings the history blocks up
 * to date first when rows were appended since the last sync (a cache write).
 *
 * @param db The store.
 * @param runDate The run date, `YYYY-MM-DD`.
 * @param options `historyDays` (default 365).
 * @returns The catalog before the run date and every SKU's inputs.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, loadFeatureInputs, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const sale = { sku: "A1", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false };
 * appendSales(db, [{ ...sale, date: "2025-01-13" }, { ...sale, date: "2025-01-14" }]);
 * const inputs = loadFeatureInputs(db, "2025-01-14");
 * assert.deepEqual([...inputs.skus.get("A1")!.history.units], [3]); // the 14th is not before it
 * ```
 */
export function loadFeatureInputs(
  db: DatabaseSync,
  runDate: string,
  options: LoadInputsOptions = {},
): FeatureInputs {
  const w = inputWindow(runDate, options);
  if (historyBehind(db)) syncHistory(db);
  const skus = readSkuInputs(db, runDate, readHistorySkus(db, w.readFromDay, w.runDay), options);
  return {
    runDate,
    from: addDays(runDate, -w.historyDays),
    historyDays: w.historyDays,
    catalog: cachedCatalog(db).before(runDate),
    skus,
  };
}
