/**
 * Reading one cell of a contract file by its type: the value, or the rule it
 * breaks with a message that names what was expected. Never throws.
 *
 * @module
 */
import type { CellType } from "../schema/contract.ts";
import { isEngineDate } from "../schema/common.ts";

/** A value a cell can hold once read. */
export type CellValue = string | number | boolean | null;

/** A rule a cell (or a row, or a header) can break. */
export type Rule =
  | "missing_value"
  | "not_a_number"
  | "not_finite"
  | "not_whole"
  | "negative"
  | "not_positive"
  | "out_of_range"
  | "not_a_date"
  | "after_as_of"
  | "not_period_start"
  | "bad_sku"
  | "bad_text"
  | "bad_enum"
  | "bad_boolean"
  | "missing_column"
  | "unknown_column"
  | "repeated_column"
  | "wrong_cell_count"
  | "floor_above_ceiling"
  | "duplicate_key"
  | "not_in_catalog"
  | "conflict";

/** What reading a cell gives. */
export type CellResult = { ok: true; value: CellValue } | {
  ok: false;
  rule: Rule;
  message: string;
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SKU = /^[A-Za-z0-9._-]{1,64}$/;
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
// deno-lint-ignore no-control-regex -- control characters are what a text cell may not hold
const CONTROL = /[\u0000-\u001f\u007f]/;
const ENDINGS = new Set(["any", "9", "99", "49|99"]);
const TEXT_MAX = 200;

const bad = (rule: Rule, message: string): CellResult => ({ ok: false, rule, message });
const ok = (value: CellValue): CellResult => ({ ok: true, value });

function number(text: string): CellResult {
  if (!NUMBER.test(text)) return bad("not_a_number", "expected a number such as 12 or 3.49");
  const x = Number(text);
  if (!Number.isFinite(x)) return bad("not_finite", "expected a finite number");
  return ok(x);
}

function whole(text: string, min: number): CellResult {
  const n = number(text);
  if (!n.ok) return n;
  const x = n.value as number;
  if (!Number.isInteger(x)) return bad("not_whole", "expected a whole number");
  if (x < min) return bad("negative", `expected a whole number >= ${min}`);
  if (!Number.isSafeInteger(x)) {
    return bad("out_of_range", `expected a whole number of at most ${Number.MAX_SAFE_INTEGER}`);
  }
  return ok(x === 0 ? 0 : x);
}

function bounded(
  text: string,
  test: (x: number) => boolean,
  rule: Rule,
  expected: string,
): CellResult {
  const n = number(text);
  if (!n.ok) return n;
  return test(n.value as number) ? n : bad(rule, `expected ${expected}`);
}

const READERS: Record<CellType, (text: string) => CellResult> = {
  sku: (t) =>
    SKU.test(t) ? ok(t) : bad("bad_sku", "expected 1-64 letters, digits, '.', '-' or '_'"),
  date: (t) =>
    isEngineDate(t)
      ? ok(t)
      : bad("not_a_date", "expected a calendar date YYYY-MM-DD in the years 2000-2199"),
  timestamp: (t) => {
    const m = TIMESTAMP.exec(t);
    const time = m && m[2] !== undefined
      ? Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60
      : true;
    return m && time && isEngineDate(m[1])
      ? ok(m[1])
      : bad("not_a_date", "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] in the years 2000-2199");
  },
  text: (t) =>
    CONTROL.test(t) || t.length > TEXT_MAX
      ? bad("bad_text", `expected at most ${TEXT_MAX} characters without control characters`)
      : ok(t),
  count: (t) => whole(t, 0),
  integer: (t) => whole(t, -Number.MAX_SAFE_INTEGER),
  money: (t) => bounded(t, (x) => x >= 0, "negative", "an amount of 0 or more"),
  price: (t) => bounded(t, (x) => x > 0, "not_positive", "a price above 0"),
  fraction: (t) => bounded(t, (x) => x >= 0 && x < 1, "out_of_range", "a fraction in [0, 1)"),
  change: (t) => bounded(t, (x) => x > 0 && x <= 1, "out_of_range", "a fraction in (0, 1]"),
  boolean: (t) => {
    const v = t.toLowerCase();
    if (v === "true" || v === "1") return ok(true);
    if (v === "false" || v === "0") return ok(false);
    return bad("bad_boolean", "expected true or false");
  },
  price_ending: (t) =>
    ENDINGS.has(t) ? ok(t) : bad("bad_enum", "expected one of any, 9, 99, 49|99"),
};

/**
 * Reads a cell of type `type`. Surrounding spaces are ignored; an empty cell is
 * `missing_value` (the caller decides whether that is allowed).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCell } from "./cells.ts";
 *
 * assert.deepEqual(readCell("count", " 12 "), { ok: true, value: 12 });
 * assert.equal(readCell("count", "-1").ok, false);
 * assert.deepEqual(readCell("timestamp", "2024-03-01T09:15"), { ok: true, value: "2024-03-01" });
 * assert.equal(readCell("price", "1e999").ok, false);
 * ```
 */
export function readCell(type: CellType, text: string): CellResult {
  const t = text.trim();
  if (t === "") return bad("missing_value", "expected a value");
  return READERS[type](t);
}
