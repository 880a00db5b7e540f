/**
 * Guardrails: the hard constraints every shelf price must honour, what they imply
 * (a cent interval and a price ending), which ones a price breaks, and the safe
 * price to fall back on when they cannot all hold.
 *
 * Money is handled in integer cents. Each constraint declares one predicate on a
 * price in cents; `violations()` is built from those predicates and is the single
 * source of truth. Bounds are derived from the formulas and then nudged cent by
 * cent until the predicate agrees, so a price sitting on a bound really passes.
 *
 * @module
 */
import type { GuardrailTerms } from "../schema/guardrails.ts";
import type { CamelCased } from "../util/camel_case.ts";
import {
  endingPricesBetween,
  endingStep,
  endsWith,
  isPriceEnding,
  nearestEnding,
} from "./price_ending.ts";
import { InputError } from "../util/errors.ts";

/**
 * A SKU's pricing constraints, in currency units (not cents): its
 * {@linkcode GuardrailTerms} in camelCase and today's price. The functions here
 * accept a wider range than a catalog record does (see `assertGuardrails`: a
 * `maxDailyChange` of 0 or above 1, for instance).
 */
export interface Guardrails extends CamelCased<GuardrailTerms> {
  /** The price on the shelf today. */
  previousPrice: number;
}

/** The name of each constraint, resolved in `CONSTRAINTS`. */
export type ConstraintName =
  | "floor"
  | "ceiling"
  | "min_margin"
  | "max_change_up"
  | "max_change_down"
  | "price_ending";

/** Every constraint name, in canonical order (the order lists are reported in). */
export const CONSTRAINT_NAMES: readonly ConstraintName[] = [
  "floor",
  "ceiling",
  "min_margin",
  "max_change_up",
  "max_change_down",
  "price_ending",
];

/** The conflict codes `feasibility()` can return. */
export type ConflictCode =
  | "floor_above_ceiling"
  | "margin_above_ceiling"
  | "max_change_down_above_ceiling"
  | "floor_above_max_change_up"
  | "margin_above_max_change_up"
  | "max_change_down_above_max_change_up"
  | "no_price_ending_in_range";

/** Why no price satisfies every constraint. */
export interface Conflict {
  /** The tightest clashing pair, as `<lower>_above_<upper>`, or `no_price_ending_in_range`. */
  code: ConflictCode;
  /** Every constraint involved in a clash, in canonical order. */
  constraints: ConstraintName[];
  /** A sentence naming the constraints and their values. */
  message: string;
}

/** The outcome of `feasibility()`. */
export type Feasibility =
  | { feasible: true; candidates: number[] }
  | { feasible: false; conflict: Conflict };

/** The cent interval each bound constraint allows, and their intersection `[lo, hi]`. */
export interface PriceBounds {
  /** The lowest cent every lower bound allows. */
  lo: number;
  /** The highest cent every upper bound allows (empty interval when below `lo`). */
  hi: number;
  /** Lowest allowed cents per lower-bound constraint. */
  lower: { floor: number; min_margin: number; max_change_down: number };
  /** Highest allowed cents per upper-bound constraint. */
  upper: { ceiling: number; max_change_up: number };
}

/** A safe price and the constraints it had to break. */
export interface SafePrice {
  /** The price, in currency units. */
  price: number;
  /** The constraints it breaks, in canonical order (empty when it honours all). */
  relaxed: ConstraintName[];
}

/** Relative slack for float comparisons; far below the effect of one cent. */
const _EPS = 1e-9;

type _Kind = "lower" | "upper" | "ending";

/** What each constraint declares. Everything else uses these declarations. */
interface _Constraint {
  kind: _Kind;
  /** Short name used in conflict codes. */
  code: string;
  /** True when a price of `cents` (possibly fractional) honours the constraint. */
  ok(cents: number, g: Guardrails): boolean;
  /** The formula's bound in fractional cents (refined against `ok`). */
  estimate(g: Guardrails): number;
  /** Phrase used in conflict messages, given the bound in cents. */
  describe(g: Guardrails, boundCents: number): string;
}

const _money = (x: number): string => x.toFixed(2);
const _cents = (c: number): string => _money(c / 100);
const _frac = (x: number): string => String(Number(x.toFixed(6)));

/** The one place that says what each constraint means. */
const CONSTRAINTS: Record<ConstraintName, _Constraint> = {
  floor: {
    kind: "lower",
    code: "floor",
    ok: (c, g) => c >= g.floorPrice * 100 * (1 - _EPS),
    estimate: (g) => g.floorPrice * 100,
    describe: (g) => `the floor is ${_money(g.floorPrice)}`,
  },
  ceiling: {
    kind: "upper",
    code: "ceiling",
    ok: (c, g) => c <= g.ceilingPrice * 100 * (1 + _EPS),
    estimate: (g) => g.ceilingPrice * 100,
    describe: (g) => `the ceiling is ${_money(g.ceilingPrice)}`,
  },
  min_margin: {
    kind: "lower",
    code: "margin",
    ok: (c, g) => c > 0 && (c - g.unitCost * 100) / c >= g.minMargin - _EPS,
    estimate: (g) => (g.unitCost * 100) / (1 - g.minMargin),
    describe: (g, b) =>
      `min margin ${_frac(g.minMargin)} on cost ${_money(g.unitCost)} needs at least ${_cents(b)}`,
  },
  max_change_up: {
    kind: "upper",
    code: "max_change_up",
    ok: (c, g) => c / (g.previousPrice * 100) - 1 <= g.maxDailyChange + _EPS,
    estimate: (g) => g.previousPrice * 100 * (1 + g.maxDailyChange),
    describe: (g, b) =>
      `max daily change ${_frac(g.maxDailyChange)} from ${_money(g.previousPrice)} allows at most ${
        _cents(b)
      }`,
  },
  max_change_down: {
    kind: "lower",
    code: "max_change_down",
    ok: (c, g) => 1 - c / (g.previousPrice * 100) <= g.maxDailyChange + _EPS,
    estimate: (g) => g.previousPrice * 100 * (1 - g.maxDailyChange),
    describe: (g, b) =>
      `max daily change ${_frac(g.maxDailyChange)} from ${_money(g.previousPrice)} needs at least ${
        _cents(b)
      }`,
  },
  price_ending: {
    kind: "ending",
    code: "price_ending",
    ok: (c, g) => Number.isInteger(c) && endsWith(c, g.priceEnding),
    estimate: () => NaN,
    describe: (g) => `the price must end in ${g.priceEnding}`,
  },
};

const _LOWER = CONSTRAINT_NAMES.filter((n) => CONSTRAINTS[n].kind === "lower");
const _UPPER = CONSTRAINT_NAMES.filter((n) => CONSTRAINTS[n].kind === "upper");

/** Largest cent value bounds are clamped to (a billion currency units). */
const _MAX_CENTS = 1e11;

/**
 * Checks that `g` makes sense: finite numbers, a non-negative unit cost, a positive
 * floor and previous price, floor at most ceiling (and a ceiling below a billion),
 * `minMargin` in [0, 1), a non-negative `maxDailyChange` and a known ending.
 *
 * @param g The guardrails.
 * @param action What the caller was doing, completing "Cannot …" in the message. Default "price".
 * @throws {InputError} (a `RangeError`) naming the first value that makes no sense.
 *
 * @example Usage
 * ```ts
 * import { assertGuardrails, type Guardrails } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * assertGuardrails(g);
 * assert.throws(
 *   () => assertGuardrails({ ...g, floorPrice: 5 }, "price A1"),
 *   { name: "InputError", message: "Cannot price A1 as floor 5 exceeds ceiling 4.99" },
 * );
 * ```
 */
export function assertGuardrails(g: Guardrails, action = "price"): void {
  const fail = (why: string) => {
    throw new InputError(`Cannot ${action} as ${why}`);
  };
  const finite = (name: keyof Guardrails) => {
    const v = g[name];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      fail(`${name} is ${String(v)}, not a finite number`);
    }
  };
  finite("unitCost");
  finite("floorPrice");
  finite("ceilingPrice");
  finite("minMargin");
  finite("maxDailyChange");
  finite("previousPrice");
  if (g.unitCost < 0) fail(`unit cost ${g.unitCost} is negative`);
  if (g.floorPrice <= 0) fail(`floor ${g.floorPrice} is not positive`);
  if (g.floorPrice > g.ceilingPrice) {
    fail(`floor ${g.floorPrice} exceeds ceiling ${g.ceilingPrice}`);
  }
  if (g.ceilingPrice * 100 > _MAX_CENTS) fail(`ceiling ${g.ceilingPrice} is implausibly large`);
  if (g.previousPrice <= 0) fail(`previous price ${g.previousPrice} is not positive`);
  if (g.minMargin < 0 || g.minMargin >= 1) fail(`min margin ${g.minMargin} is outside [0, 1)`);
  if (g.maxDailyChange < 0) fail(`max daily change ${g.maxDailyChange} is negative`);
  if (!isPriceEnding(g.priceEnding)) {
    fail(`price ending ${JSON.stringify(g.priceEnding)} is unknown`);
  }
}

/** Price in currency units → cents; whole cents are made exact, others stay fractional. */
function _toCents(price: number): number {
  const c = price * 100;
  const r = Math.round(c);
  return Math.abs(c - r) < 1e-6 ? r : c;
}

/** The lowest whole cent honouring a lower-bound constraint (>= 1). */
function _lowerBound(name: ConstraintName, g: Guardrails): number {
  const k = CONSTRAINTS[name];
  const est = k.estimate(g);
  let b = Math.min(Math.max(1, Math.ceil(Number.isFinite(est) ? est : 1)), _MAX_CENTS);
  while (b < _MAX_CENTS && !k.ok(b, g)) b++;
  while (b > 1 && k.ok(b - 1, g)) b--;
  return b;
}

/** The highest whole cent honouring an upper-bound constraint (may be 0: nothing allowed). */
function _upperBound(name: ConstraintName, g: Guardrails): number {
  const k = CONSTRAINTS[name];
  const est = k.estimate(g);
  let b = Math.max(0, Math.min(_MAX_CENTS, Math.floor(est)));
  while (b > 0 && !k.ok(b, g)) b--;
  while (b < _MAX_CENTS && k.ok(b + 1, g)) b++;
  return b;
}

/**
 * The whole-cent interval `[lo, hi]` implied by floor, min margin, ceiling and max
 * daily change (both ways), with each constraint's own bound. Empty when `lo > hi`.
 * The price ending is not applied.
 *
 * @param g The guardrails.
 * @returns The bounds, in cents.
 * @throws {RangeError} When `g` makes no sense (see {@linkcode assertGuardrails}).
 *
 * @example Usage
 * ```ts
 * import { type Guardrails, priceBounds } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * assert.deepEqual(priceBounds(g), {
 *   lo: 270,
 *   hi: 328,
 *   lower: { floor: 199, min_margin: 188, max_change_down: 270 },
 *   upper: { ceiling: 499, max_change_up: 328 },
 * });
 * ```
 */
export function priceBounds(g: Guardrails): PriceBounds {
  assertGuardrails(g, "compute price bounds");
  const lower = {
    floor: _lowerBound("floor", g),
    min_margin: _lowerBound("min_margin", g),
    max_change_down: _lowerBound("max_change_down", g),
  };
  const upper = {
    ceiling: _upperBound("ceiling", g),
    max_change_up: _upperBound("max_change_up", g),
  };
  return {
    lo: Math.max(lower.floor, lower.min_margin, lower.max_change_down),
    hi: Math.min(upper.ceiling, upper.max_change_up),
    lower,
    upper,
  };
}

function _bound(b: PriceBounds, name: ConstraintName): number {
  return (b.lower as Record<string, number>)[name] ?? (b.upper as Record<string, number>)[name];
}

/**
 * The constraints a price breaks, in canonical order.
 *
 * @param price The price, in currency units; one that is not a whole number of cents
 * breaks `price_ending`.
 * @param g The guardrails.
 * @returns The broken constraints; empty when the price honours them all.
 * @throws {RangeError} When `price` is not a positive finite number or `g` makes no sense.
 *
 * @example Usage
 * ```ts
 * import { type Guardrails, violations } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * assert.deepEqual(violations(2.99, g), []);
 * assert.deepEqual(violations(3.5, g), ["max_change_up", "price_ending"]);
 * ```
 */
export function violations(price: number, g: Guardrails): ConstraintName[] {
  assertGuardrails(g, "check a price");
  if (!Number.isFinite(price) || price <= 0) {
    throw new RangeError(`Cannot check price ${price}: it is not a positive finite number`);
  }
  const c = _toCents(price);
  return CONSTRAINT_NAMES.filter((n) => !CONSTRAINTS[n].ok(c, g));
}

/**
 * The bound constraints a price sits on: those where moving one ending step
 * further (down for a lower bound, up for an upper bound) would break them, plus
 * any it already breaks. `price_ending` is a pattern, not a bound, and is never listed.
 *
 * @param price The price, in currency units.
 * @param g The guardrails.
 * @returns The binding constraints, in canonical order.
 * @throws {RangeError} When `g` makes no sense.
 *
 * @example Usage
 * ```ts
 * import { bindingConstraints, type Guardrails } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * assert.deepEqual(bindingConstraints(3.19, g), ["max_change_up"]); // 3.29 would exceed 3.28
 * assert.deepEqual(bindingConstraints(2.99, g), []);
 * ```
 */
export function bindingConstraints(price: number, g: Guardrails): ConstraintName[] {
  const b = priceBounds(g);
  const c = _toCents(price);
  const step = endingStep(g.priceEnding);
  return CONSTRAINT_NAMES.filter((n) => {
    const k = CONSTRAINTS[n];
    if (k.kind === "lower") return c - step < _bound(b, n);
    if (k.kind === "upper") return c + step > _bound(b, n);
    return false;
  });
}

/**
 * Whether any price honours every constraint: the compliant candidate cents in
 * `[lo, hi]`, or the conflict. With several clashes the code and message name the
 * tightest pair; `constraints` lists every constraint involved in a clash.
 *
 * @param g The guardrails.
 * @returns The candidates in cents, ascending, or the conflict.
 * @throws {RangeError} When `g` makes no sense.
 *
 * @example Usage
 * ```ts
 * import { feasibility, type Guardrails } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * assert.deepEqual(feasibility(g), { feasible: true, candidates: [279, 289, 299, 309, 319] });
 * const costly = feasibility({ ...g, unitCost: 4.5 });
 * assert.equal(costly.feasible, false);
 * assert.equal(!costly.feasible && costly.conflict.code, "margin_above_max_change_up");
 * ```
 */
export function feasibility(g: Guardrails): Feasibility {
  const b = priceBounds(g);
  if (b.lo <= b.hi) {
    const candidates = endingPricesBetween(b.lo, b.hi, g.priceEnding);
    if (candidates.length > 0) return { feasible: true, candidates };
    const lower = _tightest(_LOWER, b, -1);
    const upper = _tightest(_UPPER, b, 1);
    return {
      feasible: false,
      conflict: {
        code: "no_price_ending_in_range",
        constraints: _canonical([lower, upper, "price_ending"]),
        message: `Cannot price: no price ending in ${g.priceEnding} lies between ${
          _cents(b.lo)
        } and ${_cents(b.hi)} (${CONSTRAINTS[lower].describe(g, b.lo)}; ${
          CONSTRAINTS[upper].describe(g, b.hi)
        })`,
      },
    };
  }
  const lower = _tightest(_LOWER, b, -1);
  const upper = _tightest(_UPPER, b, 1);
  const involved = new Set<ConstraintName>();
  for (const l of _LOWER) {
    for (const u of _UPPER) {
      if (_bound(b, l) > _bound(b, u)) involved.add(l).add(u);
    }
  }
  return {
    feasible: false,
    conflict: {
      code: `${CONSTRAINTS[lower].code}_above_${CONSTRAINTS[upper].code}` as ConflictCode,
      constraints: _canonical([...involved]),
      message: `Cannot price: ${CONSTRAINTS[lower].describe(g, b.lo)} but ${
        CONSTRAINTS[upper].describe(g, b.hi)
      }`,
    },
  };
}

/** The lower (sign -1: highest bound) or upper (sign 1: lowest bound) constraint that binds first. */
function _tightest(
  names: readonly ConstraintName[],
  b: PriceBounds,
  sign: 1 | -1,
): ConstraintName {
  let best = names[0];
  for (const n of names) {
    if (sign * _bound(b, n) < sign * _bound(b, best)) best = n;
  }
  return best;
}

function _canonical(names: ConstraintName[]): ConstraintName[] {
  return CONSTRAINT_NAMES.filter((n) => names.includes(n));
}

/**
 * The price to keep when constraints clash. Constraints are relaxed in this order,
 * each stage keeping earlier relaxations:
 *
 * 0. nothing: the compliant candidate nearest the previous price;
 * 1. `price_ending`: the cent in `[lo, hi]` nearest the previous price;
 * 2. max daily change (`max_change_up`/`max_change_down`): the cent between the
 *    floor/margin bound and the ceiling nearest the max-change window;
 * 3. `ceiling`: the lowest cent honouring floor and min margin.
 *
 * Floor and min margin are never relaxed: the safe price never sells below the
 * cost-based floor. `relaxed` lists the constraints the price actually breaks.
 *
 * @param g The guardrails.
 * @returns The safe price and the constraints it breaks.
 * @throws {RangeError} When `g` makes no sense.
 *
 * @example Usage
 * ```ts
 * import { type Guardrails, safePrice } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * assert.deepEqual(safePrice(g), { price: 2.99, relaxed: [] });
 * // cost 4.50 at 20% margin needs 5.63, above the ceiling and the daily change
 * assert.deepEqual(safePrice({ ...g, unitCost: 4.5 }), {
 *   price: 5.63,
 *   relaxed: ["ceiling", "max_change_up", "price_ending"],
 * });
 * ```
 */
export function safePrice(g: Guardrails): SafePrice {
  const b = priceBounds(g);
  const prev = Math.round(g.previousPrice * 100);
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  let cents: number;
  const nearest = nearestEnding(clamp(prev, b.lo, b.hi), g.priceEnding, b.lo, b.hi);
  if (nearest !== null) {
    cents = nearest;
  } else if (b.lo <= b.hi) {
    cents = clamp(prev, b.lo, b.hi);
  } else {
    const lo = Math.max(b.lower.floor, b.lower.min_margin);
    const hi = b.upper.ceiling;
    if (lo <= hi) {
      const window = clamp(prev, b.lower.max_change_down, b.upper.max_change_up);
      cents = clamp(window, lo, hi);
    } else {
      cents = lo;
    }
  }
  const price = cents / 100;
  return { price, relaxed: violations(price, g) };
}
