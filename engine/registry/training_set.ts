/**
 * The training set of a demand model: one row per (SKU, day) in a window,
 * each with the snapshot the daily job would have built that morning. Days
 * that ended in a stockout (censored sales) and store promotion days (a
 * display lift no future price carries) are left out.
 *
 * A store of any size is read in bounded memory: {@linkcode scanTrainingSet} fits
 * the SKUs' elasticities chunk by chunk of SKUs (the feature job's `draftCatalog`),
 * then gives the rows chunk by chunk, each SKU's usable days optionally sampled
 * ({@linkcode sampleDays}: seeded, stratified by SKU, so the sample does not depend on
 * the chunk size) before any snapshot is built.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { draftCatalog } from "../features/job.ts";
import { readSkuInputs } from "../features/inputs.ts";
import { elasticityFields } from "../features/snapshot.ts";
import {
  rollingDays,
  type RollingInput,
  type RollingOptions,
  rollingRows,
  setElasticity,
  type TrainingRow,
} from "../demand/rolling.ts";
import type { SkuInputs } from "../features/block_inputs.ts";
import { cachedCatalog } from "../store/incremental/catalog.ts";
import { historyBehind } from "../store/history/read.ts";
import { syncHistory } from "../store/history/sync.ts";
import { readCatalogHistory, readPricingPeriod } from "../store/queries.ts";
import type { PricingPeriod } from "../util/period.ts";
import { addDays, daysBetween } from "../util/date.ts";
import { mix32 } from "../util/random.ts";
import type { CatalogRecord } from "../schema/inputs.ts";
import { InputError } from "../util/errors.ts";

/** A training set. */
export interface TrainingSet {
  /** First target day, `YYYY-MM-DD`. */
  from: string;
  /** Last target day, `YYYY-MM-DD` (inclusive). */
  to: string;
  /** Usable rows (all, or the sample asked for), by date then SKU. */
  rows: TrainingRow[];
  /** Category names in code order (the model's category feature). */
  categories: string[];
  /** Rows left out: days that ended in a stockout, and promotion days (not also censored). */
  excluded: { censored: number; promo: number };
  /** The store's pricing period (absent: daily); on a weekly store a row is a week. */
  period?: PricingPeriod;
  /** Usable rows before sampling; present only when `rows` is a sample of fewer. */
  available?: number;
}

/** Rows a model trains on at most by default: more are sampled (see {@linkcode sampleDays}). */
export const DEFAULT_MAX_FIT_ROWS = 500_000;

/** Options of {@linkcode scanTrainingSet}. */
export interface TrainingScanOptions {
  /** SKUs read at a time. Default 2,000. */
  chunkSkus?: number;
  /** What the scan is doing, for logs. */
  onProgress?: (message: string) => void;
  /**
   * Rows of the whole window to read in the pass that fits the elasticities (one read of
   * the history instead of two; see `TrainingScan.rows`): given the number of SKUs that
   * can have rows at most (the catalog's active ones), the picker of each SKU's days, or
   * undefined for all of them. Default: no rows read then.
   */
  withRows?: (skus: number) => DayPicker | undefined;
}

/** Chooses which of a SKU's usable days (not censored, not a promotion) get a row. */
export type DayPicker = (sku: string, days: Int32Array) => ArrayLike<number>;

/** The rows of one chunk of SKUs. */
export interface TrainingChunk {
  /** The rows picked (all usable ones without a picker), by SKU then date. */
  rows: TrainingRow[];
  /** Usable rows before picking. */
  usable: number;
  /** Rows left out as days that ended in a stockout. */
  censored: number;
  /** Rows left out as promotion days (not also censored). */
  promo: number;
}

/** Options of {@linkcode TrainingScan.chunks}. */
export interface ChunkOptions {
  /** First target day. Default: the scan's. */
  from?: string;
  /** Last target day (inclusive). Default: the scan's. */
  to?: string;
  /**
   * Given a SKU and the day numbers of its usable days (ascending), the positions among
   * them to build rows for (ascending). Default: all.
   */
  pick?: DayPicker;
}

/** A training window whose rows are read chunk by chunk of SKUs. */
export interface TrainingScan {
  /** First target day, `YYYY-MM-DD`. */
  from: string;
  /** Last target day, `YYYY-MM-DD` (inclusive). */
  to: string;
  /** Category names in code order (the model's category feature). */
  categories: string[];
  /** The store's pricing period (absent: daily). */
  period?: PricingPeriod;
  /** The SKUs that can have rows (active, with sales in the window), sorted. */
  skus: readonly string[];
  /** The rows read with the elasticities (see `TrainingScanOptions.withRows`), else none. */
  rows: TrainingChunk[];
  /** The rows of target days within the scan's, one chunk of SKUs at a time, in SKU order. */
  chunks(options?: ChunkOptions): Generator<TrainingChunk>;
}

/**
 * Opens a training window of target days [from, to]: fits every active SKU's
 * elasticity (over the year before the window and the window, as of the window's
 * end, shrunk toward its category's) chunk by chunk of SKUs, reading the rows
 * `withRows` asks for from the same history; more rows are then read with
 * {@linkcode TrainingScan.chunks}, a chunk's history dropped before the next is read.
 * Brings the history blocks up to date first when rows were appended since the last
 * sync (a cache write).
 *
 * @param db The store.
 * @param from First target day, `YYYY-MM-DD`.
 * @param to Last target day, `YYYY-MM-DD` (inclusive).
 * @param options Chunk size and progress.
 * @returns The window's SKUs, categories and a reader of its rows.
 * @throws {RangeError} When `to` is before `from`.
 *
 * @example Usage
 * ```ts
 * import { scanTrainingSet } from "./training_set.ts";
 * import { openStore } from "../store/db.ts";
 * import { appendCatalog, appendSales } from "../store/write/inputs.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1.5, floor_price: 1.99,
 *   ceiling_price: 4.99, min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", active: true,
 * } as const;
 * appendCatalog(db, ["A1", "B2", "C3"].map((sku) => ({ ...terms, sku })));
 * appendSales(db, ["A1", "B2", "C3"].flatMap((sku) =>
 *   Array.from({ length: 60 }, (_, i) => ({
 *     sku, date: addDays("2025-01-01", i), units: 10, revenue: 29.9, shelf_price: 2.99,
 *     promo: false,
 *   }))
 * ));
 * const scan = scanTrainingSet(db, "2025-02-20", "2025-02-28", {
 *   chunkSkus: 2,
 *   withRows: () => (_sku, days) => [0], // the first usable day of each SKU
 * });
 * assert.deepEqual(scan.skus, ["A1", "B2", "C3"]);
 * assert.deepEqual(scan.rows.map((c) => c.rows.length), [2, 1]);
 * assert.equal(scan.rows[0].rows[0].snapshot.elasticity, -1.5); // the prior's: no price moved
 * const chunks = [...scan.chunks({ pick: (_sku, days) => [days.length - 1] })];
 * assert.deepEqual(chunks.map((c) => c.rows.length), [2, 1]); // the last day of each SKU
 * assert.equal(chunks[0].usable, 18);
 * assert.equal(chunks[1].rows[0].snapshot.run_date, "2025-02-28");
 * db.close();
 * ```
 */
export function scanTrainingSet(
  db: DatabaseSync,
  from: string,
  to: string,
  options: TrainingScanOptions = {},
): TrainingScan {
  if (daysBetween(from, to) < 0) {
    throw new InputError(`Cannot build a training set from ${from} to ${to}: the window is empty`);
  }
  const size = options.chunkSkus ?? 2_000;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Cannot read training rows in chunks of ${size} SKUs: expected >= 1`);
  }
  const say = options.onProgress ?? (() => {});
  const end = addDays(to, 1);
  const period = readPricingPeriod(db);
  const weekly = period.kind === "week";
  // Every row needs the feature job's full window (365 days, 104 weeks) before its day.
  const historyDays = daysBetween(from, end) + period.historyDays;
  if (historyBehind(db)) syncHistory(db);
  const catalog = cachedCatalog(db).before(end);
  const records = _groupBySku(readCatalogHistory(db, end));
  const whole = { from, to, ...(weekly ? { period } : {}) };
  // Rows read with the elasticities get them once every SKU's is shrunk.
  const withRows = options.withRows;
  const first = withRows
    ? _rowCollector(records, whole, withRows(catalog.filter((c) => c.active).length))
    : null;
  const job = draftCatalog(db, end, catalog, {
    historyDays,
    chunkSkus: size,
    ...(weekly ? { period } : {}),
    onProgress: (done, total) =>
      say(`elasticities${withRows ? " and training rows" : ""}: ${done} of ${total} SKUs`),
    ...(first ? { onChunk: first.add } : {}),
  });
  // A loop, not a closure: the drafts must not outlive this function with `chunks`.
  const elasticity = new Map<string, RollingInput["elasticity"]>();
  for (let i = 0; i < job.drafts.length; i++) {
    const d = job.drafts[i];
    const e = elasticityFields(job.shrunk[i], d.anchor);
    elasticity.set(d.features.sku, {
      elasticity: e.elasticity,
      se: e.elasticity_se,
      raw: e.elasticity_raw,
      category: e.elasticity_category,
      asOf: e.elasticity_as_of,
      unbounded: e.elasticity_unbounded,
    });
  }
  const rows = first?.rows ?? [];
  for (const chunk of rows) {
    for (const r of chunk.rows) {
      setElasticity(r.snapshot, elasticity.get(r.snapshot.sku)!);
    }
  }
  const skus = [...elasticity.keys()];
  function* chunks(o: ChunkOptions = {}): Generator<TrainingChunk> {
    const window = { ...whole, from: o.from ?? from, to: o.to ?? to };
    for (let i = 0; i < skus.length; i += size) {
      const part = skus.slice(i, i + size);
      const inputs = readSkuInputs(db, end, part, { historyDays });
      yield _chunkRows(inputs, records, window, o.pick, (sku) => elasticity.get(sku)!);
      say(
        `training rows ${window.from} to ${window.to}: ${i + part.length} of ${skus.length} SKUs`,
      );
    }
  }
  return {
    from,
    to,
    categories: [...new Set(catalog.map((c) => c.category))].sort(),
    ...(weekly ? { period } : {}),
    skus,
    rows,
    chunks,
  };
}

/**
 * Collects the rows of each chunk the feature job reads (elasticities unknown yet). Its own
 * function, so that no closure of `scanTrainingSet` keeps the rows alive.
 */
function _rowCollector(
  records: ReadonlyMap<string, CatalogRecord[]>,
  window: RollingOptions,
  pick: DayPicker | undefined,
): { rows: TrainingChunk[]; add: (inputs: ReadonlyMap<string, SkuInputs>) => void } {
  const rows: TrainingChunk[] = [];
  return {
    rows,
    add: (inputs) => {
      rows.push(_chunkRows(inputs, records, window, pick, () => _UNKNOWN));
    },
  };
}

/** An elasticity to build rows with before the SKU's is known. */
const _UNKNOWN: RollingInput["elasticity"] = {
  elasticity: NaN,
  se: NaN,
  raw: null,
  category: NaN,
  asOf: "",
};

/** The rows of the SKUs of `inputs` (in its order) on their picked usable days in `window`. */
function _chunkRows(
  inputs: ReadonlyMap<string, SkuInputs>,
  records: ReadonlyMap<string, CatalogRecord[]>,
  window: RollingOptions,
  pick: DayPicker | undefined,
  elasticityOf: (sku: string) => RollingInput["elasticity"],
): TrainingChunk {
  const chunk: TrainingChunk = { rows: [], usable: 0, censored: 0, promo: 0 };
  for (const [sku, s] of inputs) {
    const h = s.history;
    const input = { sku, catalog: records.get(sku) ?? [], history: h };
    const usable: number[] = [];
    for (const i of rollingDays(input, window)) {
      if (h.censored[i]) chunk.censored++;
      else if (h.promo[i]) chunk.promo++;
      else usable.push(i);
    }
    chunk.usable += usable.length;
    const days = pick
      ? Int32Array.from(pick(sku, Int32Array.from(usable, (i) => h.day[i])), (k) => usable[k])
      : usable;
    if (days.length === 0) continue;
    const rows = rollingRows(
      { ...input, stockBefore: s.stockBefore, elasticity: elasticityOf(sku) },
      { ...window, days },
    );
    for (const r of rows) chunk.rows.push(r);
  }
  return chunk;
}

/**
 * A seeded sample of at most `maxRows` rows stratified by SKU: each of `skus` SKUs keeps
 * at most `ceil(maxRows / skus)` of its usable days, those whose hash of (seed, SKU, day)
 * is lowest. A SKU with no more days than that keeps them all; the same seed, SKU and days
 * give the same sample, whatever else is read with them.
 *
 * @param maxRows Rows to keep at most over all SKUs.
 * @param skus SKUs sharing them.
 * @param seed The seed.
 * @returns A picker for {@linkcode TrainingScan.chunks}.
 *
 * @example Usage
 * ```ts
 * import { sampleDays } from "./training_set.ts";
 * import assert from "node:assert/strict";
 *
 * const days = Int32Array.from({ length: 100 }, (_, i) => 20000 + i);
 * const pick = sampleDays(30, 10, 7); // 3 days a SKU
 * const kept = pick("A1", days);
 * assert.equal(kept.length, 3);
 * assert.deepEqual(pick("A1", days), kept);
 * assert.notDeepEqual(pick("B2", days), kept);
 * assert.equal(pick("A1", days.subarray(0, 2)).length, 2); // fewer than the quota: all
 * ```
 */
export function sampleDays(maxRows: number, skus: number, seed: number): DayPicker {
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new RangeError(`Cannot sample ${maxRows} training rows: expected a whole number >= 1`);
  }
  const quota = Math.ceil(maxRows / Math.max(1, skus));
  const salt = mix32(seed ^ 0x5eed5eed);
  return (sku, days) => {
    if (days.length <= quota) return Int32Array.from(days, (_, k) => k);
    const key = mix32(_skuKey(sku) ^ salt);
    const u = Uint32Array.from(days, (d) => mix32(key ^ Math.imul(d, 0x27d4eb2d)));
    const order = Int32Array.from(days, (_, k) => k).sort((a, b) => u[a] - u[b] || a - b);
    return order.subarray(0, quota).sort();
  };
}

/**
 * Builds the training set of target days [from, to] from the store: for every
 * active SKU and day, the snapshot the daily job would have built that morning
 * (from a year of history before it), the day's price and units. Days that ended
 * in a stockout and promotion days are left out; so are a SKU's first 28 days.
 * Holds every row in memory unless `maxRows` caps them (see {@linkcode sampleDays}).
 *
 * @param db The store.
 * @param from First target day, `YYYY-MM-DD`.
 * @param to Last target day, `YYYY-MM-DD` (inclusive).
 * @param options `maxRows` (default: all rows), the sample's `seed` (default 0), and the
 * scan's chunk size and progress.
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
 * const sample = loadTrainingSet(db, "2025-02-20", "2025-02-28", { maxRows: 3 });
 * assert.deepEqual([sample.rows.length, sample.available], [3, 8]);
 * db.close();
 * ```
 */
export function loadTrainingSet(
  db: DatabaseSync,
  from: string,
  to: string,
  options: TrainingScanOptions & { maxRows?: number; seed?: number } = {},
): TrainingSet {
  const { maxRows, seed } = options;
  const scan = scanTrainingSet(db, from, to, {
    ...options,
    withRows: (skus) => maxRows === undefined ? undefined : sampleDays(maxRows, skus, seed ?? 0),
  });
  const rows: TrainingRow[] = [];
  const excluded = { censored: 0, promo: 0 };
  let available = 0;
  for (const chunk of scan.rows) {
    for (const r of chunk.rows) rows.push(r);
    excluded.censored += chunk.censored;
    excluded.promo += chunk.promo;
    available += chunk.usable;
  }
  const { skus: _s, rows: _r, chunks: _c, ...window } = scan;
  return {
    ...window,
    rows: sortRows(rows),
    excluded,
    ...(available > rows.length ? { available } : {}),
  };
}

/**
 * Sorts training rows by date then SKU, in place.
 *
 * @param rows The rows.
 * @returns The same array, sorted.
 *
 * @example Usage
 * ```ts
 * import { sortRows } from "./training_set.ts";
 * import type { TrainingRow } from "../demand/rolling.ts";
 * import assert from "node:assert/strict";
 *
 * const row = (sku: string, run_date: string) => ({ snapshot: { sku, run_date } }) as TrainingRow;
 * const rows = sortRows([row("B", "2025-01-01"), row("A", "2025-01-02"), row("A", "2025-01-01")]);
 * assert.deepEqual(rows.map((r) => r.snapshot.sku + r.snapshot.run_date.slice(-1)), ["A1", "B1", "A2"]);
 * ```
 */
export function sortRows(rows: TrainingRow[]): TrainingRow[] {
  return rows.sort((a, b) =>
    a.snapshot.run_date < b.snapshot.run_date
      ? -1
      : a.snapshot.run_date > b.snapshot.run_date
      ? 1
      : a.snapshot.sku < b.snapshot.sku
      ? -1
      : 1
  );
}

/** A 32-bit key of a SKU (FNV-1a over its UTF-16 code units, mixed). */
function _skuKey(sku: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sku.length; i++) h = Math.imul(h ^ sku.charCodeAt(i), 0x01000193);
  return mix32(h);
}

function _groupBySku<T extends CatalogRecord>(records: readonly T[]) {
  const out = new Map<string, T[]>();
  for (const r of records) {
    const list = out.get(r.sku);
    if (list) list.push(r);
    else out.set(r.sku, [r]);
  }
  return out;
}
