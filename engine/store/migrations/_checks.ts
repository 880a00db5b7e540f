/**
 * SQL CHECK fragments shared by the migrations: what the database itself
 * refuses at write time, so that a value no reader can use never lands in an
 * input table (a NaN becomes NULL in SQLite; Infinity, a date that is not a
 * calendar date, or an integer beyond 2^53 − 1 would stop every later read).
 *
 * @module
 */

/** Largest integer a JavaScript number holds exactly (2^53 − 1). */
export const MAX_SAFE_INTEGER_SQL = "9007199254740991";

/** A calendar date `YYYY-MM-DD` in the years 2000–2199. */
export function isoDate(column: string): string {
  return `(${column} GLOB '2[01][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND date(${column}) = ${column})`;
}

/** A finite number (SQLite stores ±Infinity for 1e999; NULL is left to NOT NULL). */
export function finite(column: string): string {
  return `(${column} BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308)`;
}

/** A finite number > 0. */
export function positive(column: string): string {
  return `(${finite(column)} AND ${column} > 0)`;
}

/** A whole number in [0, 2^53 − 1]. */
export function count(column: string): string {
  return `(${column} BETWEEN 0 AND ${MAX_SAFE_INTEGER_SQL})`;
}

/** Text without control characters (no newline, tab or escape), at most `max` characters. */
export function plainText(column: string, max = 500): string {
  return `(length(${column}) <= ${max} AND NOT ${column} GLOB ('*[' || char(1) || '-' || char(31) || char(127) || ']*'))`;
}

/** A SKU code: 1–64 letters, digits, '.', '-' or '_'. */
export function skuCode(column: string): string {
  return `(length(${column}) BETWEEN 1 AND 64 AND NOT ${column} GLOB '*[^A-Za-z0-9._-]*')`;
}
