/**
 * Building blocks shared by the record schemas.
 *
 * Every record is declared once, as a zod schema, and its type is what the schema
 * parses to. `deno doc --lint` asks each exported constant for an explicit type and
 * each public type to refer only to documented types, and zod's own types are zod's
 * to document. So each schema is built under a private `_Name` whose declarator is
 * tagged `@ignore`, exported as `Name` with `typeof _Name` as its type, and its record
 * type is `Infer<typeof Name>`, where {@linkcode Infer} (also `@ignore`) stands for
 * zod's `z.output`. The lint does not follow a reference into an ignored symbol.
 *
 * @module
 */
import { z } from "zod";
import { isIsoDate } from "../util/date.ts";
import { InputTypeError } from "../util/errors.ts";

/**
 * The type a zod schema parses to (zod's `z.output`).
 *
 * @ignore
 */
export type Infer<S> = z.output<S>;

/**
 * The type a zod schema accepts (zod's `z.input`): fields with defaults may be left out.
 *
 * @ignore
 */
export type InferInput<S> = z.input<S>;

/**
 * Any zod schema (zod's `z.ZodType`).
 *
 * @ignore
 */
export type AnySchema = z.ZodType;

/**
 * A failed parse (zod's `z.ZodError`).
 *
 * @ignore
 */
export type SchemaError = z.ZodError;

/** First and last calendar dates the engine accepts (years 2000–2199). */
export const DATE_RANGE: { readonly first: "2000-01-01"; readonly last: "2199-12-31" } = {
  first: "2000-01-01",
  last: "2199-12-31",
};

/**
 * Whether `value` is a calendar date `YYYY-MM-DD` in the years 2000–2199.
 *
 * @example Usage
 * ```ts
 * import { isEngineDate } from "./common.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isEngineDate("2024-02-29"));
 * assert.ok(!isEngineDate("2023-02-29"));
 * assert.ok(!isEngineDate("2200-01-01"));
 * ```
 */
export function isEngineDate(value: unknown): value is string {
  return typeof value === "string" && isIsoDate(value) && value >= DATE_RANGE.first &&
    value <= DATE_RANGE.last;
}

const /** @ignore */ _IsoDate = z.string().refine(isEngineDate, {
  error: (issue) =>
    `expected a calendar date as YYYY-MM-DD in the years 2000-2199, got ${
      JSON.stringify(issue.input)
    }`,
});
/** A calendar date written `YYYY-MM-DD`, in the years 2000–2199. */
export const IsoDate: typeof _IsoDate = _IsoDate;

const /** @ignore */ _plainText = (max: number) =>
  // deno-lint-ignore no-control-regex -- control characters are exactly what it refuses
  z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, {
    error: "must not contain control characters (newline, tab, escape)",
  });

/**
 * Text of at most `max` characters without control characters (no newline, tab or escape).
 *
 * @example Usage
 * ```ts
 * import { plainText } from "./common.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(plainText(20).safeParse("supplier deal").success);
 * assert.ok(!plainText(20).safeParse("two\nlines").success);
 * ```
 */
export function plainText(max: number): ReturnType<typeof _plainText> {
  return _plainText(max);
}

const /** @ignore */ _Sku = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, {
  error: (issue) =>
    `expected a SKU code of 1-64 letters, digits, '.', '-' or '_', got ${
      JSON.stringify(issue.input)
    }`,
});
/** A SKU code: 1 to 64 letters, digits, dots, dashes or underscores. */
export const Sku: typeof _Sku = _Sku;

const /** @ignore */ _Price = z.number().finite().positive();
/** A strictly positive money amount. */
export const Price: typeof _Price = _Price;

const /** @ignore */ _Fraction = z.number().finite().min(0).lt(1);
/** A fraction in [0, 1). */
export const Fraction: typeof _Fraction = _Fraction;

const /** @ignore */ _PriceEnding = z.enum(["any", "9", "99", "49|99"]);
/**
 * How a shelf price must end. `any`: any cent; `9`: last cent digit 9; `99`: x.99;
 * `49|99`: x.49 or x.99.
 */
export const PriceEnding: typeof _PriceEnding = _PriceEnding;
/** A price ending, as {@linkcode PriceEnding} parses it. */
export type PriceEnding = Infer<typeof PriceEnding>;

/**
 * Parses `value` with `schema`, throwing a `TypeError` whose message names the
 * action, each failing field and the value found there.
 *
 * @param schema The zod schema to parse with.
 * @param value The value to check.
 * @param action What the caller was doing, completing "Cannot …" in the message.
 * @returns The parsed value (defaults applied).
 * @throws {TypeError} When `value` does not satisfy `schema`.
 *
 * @example Usage
 * ```ts
 * import { parseOrThrow, Sku } from "./common.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseOrThrow(Sku, "A-12", "read a SKU"), "A-12");
 * assert.throws(() => parseOrThrow(Sku, "A 12", "read a SKU"), {
 *   name: "TypeError",
 *   message: `Cannot read a SKU: (record): expected a SKU code of 1-64 letters, ` +
 *     `digits, '.', '-' or '_', got "A 12" (value: "A 12")`,
 * });
 * ```
 */
export function parseOrThrow<T extends AnySchema>(
  schema: T,
  value: unknown,
  action: string,
): Infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new TypeError(`Cannot ${action}: ${describeIssues(result.error, value)}`);
}

/**
 * {@linkcode parseOrThrow} for what a user supplies (an imported record, a request,
 * a file's line): the error is an `InputTypeError`, wrong input the user can fix,
 * where `parseOrThrow` is kept for the engine's own records (a stored row, a
 * computed one), whose failure is a fault.
 *
 * @example Usage
 * ```ts
 * import { parseInput, Sku } from "./common.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseInput(Sku, "A 12", "read a SKU"), { name: "InputTypeError" });
 * ```
 */
export function parseInput<T extends AnySchema>(
  schema: T,
  value: unknown,
  action: string,
): Infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputTypeError(`Cannot ${action}: ${describeIssues(result.error, value)}`);
}

/**
 * Describes a failed parse: one `field: message (value: …)` per issue, joined by
 * `; `, with the value found at the field (`missing` when absent, long values cut to 60
 * characters).
 *
 * @param error The failed parse.
 * @param value The value that was parsed.
 * @returns The description.
 *
 * @example Usage
 * ```ts
 * import { describeIssues, Price } from "./common.ts";
 * import { z } from "zod";
 * import assert from "node:assert/strict";
 *
 * const value = { price: -1 };
 * const result = z.object({ price: Price, sku: z.string() }).safeParse(value);
 * assert.ok(!result.success);
 * assert.equal(
 *   describeIssues(result.error, value),
 *   "price: Too small: expected number to be >0 (value: -1); " +
 *     "sku: Invalid input: expected string, received undefined (value: missing)",
 * );
 * ```
 */
export function describeIssues(error: SchemaError, value: unknown): string {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(record)";
    const found = valueAt(value, issue.path);
    return `${path}: ${issue.message} (value: ${preview(found)})`;
  }).join("; ");
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function preview(v: unknown): string {
  if (v === undefined) return "missing";
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
