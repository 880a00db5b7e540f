/**
 * Dominick's Finer Foods refrigerated orange juice (weekly, 83 stores × 11
 * brands, weeks 40 to 160), as Debian's `r-cran-bayesm` ships it (data set
 * `orangeJuice`, data frame `yx`): reading the CSV that R writes, and turning
 * it into a weekly store's contract files. The data is GPL-licensed with the
 * package: convert it at run time, never commit it.
 *
 * Rules (documented in the README, section "Real data"):
 * - a SKU is a (store, brand) pair, `S002-B01`; its category is the brand's tier
 *   (premium: Tropicana Premium, Florida's Natural; national: Tropicana, Minute
 *   Maid; value: Citrus Hill, Tree Fresh, Florida Gold, Dominick's);
 * - week w starts on Thursday 2017-09-14 + 7 (w − 1): Dominick's week 1 began on
 *   Thursday 1989-09-14, and the store's dates are moved 28 years later (the
 *   calendar repeats its weekdays every 28 years) because the data contract's
 *   dates start in 2000;
 * - units = exp(logmove) rounded; the shelf price is the price per ounce × the
 *   carton's ounces, to the cent; revenue = units × shelf price; a week with an
 *   in-store deal or a feature advertisement (at least half the week) is a
 *   promotion week;
 * - the competitor price is the geometric mean of the other ten brands' prices
 *   per ounce in the same store and week, times the SKU's ounces;
 * - the unit cost is the median over the SKU's weeks of the shelf price × (1 −
 *   profit / 100), the data's own gross margin; the reference price is the median
 *   shelf price of its weeks without promotion; the rest as `derivedTerms`.
 *
 * @module
 */
import { z } from "zod";
import { type Infer, parseInput } from "../schema/common.ts";
import { addDays } from "../util/date.ts";
import { InputTypeError } from "../util/errors.ts";
import { cents, contractText, type ConvertedStore, derivedTerms, median } from "./real_store.ts";

/** The 11 brands of the data set: its name, tier (the SKU's category) and carton ounces. */
export const OJ_BRANDS: readonly { brand: number; name: string; tier: string; ounces: number }[] = [
  { brand: 1, name: "Tropicana Premium 64 oz", tier: "premium", ounces: 64 },
  { brand: 2, name: "Tropicana Premium 96 oz", tier: "premium", ounces: 96 },
  { brand: 3, name: "Florida's Natural 64 oz", tier: "premium", ounces: 64 },
  { brand: 4, name: "Tropicana 64 oz", tier: "national", ounces: 64 },
  { brand: 5, name: "Minute Maid 64 oz", tier: "national", ounces: 64 },
  { brand: 6, name: "Minute Maid 96 oz", tier: "national", ounces: 96 },
  { brand: 7, name: "Citrus Hill 64 oz", tier: "value", ounces: 64 },
  { brand: 8, name: "Tree Fresh 64 oz", tier: "value", ounces: 64 },
  { brand: 9, name: "Florida Gold 64 oz", tier: "value", ounces: 64 },
  { brand: 10, name: "Dominicks 64 oz", tier: "value", ounces: 64 },
  { brand: 11, name: "Dominicks 128 oz", tier: "value", ounces: 128 },
];

/** The first day of Dominick's week 1, moved 28 years later (see the module notes). */
export const OJ_WEEK_ONE = "2017-09-14";

const Flag = z.union([z.literal(0), z.literal(1)]);

const /** @ignore */ _OjRow = z.object({
  store: z.number().int().positive(),
  brand: z.number().int().min(1).max(11),
  week: z.number().int().positive(),
  logmove: z.number().finite(),
  /** Prices per ounce of brands 1 to 11 in the store that week. */
  prices: z.array(z.number().finite().positive()).length(11),
  deal: Flag,
  /** Share of the week the brand was in a feature advertisement (mostly 0 or 1). */
  feat: z.number().finite().min(0).max(1),
  profit: z.number().finite(),
});
/** One row of `orangeJuice$yx`: a brand's sales in a store in a week. */
export const OjRow: typeof _OjRow = _OjRow;
/** The type {@linkcode OjRow} parses to. */
export type OjRow = Infer<typeof OjRow>;

/** The command that writes the data set's CSV (R from `r-base-core`, the data from `r-cran-bayesm`). */
export const OJ_RSCRIPT =
  'data(orangeJuice, package="bayesm"); write.csv(orangeJuice$yx, "oj.csv", row.names=FALSE)';

/**
 * What to say when the data set cannot be read: where it comes from.
 *
 * @param detail What failed.
 * @returns The message.
 *
 * @example Usage
 * ```ts
 * import { ojMissingMessage } from "./orange_juice.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(ojMissingMessage("Rscript: not found"), /apt-get install -y r-cran-bayesm/);
 * ```
 */
export function ojMissingMessage(detail: string): string {
  return `Cannot read Dominick's orange juice data (${detail}). It ships with the Debian package ` +
    `r-cran-bayesm: install it with "apt-get install -y r-cran-bayesm" (it pulls r-base-core), ` +
    `or write the CSV yourself with Rscript -e '${OJ_RSCRIPT}' and pass it with --csv FILE.`;
}

/**
 * Parses the CSV that `write.csv(orangeJuice$yx, ...)` writes (header quoted, values
 * plain), checking every row.
 *
 * @param text The file's text, header first.
 * @returns The rows.
 * @throws {TypeError} When the header lacks a column or a row fails {@linkcode OjRow}.
 *
 * @example Usage
 * ```ts
 * import { parseOrangeJuice } from "./orange_juice.ts";
 * import assert from "node:assert/strict";
 *
 * const prices = Array.from({ length: 11 }, (_, i) => `0.0${3 + (i % 5)}`).join(",");
 * const header = '"store","brand","week","logmove","constant",' +
 *   Array.from({ length: 11 }, (_, i) => `"price${i + 1}"`).join(",") + ',"deal","feat","profit"';
 * const [row] = parseOrangeJuice(`${header}\n2,1,40,9.0186954877,1,${prices},1,0,37.99\n`);
 * assert.equal(row.store, 2);
 * assert.equal(row.prices.length, 11);
 * assert.equal(row.deal, 1);
 * ```
 */
export function parseOrangeJuice(text: string): OjRow[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.trim().replace(/^"|"$/g, ""));
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new InputTypeError(
        `Cannot read the orange juice CSV: its header has no column "${name}" (got ${lines[0]})`,
      );
    }
    return i;
  };
  const cols = {
    store: at("store"),
    brand: at("brand"),
    week: at("week"),
    logmove: at("logmove"),
    deal: at("deal"),
    feat: at("feat"),
    profit: at("profit"),
    prices: Array.from({ length: 11 }, (_, i) => at(`price${i + 1}`)),
  };
  const out: OjRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const c = lines[i].split(",");
    const num = (k: number) => (c[k] === undefined || c[k] === "" ? null : Number(c[k]));
    out.push(parseInput(OjRow, {
      store: num(cols.store),
      brand: num(cols.brand),
      week: num(cols.week),
      logmove: num(cols.logmove),
      prices: cols.prices.map(num),
      deal: num(cols.deal),
      feat: num(cols.feat),
      profit: num(cols.profit),
    }, `read the orange juice CSV line ${i + 1}`));
  }
  return out;
}

/**
 * The SKU code of a (store, brand).
 *
 * @param store The store number.
 * @param brand The brand (1 to 11).
 * @returns E.g. `S002-B01`.
 *
 * @example Usage
 * ```ts
 * import { ojSku } from "./orange_juice.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ojSku(2, 1), "S002-B01");
 * ```
 */
export function ojSku(store: number, brand: number): string {
  return `S${String(store).padStart(3, "0")}-B${String(brand).padStart(2, "0")}`;
}

/**
 * The first day of a Dominick's week in the store's calendar (see the module notes).
 *
 * @param week Dominick's week number.
 * @returns `YYYY-MM-DD`, a Thursday.
 *
 * @example Usage
 * ```ts
 * import { ojWeekStart } from "./orange_juice.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ojWeekStart(1), "2017-09-14");
 * assert.equal(ojWeekStart(40), "2018-06-14");
 * ```
 */
export function ojWeekStart(week: number): string {
  return addDays(OJ_WEEK_ONE, 7 * (week - 1));
}

/** Options of {@linkcode ojContractFiles}. */
export interface OjConvertOptions {
  /**
   * Stores to keep: this many, those with every brand in the data set's last week first
   * (then by number). Default: every store.
   */
  stores?: number;
}

/**
 * Turns the rows into a weekly store's contract files (`catalog.csv`, `sales.csv`,
 * `competitor.csv`) by the rules in the module notes. Weeks a SKU has no row stay
 * without one (the data set has gaps, not zero sales).
 *
 * @param rows The data set's rows.
 * @param options Which stores to keep.
 * @returns The files' text and a summary.
 * @throws {RangeError} When no row is left.
 *
 * @example Usage
 * ```ts
 * import { ojContractFiles, type OjRow } from "./orange_juice.ts";
 * import assert from "node:assert/strict";
 *
 * const prices = Array.from({ length: 11 }, (_, i) => 0.03 + 0.002 * i);
 * const rows: OjRow[] = [40, 41].map((week) => ({
 *   store: 2, brand: 1, week, logmove: Math.log(120), prices, deal: 0, feat: 0, profit: 30,
 * }));
 * const { files, summary } = ojContractFiles(rows);
 * assert.equal(summary.skus, 1);
 * assert.equal(files["sales.csv"].split("\n")[1], "S002-B01,2018-06-14,120,230.4,1.92,false,0");
 * ```
 */
export function ojContractFiles(
  rows: readonly OjRow[],
  options: OjConvertOptions = {},
): ConvertedStore {
  const stores = _chooseStores(rows, options.stores);
  const keep = new Set(stores);
  const kept = rows.filter((r) => keep.has(r.store)).sort((a, b) =>
    a.store - b.store || a.brand - b.brand || a.week - b.week
  );
  if (kept.length === 0) throw new RangeError("Cannot convert the orange juice data: no rows left");
  const brands = new Map(OJ_BRANDS.map((b) => [b.brand, b]));
  const sales: Record<string, unknown>[] = [];
  const competitor: Record<string, unknown>[] = [];
  const bySku = new Map<
    string,
    { brand: number; prices: number[]; regular: number[]; cost: number[] }
  >();
  let firstWeek = Infinity, lastWeek = -Infinity;
  for (const r of kept) {
    const b = brands.get(r.brand)!;
    const sku = ojSku(r.store, r.brand);
    const date = ojWeekStart(r.week);
    const units = Math.round(Math.exp(r.logmove));
    const price = cents(r.prices[r.brand - 1] * b.ounces);
    const promo = r.deal === 1 || r.feat >= 0.5;
    let logSum = 0;
    for (let k = 0; k < 11; k++) if (k !== r.brand - 1) logSum += Math.log(r.prices[k]);
    sales.push({
      sku,
      date,
      units,
      revenue: cents(units * price),
      shelf_price: price,
      promo,
      returned_units: 0,
    });
    competitor.push({ sku, date, competitor_price: cents(Math.exp(logSum / 10) * b.ounces) });
    let s = bySku.get(sku);
    if (!s) bySku.set(sku, s = { brand: r.brand, prices: [], regular: [], cost: [] });
    s.prices.push(price);
    if (!promo) s.regular.push(price);
    if (r.profit > 0 && r.profit < 100) s.cost.push(price * (1 - r.profit / 100));
    firstWeek = Math.min(firstWeek, r.week);
    lastWeek = Math.max(lastWeek, r.week);
  }
  const start = ojWeekStart(firstWeek);
  const catalog = [...bySku.entries()].map(([sku, s]) => {
    const b = brands.get(s.brand)!;
    const reference = median(s.regular.length ? s.regular : s.prices);
    const cost = s.cost.length ? median(s.cost) : 0.7 * reference;
    return {
      sku,
      effective_date: start,
      category: b.tier,
      ...derivedTerms(reference, cost),
      active: true,
      name: b.name,
    };
  });
  return {
    files: {
      "catalog.csv": contractText("catalog", catalog),
      "sales.csv": contractText("sales", sales),
      "competitor.csv": contractText("competitor", competitor),
    },
    summary: {
      source: "Dominick's orange juice (r-cran-bayesm, orangeJuice$yx)",
      stores,
      skus: catalog.length,
      categories: [...new Set(catalog.map((c) => c.category))].sort(),
      weeks: lastWeek - firstWeek + 1,
      first_week: start,
      last_week: ojWeekStart(lastWeek),
      rows: { catalog: catalog.length, sales: sales.length, competitor: competitor.length },
      week_start: "thursday",
      notes: [
        "dates moved 28 years later: Dominick's week 1 (Thursday 1989-09-14) is 2017-09-14",
        "unit cost: median shelf price x (1 - profit/100), the data's gross margin",
        "promotion: an in-store deal or a feature advertisement (at least half the week)",
        "competitor price: geometric mean of the other brands' prices per ounce x the SKU's ounces",
      ],
    },
  };
}

function _chooseStores(rows: readonly OjRow[], count: number | undefined): number[] {
  const all = [...new Set(rows.map((r) => r.store))].sort((a, b) => a - b);
  if (count === undefined || count >= all.length) return all;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot keep ${count} stores: expected a whole number >= 1`);
  }
  const last = Math.max(...rows.map((r) => r.week));
  const complete = new Map<number, number>();
  for (const r of rows) {
    if (r.week === last) complete.set(r.store, (complete.get(r.store) ?? 0) + 1);
  }
  return [...all].sort((a, b) => (complete.get(b) ?? 0) - (complete.get(a) ?? 0) || a - b)
    .slice(0, count).sort((a, b) => a - b);
}
