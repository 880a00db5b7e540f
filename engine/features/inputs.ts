/**
 * The inputs a feature job reads for a run date: only records dated before it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { SkuHistory } from "../elasticity/estimate.ts";
import type { CatalogRecord, CompetitorPriceRecord, InventoryRecord } from "../schema/inputs.ts";
import { cachedCatalog } from "../store/incremental/catalog.ts";
import { readLastDecidedPrice } from "../store/queries.ts";
import { cachedHistories } from "./history_cache.ts";
import { addDays, fromDayNumber, toDayNumber } from "../util/date.ts";
import { InputError } from "../util/errors.ts";

/** One SKU's inputs before the run date. */
export interface SkuInputs {
  /** Its sales in the window, joined with each day's stockout flag and competitor price. */
  history: SkuHistory;
  /**
   * Its joined history of the days in [fromDay, toDay), any span before the run date
   * (e.g. a window that ends on an earlier anchor day). RangeError when `toDay` is
   * after the run date.
   */
  historyBetween(fromDay: number, toDay: number): SkuHistory;
  /** An identity of the rows `historyBetween` gives: equal keys mean equal rows (a memo key). */
  historyKey(fromDay: number, toDay: number): string;
  /** Its inventory records in the window, by date. */
  inventory(): InventoryRecord[];
  /** Its latest inventory record in the window, or null. */
  lastInventory: InventoryRecord | null;
  /** Its latest competitor price in the window, or null. */
  lastCompetitor: CompetitorPriceRecord | null;
  /**
   * The price this engine decided for a day after its last sales date (its sales for that
   * day are not in yet), or null: then that price, not the last observed one, is on the shelf.
   */
  decidedSince: { run_date: string; price: number } | null;
}

/** Everything the feature job needs for one run date. */
export interface FeatureInputs {
  runDate: string;
  /** First date of the window: `runDate` minus `historyDays`. */
  from: string;
  historyDays: number;
  catalog: CatalogRecord[];
  /** Every SKU with sales in the window, sorted by SKU. */
  skus: ReadonlyMap<string, SkuInputs>;
}

/** Options of {@linkcode loadFeatureInputs}. */
export interface LoadInputsOptions {
  /** Days of history to read (the elasticity window). Default 365. */
  historyDays?: number;
}

/**
 * Reads the inputs of run date `runDate`: records dated in [runDate - historyDays, runDate),
 * corrections applied. Repeated reads of one open store are incremental.
 */
export function loadFeatureInputs(
  db: DatabaseSync,
  runDate: string,
  options: LoadInputsOptions = {},
): FeatureInputs {
  const historyDays = options.historyDays ?? 365;
  if (!Number.isInteger(historyDays) || historyDays < 1) {
    throw new InputError(
      `Cannot read feature inputs for ${runDate} over ${historyDays} days: expected a whole number >= 1`,
    );
  }
  const runDay = toDayNumber(runDate);
  const from = addDays(runDate, -historyDays);
  const fromDay = runDay - historyDays;
  const cached = cachedHistories(db);
  const { inventory, competitor } = cached.rows;
  const skus = new Map<string, SkuInputs>();
  for (const sku of cached.rows.sales.skus()) {
    const history = cached.history(sku, fromDay, runDay);
    if (history.day.length === 0) continue;
    skus.set(sku, {
      history,
      historyBetween(a, b) {
        if (b > runDay) {
          throw new RangeError(
            `Cannot read ${sku}'s history up to ${
              fromDayNumber(b)
            }: the inputs of ${runDate} end before it`,
          );
        }
        return cached.history(sku, a, b);
      },
      historyKey: (a, b) => cached.historyKey(sku, a, b),
      inventory: () => inventory.of(sku, from, runDate),
      lastInventory: inventory.latest(sku, from, runDate),
      lastCompetitor: competitor.latest(sku, from, runDate),
      decidedSince: history.day[history.day.length - 1] < runDay - 1
        ? readLastDecidedPrice(db, sku, fromDayNumber(history.day[history.day.length - 1]), runDate)
        : null,
    });
  }
  return { runDate, from, historyDays, catalog: cachedCatalog(db).before(runDate), skus };
}
