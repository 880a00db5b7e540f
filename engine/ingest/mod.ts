/**
 * Bringing a retailer's own data in: the data contract's files (CSV or
 * Parquet) validated row by row and imported with every problem named.
 *
 * @module
 */
export * from "./cells.ts";
export * from "./rows.ts";
export * from "./parse.ts";
export * from "./transactions.ts";
export * from "./import.ts";
export * from "./write_csv.ts";
