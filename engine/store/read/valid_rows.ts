/**
 * What makes a stored input row usable, as SQL: the same checks the tables
 * enforce at write time (finite numbers, whole counts within 2^53 − 1,
 * calendar dates, enums, SKU codes, text without control characters). A row
 * written with the checks bypassed fails it; readers leave such rows out and
 * the history sync quarantines them, so one bad row never stops a read.
 *
 * @module
 */
import { count, finite, isoDate, plainText, positive, skuCode } from "../migrations/_checks.ts";

/** The input tables whose rows are checked on read. */
export type InputTable = "catalog" | "sales" | "inventory" | "competitor_prices";

const reason = plainText("reason", 500);

/** Per input table and column, the SQL condition a usable value meets. */
export const COLUMN_CHECKS: Readonly<Record<InputTable, Readonly<Record<string, string>>>> = {
  catalog: {
    sku: skuCode("sku"),
    effective_date: isoDate("effective_date"),
    category: `(length(category) >= 1 AND ${plainText("category", 64)})`,
    name: `(name IS NULL OR ${plainText("name", 200)})`,
    unit_cost: positive("unit_cost"),
    floor_price: positive("floor_price"),
    ceiling_price: `(${positive("ceiling_price")} AND ceiling_price >= floor_price)`,
    min_margin: "(min_margin >= 0 AND min_margin < 1)",
    max_daily_change: "(max_daily_change > 0 AND max_daily_change <= 1)",
    price_ending: "(price_ending IN ('any', '9', '99', '49|99'))",
    active: "(active IN (0, 1))",
    reason,
    family: "(family IS NULL OR length(family) BETWEEN 1 AND 64)",
    size: `(size IS NULL OR ${positive("size")})`,
    key_value_item: "(key_value_item IN (0, 1))",
  },
  sales: {
    sku: skuCode("sku"),
    date: isoDate("date"),
    units: count("units"),
    returned_units: count("returned_units"),
    revenue: `(${finite("revenue")} AND revenue >= 0)`,
    shelf_price: positive("shelf_price"),
    promo: "(promo IN (0, 1))",
    reason,
  },
  inventory: {
    sku: skuCode("sku"),
    date: isoDate("date"),
    on_hand: count("on_hand"),
    on_order: count("on_order"),
    next_receipt_date: `(next_receipt_date IS NULL OR ${isoDate("next_receipt_date")})`,
    reason,
  },
  competitor_prices: {
    sku: skuCode("sku"),
    date: isoDate("date"),
    competitor_price: positive("competitor_price"),
    reason,
  },
};

/** Per input table, the SQL condition a usable row meets (NULL counts as failing). */
export const VALID_ROW: Readonly<Record<InputTable, string>> = Object.fromEntries(
  Object.entries(COLUMN_CHECKS).map((
    [t, checks],
  ) => [t, `coalesce(${Object.values(checks).join(" AND ")}, 0)`]),
) as Record<InputTable, string>;

/**
 * A column read safely: an integer column beyond 2^53 − 1 (or not an integer) reads as
 * NULL instead of failing the whole statement in JavaScript.
 */
export function safeInteger(column: string): string {
  return `CASE WHEN typeof(${column}) = 'integer' AND ${column} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${column} END`;
}
