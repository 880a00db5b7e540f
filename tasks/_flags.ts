/**
 * Flag schemas the tasks share, with their bounds. Each helper takes the help
 * text the usage prints; `defineTask` derives the flag's type and its line in
 * the usage from the schema and this metadata.
 *
 * @module
 */
import { z } from "zod";
import { isIsoDate } from "../engine/util/date.ts";
import { DATE_RANGE } from "../engine/schema/common.ts";

/** The first date any task accepts (the engine's). */
export const FIRST_DATE: string = DATE_RANGE.first;
/** The last date any task accepts (a run of several days must end by it too). */
export const LAST_DATE: string = DATE_RANGE.last;
/** The store a task uses without --db (the demo store is created there when missing). */
export const DEFAULT_DB = "data/pricing.db";
/** The most days one command covers (`daily --days`, `sim --days`, `backtest --days`): ten years. */
export const MAX_DAYS = 3_660;

/** Help metadata of a flag, set with `.meta()`. */
export interface FlagMeta {
  /** What the flag does, printed in the usage (long lines are wrapped). */
  help: string;
  /** The placeholder of its value in the usage, e.g. `YYYY-MM-DD`, `N`, `PATH`. */
  arg?: string;
  /** A one-letter alias, e.g. `n` for `-n`. */
  short?: string;
}

/** A date within [{@linkcode FIRST_DATE}, {@linkcode LAST_DATE}]. */
function date(help: string) {
  return z.string().refine((v) => isIsoDate(v) && v >= FIRST_DATE && v <= LAST_DATE, {
    error: `expected a calendar date YYYY-MM-DD from ${FIRST_DATE} to ${LAST_DATE}`,
  }).meta({ arg: "YYYY-MM-DD", help } satisfies FlagMeta);
}

/** A whole number from `min` to `max`. */
function whole(help: string, options: { min?: number; max?: number; arg?: string } = {}) {
  const min = options.min ?? 1;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range = max === Number.MAX_SAFE_INTEGER
    ? `a whole number >= ${min}`
    : `a whole number from ${min} to ${max.toLocaleString("en-US")}`;
  return z.string().regex(/^\d+$/, { error: `expected ${range}` }).transform(Number)
    .refine((n) => n >= min && n <= max, { error: `expected ${range}` })
    .meta({ arg: options.arg ?? "N", help } satisfies FlagMeta);
}

/** Flag schemas shared by tasks. */
export const Flags = {
  /** A calendar date from {@linkcode FIRST_DATE} to {@linkcode LAST_DATE}. */
  date,
  /** A whole number, 1 and up unless `min` says otherwise. */
  whole,
  /** A number of days, 1 to {@linkcode MAX_DAYS}. */
  days: (help: string) => whole(help, { max: MAX_DAYS }),
  /** A seed: a whole number 0 and up. */
  seed: (help: string) => whole(help, { min: 0, arg: "S" }),
  /** The store's path. */
  db: (help: string) => z.string().min(1).meta({ arg: "PATH", help } satisfies FlagMeta),
  /** Free text such as a name or a reason: not blank (control characters are refused for every flag). */
  text: (help: string, arg: string) =>
    z.string().trim().min(1, { error: "must not be blank" }).meta({ arg, help } satisfies FlagMeta),
  /** A switch. */
  on: (help: string) => z.boolean().meta({ help } satisfies FlagMeta),
};
