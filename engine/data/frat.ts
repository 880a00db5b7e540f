/**
 * The dunnhumby "Breakfast at the Frat" data set (real weekly retail sales):
 * loading its CSV files with zod-checked rows, weekly series per product or per
 * (store, product), and own-price elasticities fitted with the engine's
 * log-log Poisson regression.
 *
 * The files are not part of this repository and may not be redistributed with
 * it: the loader reads them from a directory (default `../shared/data/frat`
 * relative to the project root, or `FRAT_DATA_DIR`).
 *
 * @module
 */
import { z } from "zod";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { type Infer, IsoDate, parseInput } from "../schema/common.ts";
import { fitPoisson } from "../elasticity/glm.ts";
import { dayOfYear, toDayNumber } from "../util/date.ts";
import { InputTypeError } from "../util/errors.ts";

const Flag = z.union([z.literal(0), z.literal(1)]);
const Count = z.number().int().min(0);

const /** @ignore */ _FratTransaction = z.object({
  week_end_date: IsoDate,
  store_id: z.number().int().positive(),
  upc_id: z.string().regex(/^\d{1,14}$/),
  units: Count,
  visits: Count,
  hhs: Count,
  spend: z.number().finite().min(0),
  /** Shelf price paid; null on the 23 rows that lack it (and 0 on one). */
  price: z.number().finite().min(0).nullable(),
  base_price: z.number().finite().positive().nullable(),
  /** In the weekly circular. */
  feature: Flag,
  /** On in-store display. */
  display: Flag,
  /** Temporary price reduction without feature or display. */
  tpr_only: Flag,
});
/** One row of `transaction.csv`: a product's sales in a store in a week. */
export const FratTransaction: typeof _FratTransaction = _FratTransaction;
/** The type {@linkcode FratTransaction} parses to. */
export type FratTransaction = Infer<typeof FratTransaction>;

const /** @ignore */ _FratProduct = z.object({
  upc_id: z.string().regex(/^\d{1,14}$/),
  description: z.string(),
  manufacturer: z.string(),
  category: z.string().min(1),
  sub_category: z.string(),
  product_size: z.string(),
});
/** One row of `product.csv`. */
export const FratProduct: typeof _FratProduct = _FratProduct;
/** The type {@linkcode FratProduct} parses to. */
export type FratProduct = Infer<typeof FratProduct>;

const /** @ignore */ _FratStore = z.object({
  store_id: z.number().int().positive(),
  store_name: z.string(),
  city: z.string(),
  state: z.string(),
  segment: z.string(),
});
/** One row of `store.csv`. */
export const FratStore: typeof _FratStore = _FratStore;
/** The type {@linkcode FratStore} parses to. */
export type FratStore = Infer<typeof FratStore>;

/** The data set as loaded. */
export interface FratData {
  /** The directory the files were read from. */
  dir: string;
  /** The rows of `transaction.csv`. */
  transactions: FratTransaction[];
  /** The rows of `product.csv`. */
  products: FratProduct[];
  /** The rows of `store.csv`. */
  stores: FratStore[];
}

/** Options of {@linkcode fratDataDir} and {@linkcode loadFrat}. */
export interface FratOptions {
  /** Directory of the CSV files. Default: `FRAT_DATA_DIR`, else `../shared/data/frat` from the project root. */
  dir?: string;
}

/**
 * The directory the data is read from: `options.dir`, else the environment variable
 * `FRAT_DATA_DIR` (when readable), else `../shared/data/frat` from the project root.
 *
 * @param options `dir`: the directory to use.
 * @returns The directory.
 *
 * @example Usage
 * ```ts
 * import { fratDataDir } from "./frat.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fratDataDir({ dir: "/data/frat" }), "/data/frat");
 * ```
 */
export function fratDataDir(options: FratOptions = {}): string {
  if (options.dir) return options.dir;
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("FRAT_DATA_DIR");
  } catch {
    fromEnv = undefined; // no env permission: use the default
  }
  return fromEnv || fileURLToPath(new URL("../../../shared/data/frat", import.meta.url));
}

/**
 * The message of a missing data set: where it was looked for and where to get it.
 *
 * @param path The file that was not found.
 * @returns The message.
 *
 * @example Usage
 * ```ts
 * import { fratMissingMessage } from "./frat.ts";
 * import assert from "node:assert/strict";
 *
 * const message = fratMissingMessage("/data/frat/transaction.csv");
 * assert.match(message, /\/data\/frat\/transaction.csv was not found/);
 * assert.match(message, /FRAT_DATA_DIR/);
 * ```
 */
export function fratMissingMessage(path: string): string {
  return `Cannot load the dunnhumby "Breakfast at the Frat" data: ${path} was not found. ` +
    `The files (transaction.csv, product.csv, store.csv) are not part of this repository; ` +
    `get them from the dunnhumby Source Files programme (sourcefiles@dunnhumby.com) and put ` +
    `them in that directory, or set FRAT_DATA_DIR to where they are.`;
}

async function readText(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(fratMissingMessage(path));
    throw e;
  }
}

/**
 * Loads the three CSV files of the data set (`transaction.csv`, `product.csv`,
 * `store.csv`), every row checked.
 *
 * @param options `dir`: where the files are (default: see {@linkcode fratDataDir}).
 * @returns The rows of the three files.
 * @throws {Error} With {@linkcode fratMissingMessage} when a file is missing.
 * @throws {TypeError} When a row fails its schema (the message names the file and line).
 *
 * @example Usage
 * ```ts
 * import { loadFrat } from "./frat.ts";
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   join(dir, "transaction.csv"),
 *   "week_end_date,store_id,upc_id,units,visits,hhs,spend,price,base_price," +
 *     "feature,display,tpr_only\n" +
 *     "2010-01-13,367,1111009477,13,13,13,18.07,1.39,1.57,0,0,0\n",
 * );
 * await Deno.writeTextFile(
 *   join(dir, "product.csv"),
 *   "upc_id,description,manufacturer,category,sub_category,product_size\n" +
 *     '1111009477,"PL MINI TWIST PRETZELS",PRIVATE LABEL,BAG SNACKS,PRETZELS,15 OZ\n',
 * );
 * await Deno.writeTextFile(
 *   join(dir, "store.csv"),
 *   "store_id,store_name,address_city_name,address_state_prov_code,seg_value_name\n" +
 *     "367,15TH & MADISON,COVINGTON,KY,VALUE\n",
 * );
 * const data = await loadFrat({ dir });
 * assert.equal(data.transactions[0].units, 13);
 * assert.equal(data.products[0].category, "BAG SNACKS");
 * assert.equal(data.stores[0].city, "COVINGTON");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadFrat(options: FratOptions = {}): Promise<FratData> {
  const dir = fratDataDir(options);
  const t = await readText(dir, "transaction.csv");
  const p = await readText(dir, "product.csv");
  const s = await readText(dir, "store.csv");
  return {
    dir,
    transactions: parseTransactions(t),
    products: parseProducts(p),
    stores: parseStores(s),
  };
}

const TRANSACTION_HEADER =
  "week_end_date,store_id,upc_id,units,visits,hhs,spend,price,base_price,feature,display,tpr_only";

/**
 * Parses the text of `transaction.csv` (no quoted fields), checking every row;
 * empty cells are null.
 *
 * @param text The file's text, header first.
 * @returns The rows.
 * @throws {TypeError} When the header differs or a row fails {@linkcode FratTransaction}.
 *
 * @example Usage
 * ```ts
 * import { parseTransactions } from "./frat.ts";
 * import assert from "node:assert/strict";
 *
 * const [row] = parseTransactions(
 *   "week_end_date,store_id,upc_id,units,visits,hhs,spend,price,base_price," +
 *     "feature,display,tpr_only\n" +
 *     "2010-01-13,367,1111009477,13,13,13,18.07,,1.57,0,1,0\n",
 * );
 * assert.equal(row.price, null);
 * assert.equal(row.display, 1);
 * ```
 */
export function parseTransactions(text: string): FratTransaction[] {
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== TRANSACTION_HEADER) {
    throw new InputTypeError(
      `Cannot read transaction.csv: expected the header "${TRANSACTION_HEADER}", got "${lines[0]}"`,
    );
  }
  const num = (v: string) => (v === "" ? null : Number(v));
  const out: FratTransaction[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    const c = line.split(",");
    const row = {
      week_end_date: c[0],
      store_id: num(c[1]),
      upc_id: c[2],
      units: num(c[3]),
      visits: num(c[4]),
      hhs: num(c[5]),
      spend: num(c[6]),
      price: num(c[7]),
      base_price: num(c[8]),
      feature: num(c[9]),
      display: num(c[10]),
      tpr_only: num(c[11]),
    };
    out.push(parseInput(FratTransaction, row, `read transaction.csv line ${i + 1}`));
  }
  return out;
}

/**
 * Parses the text of `product.csv` (double-quoted fields allowed), checking every row.
 *
 * @param text The file's text, header first.
 * @returns The rows.
 * @throws {TypeError} When a row fails {@linkcode FratProduct}.
 *
 * @example Usage
 * ```ts
 * import { parseProducts } from "./frat.ts";
 * import assert from "node:assert/strict";
 *
 * const [product] = parseProducts(
 *   "upc_id,description,manufacturer,category,sub_category,product_size\n" +
 *     '1111009477,"PL MINI TWIST PRETZELS, SALTED",PRIVATE LABEL,BAG SNACKS,PRETZELS,15 OZ\n',
 * );
 * assert.equal(product.description, "PL MINI TWIST PRETZELS, SALTED");
 * ```
 */
export function parseProducts(text: string): FratProduct[] {
  return _records(text).map((r, i) => parseInput(FratProduct, r, `read product.csv line ${i + 2}`));
}

/**
 * Parses the text of `store.csv`, checking every row; the address columns become
 * `city` and `state`, the segment column `segment`.
 *
 * @param text The file's text, header first.
 * @returns The rows.
 * @throws {TypeError} When a row fails {@linkcode FratStore}.
 *
 * @example Usage
 * ```ts
 * import { parseStores } from "./frat.ts";
 * import assert from "node:assert/strict";
 *
 * const [store] = parseStores(
 *   "store_id,store_name,address_city_name,address_state_prov_code,seg_value_name\n" +
 *     "367,15TH & MADISON,COVINGTON,KY,VALUE\n",
 * );
 * assert.deepEqual(store, {
 *   store_id: 367, store_name: "15TH & MADISON", city: "COVINGTON", state: "KY", segment: "VALUE",
 * });
 * ```
 */
export function parseStores(text: string): FratStore[] {
  return _records(text).map((r, i) =>
    parseInput(FratStore, {
      store_id: Number(r.store_id),
      store_name: r.store_name,
      city: r.address_city_name,
      state: r.address_state_prov_code,
      segment: r.seg_value_name,
    }, `read store.csv line ${i + 2}`)
  );
}

/** Records of a small CSV file with a header and double-quoted fields. */
function _records(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      if (row.some((f) => f !== "")) rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== "")) rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""])));
}

/** A weekly series of one product (all stores) or one (store, product). */
export interface WeeklySeries {
  /** `upc_id` or `store_id/upc_id`. */
  key: string;
  /** The product. */
  upc_id: string;
  /** Null for a product's series over all stores. */
  store_id: number | null;
  /** Week end dates, ascending. */
  weeks: string[];
  /** Units sold each week. */
  units: Float64Array;
  /** Average price paid: spend / units (the listed price when nothing was spent). */
  price: Float64Array;
  /** Share of the week's rows that were in the weekly circular. */
  feature: Float64Array;
  /** Share of the week's rows that were on in-store display. */
  display: Float64Array;
  /** Share of the week's rows on a temporary price reduction only. */
  tprOnly: Float64Array;
}

/** Options of {@linkcode weeklySeries}. */
export interface WeeklySeriesOptions {
  /** One series per product (summed over stores) or per (store, product). Default "product". */
  by?: "product" | "store_product";
}

/**
 * Turns transactions into weekly series, per product (summed over stores) or per
 * (store, product), sorted by key. Rows without a positive price are left out.
 *
 * @param transactions The rows of `transaction.csv`.
 * @param options `by`: `"product"` (default) or `"store_product"`.
 * @returns The series.
 *
 * @example Usage
 * ```ts
 * import { type FratTransaction, weeklySeries } from "./frat.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * // two stores × 30 weeks of one product, demand of elasticity -2
 * const transactions: FratTransaction[] = [];
 * for (const store_id of [1, 2]) {
 *   for (let w = 0; w < 30; w++) {
 *     const price = [2, 2.5, 1.8][w % 3];
 *     const units = Math.round(store_id * 50 * (price / 2) ** -2);
 *     transactions.push({
 *       week_end_date: addDays("2010-01-13", 7 * w), store_id, upc_id: "1111", units,
 *       visits: units, hhs: units, spend: units * price, price, base_price: 2.5, feature: 0,
 *       display: 0, tpr_only: 0,
 *     });
 *   }
 * }
 * const [product] = weeklySeries(transactions);
 * assert.equal(product.weeks.length, 30);
 * assert.equal(product.units[0], 150); // both stores' units in the first week
 * const keys = weeklySeries(transactions, { by: "store_product" }).map((s) => s.key);
 * assert.deepEqual(keys, ["1/1111", "2/1111"]);
 * ```
 */
export function weeklySeries(
  transactions: readonly FratTransaction[],
  options: WeeklySeriesOptions = {},
): WeeklySeries[] {
  const byStore = (options.by ?? "product") === "store_product";
  type Acc = {
    units: number;
    spend: number;
    priced: number;
    n: number;
    f: number;
    d: number;
    t: number;
  };
  const groups = new Map<string, { upc: string; store: number | null; weeks: Map<string, Acc> }>();
  for (const r of transactions) {
    if (r.price === null || r.price <= 0) continue;
    const key = byStore ? `${r.store_id}/${r.upc_id}` : r.upc_id;
    let g = groups.get(key);
    if (!g) {
      groups.set(key, g = { upc: r.upc_id, store: byStore ? r.store_id : null, weeks: new Map() });
    }
    let a = g.weeks.get(r.week_end_date);
    if (!a) {
      g.weeks.set(r.week_end_date, a = { units: 0, spend: 0, priced: 0, n: 0, f: 0, d: 0, t: 0 });
    }
    a.units += r.units;
    a.spend += r.spend > 0 ? r.spend : r.price * r.units;
    a.priced += r.price;
    a.n++;
    a.f += r.feature;
    a.d += r.display;
    a.t += r.tpr_only;
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => {
    const weeks = [...g.weeks.keys()].sort();
    const n = weeks.length;
    const s: WeeklySeries = {
      key,
      upc_id: g.upc,
      store_id: g.store,
      weeks,
      units: new Float64Array(n),
      price: new Float64Array(n),
      feature: new Float64Array(n),
      display: new Float64Array(n),
      tprOnly: new Float64Array(n),
    };
    weeks.forEach((w, i) => {
      const a = g.weeks.get(w)!;
      s.units[i] = a.units;
      s.price[i] = a.units > 0 && a.spend > 0 ? a.spend / a.units : a.priced / a.n;
      s.feature[i] = a.f / a.n;
      s.display[i] = a.d / a.n;
      s.tprOnly[i] = a.t / a.n;
    });
    return s;
  });
}

/** A product's fitted own-price elasticity. */
export interface FratElasticity {
  /** The product. */
  upc_id: string;
  /** Its elasticity, or null with fewer store-weeks than `minRows` or a failed fit. */
  estimate: number | null;
  /** Its standard error, or null with the estimate. */
  se: number | null;
  /** Store-weeks fitted. */
  n: number;
  /** Stores that sold it. */
  stores: number;
}

/** Elasticities of the data set: pooled over products, and per product. */
export interface FratElasticities {
  /** One slope over every (store, product) series (their own levels as controls). */
  pooled: { estimate: number; se: number; n: number };
  /** One fit per product, in the order of their first (store, product) series. */
  products: FratElasticity[];
  /** Median of the per-product estimates. */
  median: number;
}

/** Options of {@linkcode fitFratElasticities}. */
export interface FratFitOptions {
  /** Fewest store-weeks for a product's own fit. Default 100. */
  minRows?: number;
}

/**
 * Own-price elasticities by a log-log Poisson regression ({@linkcode fitPoisson})
 * of weekly units per (store, product) on the log price, where the price is
 * centred within each (store, product) series (only a series' own price moves
 * identify the slope) and each series' mean log units is a control (its level,
 * a stand-in for store × product fixed effects). Also controlled: feature,
 * display, a trend and a yearly season. Per product: one fit over its
 * store-weeks; pooled: one fit over all.
 *
 * @param transactions The rows of `transaction.csv`.
 * @param options `minRows`: fewest store-weeks for a product's own fit (default 100).
 * @returns The pooled fit, one fit per product and the median of the products' estimates.
 * @throws {RangeError} When the pooled design is singular.
 *
 * @example Usage
 * ```ts
 * import { fitFratElasticities, type FratTransaction } from "./frat.ts";
 * import { addDays } from "../util/date.ts";
 * import assert from "node:assert/strict";
 *
 * // two stores × 30 weeks of one product, demand of elasticity -2
 * const transactions: FratTransaction[] = [];
 * for (const store_id of [1, 2]) {
 *   for (let w = 0; w < 30; w++) {
 *     const price = [2, 2.5, 1.8][w % 3];
 *     const units = Math.round(store_id * 50 * (price / 2) ** -2);
 *     transactions.push({
 *       week_end_date: addDays("2010-01-13", 7 * w), store_id, upc_id: "1111", units,
 *       visits: units, hhs: units, spend: units * price, price, base_price: 2.5, feature: 0,
 *       display: 0, tpr_only: 0,
 *     });
 *   }
 * }
 * const fit = fitFratElasticities(transactions, { minRows: 50 });
 * assert.ok(Math.abs(fit.pooled.estimate + 2) < 0.05);
 * assert.equal(fit.products[0].stores, 2);
 * assert.equal(fitFratElasticities(transactions).products[0].estimate, null); // 60 < 100 rows
 * ```
 */
export function fitFratElasticities(
  transactions: readonly FratTransaction[],
  options: FratFitOptions = {},
): FratElasticities {
  const minRows = options.minRows ?? 100;
  const series = weeklySeries(transactions, { by: "store_product" });
  const all = _design(series);
  const pooledFit = fitPoisson(all.x, all.y, K);
  if (!pooledFit) throw new RangeError("Cannot fit the pooled Frat elasticity: singular design");
  const byProduct = new Map<string, WeeklySeries[]>();
  for (const s of series) {
    const list = byProduct.get(s.upc_id) ?? [];
    list.push(s);
    byProduct.set(s.upc_id, list);
  }
  const products = [...byProduct.entries()].map(([upc, list]): FratElasticity => {
    const d = _design(list);
    const base = { upc_id: upc, n: d.y.length, stores: list.length };
    if (d.y.length < minRows) return { ...base, estimate: null, se: null };
    const fit = fitPoisson(d.x, d.y, K);
    if (!fit || !fit.converged) return { ...base, estimate: null, se: null };
    return { ...base, estimate: fit.coefficients[1], se: fit.standardErrors[1] };
  });
  const estimates = products.flatMap((p) => (p.estimate === null ? [] : [p.estimate]));
  return {
    pooled: {
      estimate: pooledFit.coefficients[1],
      se: pooledFit.standardErrors[1],
      n: all.y.length,
    },
    products,
    median: _median(estimates),
  };
}

/** Columns: intercept, centred log price, series level, feature, display, trend, sin, cos. */
const K = 8;

function _design(series: readonly WeeklySeries[]): { x: Float64Array; y: Float64Array } {
  let n = 0;
  for (const s of series) n += s.weeks.length;
  const x = new Float64Array(n * K);
  const y = new Float64Array(n);
  const mid = toDayNumber("2010-07-07");
  let r = 0;
  for (const s of series) {
    const m = s.weeks.length;
    let lp = 0, lu = 0;
    for (let i = 0; i < m; i++) {
      lp += Math.log(s.price[i]);
      lu += Math.log(s.units[i] + 0.5);
    }
    lp /= m;
    lu /= m;
    for (let i = 0; i < m; i++, r++) {
      const day = toDayNumber(s.weeks[i]);
      const a = (2 * Math.PI * dayOfYear(day)) / 365.25;
      x.set([
        1,
        Math.log(s.price[i]) - lp,
        lu,
        s.feature[i],
        s.display[i],
        (day - mid) / 365,
        Math.sin(a),
        Math.cos(a),
      ], r * K);
      y[r] = s.units[i];
    }
  }
  return { x, y };
}

function _median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}
