/**
 * What the importer needs to know of each kind of record, declared once per
 * kind: how a row's values become a record, the row's own checks, its key,
 * which values make two records the same fact, how stored records are read
 * for comparison, and how records are appended.
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
import type { CellValue, Rule } from "./cells.ts";
import {
  readCatalogHistory,
  readCompetitorPrices,
  readInventory,
  readSales,
} from "../store/queries.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  type AppendOptions,
  appendSales,
} from "../store/writer.ts";
import { addDays } from "../util/date.ts";

/** The stored kinds of record (a transactions file becomes sales). */
export type RecordKind = "catalog" | "sales" | "inventory" | "competitor";

/** The record of each stored kind. */
export interface KindRecords {
  catalog: CatalogRecord;
  sales: SalesRecord;
  inventory: InventoryRecord;
  competitor: CompetitorPriceRecord;
}

/** A record of any stored kind. */
export type AnyRecord = KindRecords[RecordKind];

/** A problem of a whole row found by its own checks. */
export interface RowCheck {
  column: string;
  rule: Rule;
  message: string;
}

/** What the importer knows of one kind of record. */
export interface KindAdapter<T extends AnyRecord> {
  kind: RecordKind;
  /** The record of a row's values; `reason` is what the row records. */
  toRecord(values: Record<string, CellValue>, reason: string): T;
  /** Checks across the row's values. */
  check(record: T): RowCheck[];
  /** The date the row reports a fact for (checked against as-of), or null (catalog). */
  factDate(record: T): string | null;
  /** The date of its key. */
  keyDate(record: T): string;
  /** The values that make the fact, in contract order (reason and bookkeeping left out). */
  facts(record: T): readonly (string | number | boolean | null)[];
  /** Names of `facts`, for messages. */
  factNames: readonly string[];
  /** Stored records whose key date is in [from, to], latest per key, by SKU and date. */
  readStored(db: DatabaseSync, from: string, to: string): T[];
  append(db: DatabaseSync, records: readonly T[], options: AppendOptions): number;
}

const str = (v: CellValue) => v as string;
const num = (v: CellValue) => v as number;

/** The latest record per (SKU, key date) of records sorted by SKU, date and recording order. */
function latestPerKey<T extends AnyRecord>(list: readonly T[], keyDate: (r: T) => string): T[] {
  const out: T[] = [];
  for (const r of list) {
    const prev = out[out.length - 1];
    if (prev && prev.sku === r.sku && keyDate(prev) === keyDate(r)) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

/** Longest category the store keeps (its schema and the database agree). */
const CATEGORY_MAX = 64;

const catalog: KindAdapter<CatalogRecord> = {
  kind: "catalog",
  toRecord: (v, reason) => ({
    sku: str(v.sku),
    effective_date: str(v.effective_date),
    category: str(v.category),
    name: v.name === null || v.name === undefined ? null : str(v.name),
    unit_cost: num(v.unit_cost),
    floor_price: num(v.floor_price),
    ceiling_price: num(v.ceiling_price),
    min_margin: num(v.min_margin),
    max_daily_change: num(v.max_daily_change),
    price_ending: str(v.price_ending) as CatalogRecord["price_ending"],
    active: v.active as boolean,
    reason,
  }),
  check: (r) => {
    const out: RowCheck[] = [];
    // A text cell holds up to 200 characters; a category, as the contract says, 64.
    if (r.category.length > CATEGORY_MAX) {
      out.push({
        column: "category",
        rule: "bad_text",
        message: `expected at most ${CATEGORY_MAX} characters (found ${r.category.length})`,
      });
    }
    if (r.floor_price > r.ceiling_price) {
      out.push({
        column: "floor_price",
        rule: "floor_above_ceiling",
        message: `floor_price ${r.floor_price} is above ceiling_price ${r.ceiling_price}`,
      });
    }
    return out;
  },
  factDate: () => null,
  keyDate: (r) => r.effective_date,
  factNames: [
    "category",
    "name",
    "unit_cost",
    "floor_price",
    "ceiling_price",
    "min_margin",
    "max_daily_change",
    "price_ending",
    "active",
  ],
  facts: (r) => [
    r.category,
    r.name,
    r.unit_cost,
    r.floor_price,
    r.ceiling_price,
    r.min_margin,
    r.max_daily_change,
    r.price_ending,
    r.active,
  ],
  readStored: (db, from, to) =>
    latestPerKey(
      readCatalogHistory(db, addDays(to, 1)).filter((r) => r.effective_date >= from),
      (r) => r.effective_date,
    ),
  append: appendCatalog,
};

const sales: KindAdapter<SalesRecord> = {
  kind: "sales",
  toRecord: (v, reason) => ({
    sku: str(v.sku),
    date: str(v.date),
    units: num(v.units),
    returned_units: num(v.returned_units),
    revenue: num(v.revenue),
    shelf_price: num(v.shelf_price),
    promo: v.promo as boolean,
    reason,
  }),
  check: () => [],
  factDate: (r) => r.date,
  keyDate: (r) => r.date,
  factNames: ["units", "revenue", "shelf_price", "promo", "returned_units"],
  facts: (r) => [r.units, r.revenue, r.shelf_price, r.promo, r.returned_units],
  readStored: (db, from, to) => readSales(db, from, addDays(to, 1)),
  append: appendSales,
};

const inventory: KindAdapter<InventoryRecord> = {
  kind: "inventory",
  toRecord: (v, reason) => ({
    sku: str(v.sku),
    date: str(v.date),
    on_hand: num(v.on_hand),
    on_order: num(v.on_order),
    next_receipt_date: v.next_receipt_date === null ? null : str(v.next_receipt_date),
    reason,
  }),
  check: () => [],
  factDate: (r) => r.date,
  keyDate: (r) => r.date,
  factNames: ["on_hand", "on_order", "next_receipt_date"],
  facts: (r) => [r.on_hand, r.on_order, r.next_receipt_date],
  readStored: (db, from, to) => readInventory(db, from, addDays(to, 1)),
  append: appendInventory,
};

const competitor: KindAdapter<CompetitorPriceRecord> = {
  kind: "competitor",
  toRecord: (v, reason) => ({
    sku: str(v.sku),
    date: str(v.date),
    competitor_price: num(v.competitor_price),
    reason,
  }),
  check: () => [],
  factDate: (r) => r.date,
  keyDate: (r) => r.date,
  factNames: ["competitor_price"],
  facts: (r) => [r.competitor_price],
  readStored: (db, from, to) => readCompetitorPrices(db, from, addDays(to, 1)),
  append: appendCompetitorPrices,
};

/** The adapter of each stored kind. */
export const KINDS: { readonly [K in RecordKind]: KindAdapter<KindRecords[K]> } = {
  catalog,
  sales,
  inventory,
  competitor,
};
