/**
 * The constrained price optimizer: among the prices the guardrails allow, the one
 * with the highest expected profit under a demand curve.
 *
 * Search: a grid of at least `minCandidates` compliant prices over `[lo, hi]` (plus
 * the previous price when it is allowed), then zoom: the compliant prices between
 * the best point's grid neighbours are gridded again, until neighbours are
 * adjacent compliant prices. On a unimodal profit curve this finds the best
 * compliant price exactly; on any curve it is never worse than the first grid.
 *
 * @module
 */
import {
  bindingConstraints,
  type Conflict,
  type ConstraintName,
  feasibility,
  type Guardrails,
  safePrice,
} from "./guardrails.ts";

/** How to evaluate prices. */
export interface OptimizeOptions {
  /**
   * Expected units per day at each price (currency units). Must return one finite,
   * non-negative number per price, otherwise the result is `invalid_prediction`.
   */
  demand: (prices: readonly number[]) => readonly number[];
  /** Expected sales are capped at this (stock available per day). Default `Infinity`. */
  unitsCap?: number;
  /**
   * Unit cost used in the objective only (below `unitCost` when overstocked, which
   * marks down). Default `g.unitCost`. Guardrails and `expectedProfit` use `g.unitCost`.
   */
  effectiveUnitCost?: number;
  /** Size of the first grid over `[lo, hi]`; all compliant prices when fewer. Default 25. */
  minCandidates?: number;
  /**
   * What is maximised: "profit", `(p − effectiveUnitCost) × units` (default), or
   * "revenue", `p × units`, with units capped by `unitsCap` either way.
   */
  objective?: "profit" | "revenue";
}

/** One evaluated price. */
export interface CurvePoint {
  /** The price, in currency units. */
  price: number;
  /** Expected units per day, capped by the stock. */
  units: number;
  /** Expected gross profit, with the real unit cost. */
  profit: number;
}

/** The optimizer's answer. */
export interface OptimizeResult {
  /**
   * `ok`: the optimum; `infeasible`: no price honours every guardrail; `invalid_prediction`:
   * the demand gave a negative, non-finite or missing value.
   */
  status: "ok" | "infeasible" | "invalid_prediction";
  /** The optimum; the safe price when infeasible or the prediction is invalid. */
  price: number;
  /** At `price`: capped expected units (0 when the prediction is invalid). */
  expectedUnits: number;
  /** `price × expectedUnits`. */
  expectedRevenue: number;
  /** With the real `unitCost`. */
  expectedProfit: number;
  /** The bound constraints `price` sits on (see `bindingConstraints`). */
  binding: ConstraintName[];
  /** Why no price honours every guardrail, when infeasible; else null. */
  conflict: Conflict | null;
  /** Every evaluated price, ascending: capped units and real-cost profit. */
  curve: CurvePoint[];
  /**
   * What was wrong with the prediction (for `invalid_prediction`, or `infeasible` when the
   * safe price could not be evaluated either; then units are 0 and the curve empty), else null.
   */
  message: string | null;
}

/** Relative tolerance under which two objective values count as a tie. */
const _TIE = 1e-12;

/**
 * The price within the guardrails that maximises `(p − effectiveUnitCost) ×
 * min(demand(p), unitsCap)` (or `p × min(demand(p), unitsCap)` with the revenue
 * objective): a grid of compliant prices, then finer grids around the
 * best until its neighbours are adjacent compliant prices. Ties go to the price
 * nearest the previous one, then to the lower. When the guardrails clash it returns
 * the safe price (see `safePrice`); when the demand gives an invalid value, the safe
 * price with status `invalid_prediction`.
 *
 * @param g The guardrails.
 * @param options The demand curve, the stock cap (default `Infinity`), the unit cost the
 * objective weighs (default `g.unitCost`) and the size of the first grid (default 25).
 * @returns The price, its expected units, revenue and profit, and every price evaluated.
 * @throws {TypeError} When `options.demand` is not a function.
 * @throws {RangeError} When `unitsCap` is negative or NaN, `effectiveUnitCost` is not finite,
 * `minCandidates` is not an integer >= 2, or `g` makes no sense.
 *
 * @example Usage
 * ```ts
 * import { optimizePrice } from "./optimizer.ts";
 * import type { Guardrails } from "./guardrails.ts";
 * import assert from "node:assert/strict";
 *
 * const g: Guardrails = {
 *   unitCost: 1.5, floorPrice: 1.99, ceilingPrice: 4.99, minMargin: 0.2, maxDailyChange: 0.1,
 *   priceEnding: "9", previousPrice: 2.99,
 * };
 * // elastic demand (-2.5): the lowest price the daily change allows is best
 * const elastic = optimizePrice(g, { demand: (ps) => ps.map((p) => 100 * (p / 2.99) ** -2.5) });
 * assert.equal(elastic.price, 2.79);
 * assert.deepEqual(elastic.binding, ["max_change_down"]);
 * // inelastic demand (-1.2): the highest
 * const inelastic = optimizePrice(g, { demand: (ps) => ps.map((p) => 100 * (p / 2.99) ** -1.2) });
 * assert.equal(inelastic.price, 3.19);
 * const broken = optimizePrice(g, { demand: (ps) => ps.map(() => NaN) });
 * assert.equal(broken.status, "invalid_prediction");
 * ```
 */
export function optimizePrice(g: Guardrails, options: OptimizeOptions): OptimizeResult {
  const unitsCap = options.unitsCap ?? Infinity;
  const effCost = options.effectiveUnitCost ?? g.unitCost;
  const minCandidates = options.minCandidates ?? 25;
  if (typeof options.demand !== "function") {
    throw new TypeError("Cannot optimize price: options.demand is not a function");
  }
  if (Number.isNaN(unitsCap) || unitsCap < 0) {
    throw new RangeError(`Cannot optimize price: unitsCap ${unitsCap} must be >= 0`);
  }
  if (!Number.isFinite(effCost)) {
    throw new RangeError(`Cannot optimize price: effectiveUnitCost ${effCost} is not finite`);
  }
  if (!Number.isInteger(minCandidates) || minCandidates < 2) {
    throw new RangeError(
      `Cannot optimize price: minCandidates ${minCandidates} must be an integer >= 2`,
    );
  }

  const feas = feasibility(g);
  const evaluated = new Map<number, number>(); // cents → capped units
  const evaluate = (cents: number[]): string | null => {
    const fresh = cents.filter((c) => !evaluated.has(c));
    if (fresh.length === 0) return null;
    const prices = fresh.map((c) => c / 100);
    const units = options.demand(prices);
    if (!units || units.length !== prices.length) {
      return `demand returned ${units?.length ?? "no"} values for ${prices.length} prices`;
    }
    for (let i = 0; i < fresh.length; i++) {
      const u = units[i];
      if (typeof u !== "number" || !Number.isFinite(u) || u < 0) {
        return `demand returned ${u} at price ${prices[i].toFixed(2)}`;
      }
    }
    fresh.forEach((c, i) => evaluated.set(c, Math.min(units[i], unitsCap)));
    return null;
  };
  const curve = () =>
    [...evaluated.keys()].sort((a, b) => a - b).map((c) => ({
      price: c / 100,
      units: evaluated.get(c)!,
      profit: (c / 100 - g.unitCost) * evaluated.get(c)!,
    }));
  const result = (
    status: OptimizeResult["status"],
    cents: number,
    conflict: Conflict | null,
    message: string | null,
  ): OptimizeResult => {
    const price = cents / 100;
    const units = message === null ? evaluated.get(cents) ?? 0 : 0;
    return {
      status,
      price,
      expectedUnits: units,
      expectedRevenue: price * units,
      expectedProfit: (price - g.unitCost) * units,
      binding: bindingConstraints(price, g),
      conflict,
      curve: message === null ? curve() : [],
      message,
    };
  };

  if (!feas.feasible) {
    const safe = Math.round(safePrice(g).price * 100);
    const problem = evaluate([safe]);
    return result("infeasible", safe, feas.conflict, problem);
  }

  const all = feas.candidates;
  const prev = Math.round(g.previousPrice * 100);
  const hasPrev = Math.abs(g.previousPrice * 100 - prev) < 1e-6 && all.includes(prev);
  const objective = options.objective === "revenue"
    ? (c: number) => (c / 100) * evaluated.get(c)!
    : (c: number) => (c / 100 - effCost) * evaluated.get(c)!;
  const better = (a: number, b: number): boolean => {
    const fa = objective(a), fb = objective(b);
    const tol = _TIE * Math.max(1, Math.abs(fa), Math.abs(fb));
    if (Math.abs(fa - fb) > tol) return fa > fb;
    const da = Math.abs(a - prev), db = Math.abs(b - prev);
    if (da !== db) return da < db;
    return a < b;
  };

  // Indices into `all` of the current grid; zoom around the best until neighbours are adjacent.
  let loIdx = 0, hiIdx = all.length - 1;
  let best = -1;
  for (let round = 0; round < 64; round++) {
    const idx = _gridIndices(loIdx, hiIdx, minCandidates);
    const cents = idx.map((i) => all[i]);
    if (round === 0 && hasPrev) cents.push(prev);
    const problem = evaluate(cents);
    if (problem !== null) {
      return result("invalid_prediction", Math.round(safePrice(g).price * 100), null, problem);
    }
    for (const c of cents) if (best < 0 || better(c, best)) best = c;
    if (idx.length === hiIdx - loIdx + 1) break; // every compliant price in range was seen
    const bestIdx = all.indexOf(best);
    const left = idx.filter((i) => i < bestIdx).at(-1) ?? bestIdx;
    const right = idx.find((i) => i > bestIdx) ?? bestIdx;
    if (right - left <= 1) break;
    loIdx = left;
    hiIdx = right;
  }
  return result("ok", best, null, null);
}

/** At least `n` distinct indices spread evenly over `[lo, hi]` (all of them when fewer). */
function _gridIndices(lo: number, hi: number, n: number): number[] {
  const m = hi - lo + 1;
  if (m <= n) return Array.from({ length: m }, (_, i) => lo + i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(lo + Math.round((i * (m - 1)) / (n - 1)));
  return out;
}
