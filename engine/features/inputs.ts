/**
 * The inputs a feature job reads for a run date: only records dated before it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../schema/inputs.ts";
import { readCatalogBefore } from "../store/queries.ts";
import { cachedInputs } from "./input_cache.ts";
import { addDays } from "../util/date.ts";

/** Everything the feature job needs for one run date. */
export interface FeatureInputs {
  runDate: string;
  catalog: CatalogRecord[];
  /** Sorted by SKU then date, all dated before `runDate`. */
  sales: SalesRecord[];
  inventory: InventoryRecord[];
  competitor: CompetitorPriceRecord[];
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
  const from = addDays(runDate, -(options.historyDays ?? 365));
  const cached = cachedInputs(db);
  return {
    runDate,
    catalog: readCatalogBefore(db, runDate),
    sales: cached.sales(from, runDate),
    inventory: cached.inventory(from, runDate),
    competitor: cached.competitor(from, runDate),
  };
}
