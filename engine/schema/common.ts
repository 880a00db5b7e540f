/** Building blocks shared by the record schemas. @module */
import { z } from "zod";
import { isIsoDate } from "../util/date.ts";
import { InputTypeError } from "../util/errors.ts";

/** First and last calendar dates the engine accepts (years 2000–2199). */
export const DATE_RANGE = { first: "2000-01-01", last: "2199-12-31" } as const;

/** Whether `value` is a calendar date `YYYY-MM-DD` in the years 2000–2199. */
export function isEngineDate(value: unknown): value is string {
  return typeof value === "string" && isIsoDate(value) && value >= DATE_RANGE.first &&
    value <= DATE_RANGE.last;
}

/** A calendar date written `YYYY-MM-DD`, in the years 2000–2199. */
export const IsoDate = z.string().refine(isEngineDate, {
  error: (issue) =>
    `expected a calendar date as YYYY-MM-DD in the years 2000-2199, got ${
      JSON.stringify(issue.input)
    }`,
});

/** Text of at most `max` characters without control characters (no newline, tab or escape). */
export function plainText(max: number): z.ZodString {
  // deno-lint-ignore no-control-regex -- control characters are exactly what it refuses
  return z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, {
    error: "must not contain control characters (newline, tab, escape)",
  });
}

/** A SKU code: letters, digits, dot, dash or underscore. */
export const Sku = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, {
  error: (issue) =>
    `expected a SKU code of 1-64 letters, digits, '.', '-' or '_', got ${
      JSON.stringify(issue.input)
    }`,
});

/** A strictly positive money amount. */
export const Price = z.number().finite().positive();

/** A fraction in [0, 1). */
export const Fraction = z.number().finite().min(0).lt(1);

/** How a shelf price must end. `any`: any cent; `9`: last cent digit 9; `99`: x.99; `49|99`: x.49 or x.99. */
export const PriceEnding = z.enum(["any", "9", "99", "49|99"]);
export type PriceEnding = z.infer<typeof PriceEnding>;

/**
 * Parses `value` with `schema`, throwing a `TypeError` whose message names the
 * action, each failing field and the value found there.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  action: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new TypeError(`Cannot ${action}: ${describeIssues(result.error, value)}`);
}

/**
 * {@linkcode parseOrThrow} for what a user supplies (an imported record, a request,
 * a file's line): the error is an `InputTypeError`, wrong input the user can fix,
 * where `parseOrThrow` is kept for the engine's own records (a stored row, a
 * computed one), whose failure is a fault.
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  action: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputTypeError(`Cannot ${action}: ${describeIssues(result.error, value)}`);
}

/** One line per issue: `field: message (value: …)`. */
export function describeIssues(error: z.ZodError, value: unknown): string {
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
