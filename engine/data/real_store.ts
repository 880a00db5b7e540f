/**
 * What turning a public weekly data set into a store's contract files shares:
 * the documented rule that derives the catalog terms the data lacks (unit
 * cost, floor and ceiling price, minimum margin, largest change per week), and
 * the CSV text of contract records.
 *
 * @module
 */
import { CONTRACT, type ContractKind } from "../schema/contract.ts";

/** The terms every SKU of a converted data set gets (the data sets have none). */
export const REAL_STORE_TERMS: Readonly<{
  minMargin: number;
  maxChange: number;
  ceilingMultiple: number;
  priceEnding: "any";
}> = Object.freeze({
  /** Least (price − cost) / price: 10%. */
  minMargin: 0.1,
  /** Largest move of the shelf price from one week to the next: 15%. */
  maxChange: 0.15,
  /** Ceiling = 1.25 × the SKU's reference (regular) price. */
  ceilingMultiple: 1.25,
  /** Real shelf prices end in any cent. */
  priceEnding: "any",
});

/** A SKU's catalog terms, as the contract's catalog row holds them. */
export interface DerivedTerms {
  /** What a unit costs (at least 0.01). */
  unit_cost: number;
  /** The lowest price that keeps the minimum margin. */
  floor_price: number;
  /** 1.25 × the reference price, at least the floor. */
  ceiling_price: number;
  /** 0.1. */
  min_margin: number;
  /** 0.15: the largest move from one week to the next. */
  max_daily_change: number;
  /** Any cent. */
  price_ending: "any";
}

/**
 * The catalog terms of a SKU from its reference (regular) price and its unit cost:
 * floor = the lowest price that keeps the 10% minimum margin (cost / 0.9, rounded up
 * to the cent); ceiling = 1.25 × the reference price (at least the floor); at most 15%
 * change per week; any price ending. The unit cost is at least 0.01.
 *
 * @param referencePrice The SKU's regular shelf price.
 * @param unitCost What a unit costs the retailer (derived by the data set's own rule).
 * @returns The terms.
 * @throws {RangeError} When a price is not positive.
 *
 * @example Usage
 * ```ts
 * import { derivedTerms } from "./real_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(derivedTerms(2.99, 2.09), {
 *   unit_cost: 2.09, floor_price: 2.33, ceiling_price: 3.74, min_margin: 0.1,
 *   max_daily_change: 0.15, price_ending: "any",
 * });
 * ```
 */
export function derivedTerms(referencePrice: number, unitCost: number): DerivedTerms {
  if (!(referencePrice > 0) || !(unitCost > 0)) {
    throw new RangeError(
      `Cannot derive catalog terms from reference price ${referencePrice} and unit cost ${unitCost}: both must be above 0`,
    );
  }
  const t = REAL_STORE_TERMS;
  const cost = Math.max(0.01, cents(unitCost));
  const floor = Math.ceil(cost / (1 - t.minMargin) * 100 - 1e-9) / 100;
  const ceiling = Math.max(floor, cents(referencePrice * t.ceilingMultiple));
  return {
    unit_cost: cost,
    floor_price: floor,
    ceiling_price: ceiling,
    min_margin: t.minMargin,
    max_daily_change: t.maxChange,
    price_ending: t.priceEnding,
  };
}

/**
 * The median of a list of numbers (NaN for an empty list).
 *
 * @param values The numbers.
 * @returns Their median.
 *
 * @example Usage
 * ```ts
 * import { median } from "./real_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(median([3, 1, 2, 10]), 2.5);
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/**
 * Rounds an amount to the cent.
 *
 * @param x The amount.
 * @returns It, to two decimals.
 *
 * @example Usage
 * ```ts
 * import { cents } from "./real_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(cents(3.8699999), 3.87);
 * ```
 */
export function cents(x: number): number {
  return Math.round(x * 100 + 1e-9) / 100;
}

/**
 * The CSV text of contract records of one kind: the contract's header, then one line
 * per record with its columns in contract order (absent values empty).
 *
 * @param kind The contract kind.
 * @param records The records.
 * @returns The file's text.
 *
 * @example Usage
 * ```ts
 * import { contractText } from "./real_store.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   contractText("competitor", [{ sku: "A", date: "2020-01-02", competitor_price: 2.5 }]),
 *   "sku,date,competitor_price\nA,2020-01-02,2.5\n",
 * );
 * ```
 */
export function contractText(
  kind: ContractKind,
  records: readonly Record<string, unknown>[],
): string {
  const columns = CONTRACT[kind].columns.map((c) => c.name);
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return "";
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  let text = `${columns.join(",")}\n`;
  for (const r of records) text += columns.map((c) => cell(r[c])).join(",") + "\n";
  return text;
}

/** The contract files of a converted data set, and what went into them. */
export interface ConvertedStore {
  /** File name (`catalog.csv`, `sales.csv`, `competitor.csv`) to its text. */
  files: Record<string, string>;
  /** Counts and choices, for the task's summary. */
  summary: {
    /** The data set. */
    source: string;
    /** The stores kept. */
    stores: number[];
    /** SKUs in the catalog. */
    skus: number;
    /** Their categories. */
    categories: string[];
    /** Weeks from the first to the last. */
    weeks: number;
    /** The first week's first day. */
    first_week: string;
    /** The last week's first day. */
    last_week: string;
    /** Rows per file (and what was filled in). */
    rows: Record<string, number>;
    /** The weekday the weeks start on. */
    week_start: string;
    /** The rules applied, in words. */
    notes: string[];
  };
}
