/**
 * Price endings ("charm pricing"): which cent prices a shelf may show.
 *
 * Every ending is periodic in cents: a price complies when `cents % period` is one
 * of the ending's residues. All functions work on integer cents.
 *
 * @module
 */
import type { PriceEnding } from "../schema/common.ts";
import { InputError } from "../util/errors.ts";

export type { PriceEnding };

/** What each ending declares: the period in cents and the allowed remainders. */
interface _EndingRule {
  period: number;
  residues: readonly number[];
}

/** The one place that says what each ending means. */
const _ENDINGS: Record<PriceEnding, _EndingRule> = {
  "any": { period: 1, residues: [0] },
  "9": { period: 10, residues: [9] },
  "99": { period: 100, residues: [99] },
  "49|99": { period: 100, residues: [49, 99] },
};

/**
 * True when `value` names a price ending (one of the `PriceEnding` schema's values,
 * each of which this table defines).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPriceEnding } from "./price_ending.ts";
 *
 * assert.equal(isPriceEnding("49|99"), true);
 * assert.equal(isPriceEnding("95"), false);
 * assert.equal(isPriceEnding("toString"), false);
 * ```
 */
export function isPriceEnding(value: unknown): value is PriceEnding {
  return typeof value === "string" && Object.hasOwn(_ENDINGS, value);
}

function _rule(ending: PriceEnding): _EndingRule {
  const rule = _ENDINGS[ending];
  if (!rule) {
    throw new InputError(`Cannot apply price ending ${JSON.stringify(ending)}: unknown ending`);
  }
  return rule;
}

function _assertCents(action: string, name: string, cents: number): void {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`Cannot ${action}: ${name} must be a whole number of cents, got ${cents}`);
  }
}

/**
 * Whether a price complies with an ending.
 *
 * @param cents The price in cents; a non-integer never complies.
 * @param ending The ending.
 * @returns True when it complies (e.g. 129 with "9", 1299 with "99").
 * @throws {RangeError} When `ending` is unknown.
 *
 * @example Usage
 * ```ts
 * import { endsWith } from "./price_ending.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(endsWith(1299, "99"), true);
 * assert.equal(endsWith(1249, "49|99"), true);
 * assert.equal(endsWith(1249, "99"), false);
 * assert.equal(endsWith(12.5, "any"), false);
 * ```
 */
export function endsWith(cents: number, ending: PriceEnding): boolean {
  const { period, residues } = _rule(ending);
  if (!Number.isSafeInteger(cents)) return false;
  const r = ((cents % period) + period) % period;
  return residues.includes(r);
}

/**
 * The largest gap in cents between two consecutive compliant prices.
 *
 * @param ending The ending.
 * @returns 1 for "any", 10 for "9", 100 for "99", 50 for "49|99".
 * @throws {RangeError} When `ending` is unknown.
 *
 * @example Usage
 * ```ts
 * import { endingStep } from "./price_ending.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(endingStep("9"), 10);
 * assert.equal(endingStep("49|99"), 50);
 * ```
 */
export function endingStep(ending: PriceEnding): number {
  const { period, residues } = _rule(ending);
  let gap = 0;
  for (let i = 0; i < residues.length; i++) {
    const next = i + 1 < residues.length ? residues[i + 1] : residues[0] + period;
    gap = Math.max(gap, next - residues[i]);
  }
  return gap;
}

/**
 * The smallest compliant price at or above a price.
 *
 * @param cents The price in cents, a whole number.
 * @param ending The ending.
 * @returns The compliant price in cents.
 * @throws {RangeError} When `cents` is not a safe integer or `ending` is unknown.
 *
 * @example Usage
 * ```ts
 * import { nextEnding } from "./price_ending.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nextEnding(1250, "49|99"), 1299);
 * assert.equal(nextEnding(1299, "99"), 1299);
 * ```
 */
export function nextEnding(cents: number, ending: PriceEnding): number {
  _assertCents("find the next price ending", "price", cents);
  const { period, residues } = _rule(ending);
  const base = Math.floor(cents / period) * period;
  for (const offset of [0, period]) {
    for (const r of residues) {
      if (base + offset + r >= cents) return base + offset + r;
    }
  }
  /* c8 ignore next */
  throw new Error("unreachable: every ending has a residue in each period");
}

/**
 * The largest compliant price at or below a price.
 *
 * @param cents The price in cents, a whole number.
 * @param ending The ending.
 * @returns The compliant price in cents.
 * @throws {RangeError} When `cents` is not a safe integer or `ending` is unknown.
 *
 * @example Usage
 * ```ts
 * import { previousEnding } from "./price_ending.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(previousEnding(1250, "49|99"), 1249);
 * assert.equal(previousEnding(1298, "99"), 1199);
 * ```
 */
export function previousEnding(cents: number, ending: PriceEnding): number {
  _assertCents("find the previous price ending", "price", cents);
  const { period, residues } = _rule(ending);
  const base = Math.floor(cents / period) * period;
  for (const offset of [0, -period]) {
    for (let i = residues.length - 1; i >= 0; i--) {
      if (base + offset + residues[i] <= cents) return base + offset + residues[i];
    }
  }
  /* c8 ignore next */
  throw new Error("unreachable: every ending has a residue in each period");
}

/**
 * Every compliant price in an interval.
 *
 * @param loCents The interval's lower end in cents, a whole number (inclusive).
 * @param hiCents Its upper end in cents, a whole number (inclusive).
 * @param ending The ending.
 * @returns The compliant prices in cents, ascending; empty when none or `loCents > hiCents`.
 * @throws {RangeError} When a bound is not a safe integer or `ending` is unknown.
 *
 * @example Usage
 * ```ts
 * import { endingPricesBetween } from "./price_ending.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(endingPricesBetween(270, 328, "9"), [279, 289, 299, 309, 319]);
 * assert.deepEqual(endingPricesBetween(250, 298, "99"), []);
 * ```
 */
export function endingPricesBetween(
  loCents: number,
  hiCents: number,
  ending: PriceEnding,
): number[] {
  _assertCents("list price endings", "lower bound", loCents);
  _assertCents("list price endings", "upper bound", hiCents);
  const out: number[] = [];
  for (let p = nextEnding(loCents, ending); p <= hiCents; p = nextEnding(p + 1, ending)) {
    out.push(p);
  }
  return out;
}

/**
 * The compliant price in an interval nearest to a price; ties go to the lower price
 * (the customer's side).
 *
 * @param cents The price in cents, a whole number (clamped into the interval first).
 * @param ending The ending.
 * @param loCents The interval's lower end in cents (inclusive).
 * @param hiCents Its upper end in cents (inclusive).
 * @returns The compliant price in cents, or null when the interval holds none.
 * @throws {RangeError} When a price or bound is not a safe integer or `ending` is unknown.
 *
 * @example Usage
 * ```ts
 * import { nearestEnding } from "./price_ending.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nearestEnding(294, "9", 0, 1000), 289); // a tie: 289 and 299
 * assert.equal(nearestEnding(294, "99", 0, 250), 199);
 * assert.equal(nearestEnding(294, "99", 200, 250), null);
 * ```
 */
export function nearestEnding(
  cents: number,
  ending: PriceEnding,
  loCents: number,
  hiCents: number,
): number | null {
  _assertCents("find the nearest price ending", "price", cents);
  _assertCents("find the nearest price ending", "lower bound", loCents);
  _assertCents("find the nearest price ending", "upper bound", hiCents);
  if (loCents > hiCents) return null;
  const target = Math.min(Math.max(cents, loCents), hiCents);
  const down = previousEnding(target, ending);
  const up = nextEnding(target, ending);
  const downOk = down >= loCents;
  const upOk = up <= hiCents;
  if (downOk && upOk) return target - down <= up - target ? down : up;
  if (downOk) return down;
  if (upOk) return up;
  return null;
}
