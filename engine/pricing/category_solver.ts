/**
 * The category solver: one candidate price per item (a SKU, a family, or each
 * size of a ladder) that maximises the category's objective subject to a few
 * constraints summed over items (units and revenue floors, the price index),
 * written as `Σ terms ≥ target`.
 *
 * Method: Lagrangian relaxation. For multipliers λ ≥ 0 every item picks, on its
 * own, the candidate maximising value + Σ λ_k·term_k (a ladder by dynamic
 * programming over its sizes, so its unit prices never rise with size). The
 * multipliers are searched coordinate by coordinate, each by bisection for the
 * smallest λ_k that meets its constraint, cycling until none moves. Every λ
 * evaluated gives an upper bound on the best objective, D(λ) = Σ max(value +
 * λ·term) − λ·target; the best feasible choice seen is then improved by single
 * moves that keep every constraint (or, when none was feasible, repaired by the
 * moves that cut the violation at the least cost). The reported gap, (min D −
 * value) / |value|, bounds how far the answer can be from the optimum over the
 * candidates; on a discrete problem it includes the duality gap, so the true gap
 * is smaller. See `category_solver_test.ts` for measured gaps against exhaustive
 * search.
 *
 * Deterministic: items in the order given, candidates ascending, ties to the
 * item's preferred candidate, then to the lower price.
 *
 * @module
 */

/** One price decision of an item: a group of SKUs sharing a price. */
export interface SolverGroup {
  /** Candidate prices in cents, ascending. */
  cents: readonly number[];
  /** The objective at each candidate (summed over the group's SKUs). */
  value: readonly number[];
  /** Contribution to each constraint at each candidate: `terms[k][c]`. */
  terms: readonly (readonly number[])[];
  /** The candidate to prefer on ties (e.g. today's price), or -1. */
  prefer: number;
  /** Pack size, for ladders: unit price = cents / size. */
  size: number | null;
}

/** What is priced as one: a SKU, a family, or a ladder of sizes. */
export interface SolverItem {
  /** Names the item in errors (a SKU or a family). */
  id: string;
  /** One group, or several by ascending size for a ladder. */
  groups: readonly SolverGroup[];
  /** True: unit prices must not rise with size across the groups. */
  ladder: boolean;
}

/** `Σ_items terms[k] ≥ target`. */
export interface SolverConstraint {
  /** Names the constraint in `SolveResult.violated`. */
  name: string;
  /** The least the terms must sum to. */
  target: number;
}

/** The solver's answer. */
export interface SolveResult {
  /** Per item, per group: the index of the chosen candidate. */
  choice: number[][];
  /** The objective at the choice. */
  value: number;
  /** Σ terms per constraint at the choice. */
  levels: number[];
  /** Every constraint holds at the choice. */
  feasible: boolean;
  /** Constraints that do not hold at the choice. */
  violated: string[];
  /** The Lagrange multiplier λ of each constraint at the end of the search (0: not binding). */
  multipliers: number[];
  /** The least D(λ) seen: no choice meeting the constraints has a higher objective. */
  dualBound: number;
  /** (dualBound − value) / max(|value|, 1e-9) when feasible, else null. */
  gap: number | null;
  /** Item best-responses computed. */
  evaluations: number;
}

/** Options of {@linkcode solveCategory}. */
export interface SolveOptions {
  /** Cycles of the multiplier search. Default 8. */
  maxCycles?: number;
}

const _TOL = 1e-9;

function _holds(level: number, target: number): boolean {
  return level >= target - _TOL * Math.max(1, Math.abs(target));
}

/**
 * Maximises Σ value subject to the constraints; see the module notes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { solveCategory, type SolverItem } from "./category_solver.ts";
 *
 * // Two SKUs: profit at each candidate price and units as the one constraint's term.
 * const items: SolverItem[] = [
 *   {
 *     id: "A",
 *     ladder: false,
 *     groups: [{
 *       cents: [100, 150, 200], value: [10, 14, 12], terms: [[10, 8, 5]], prefer: -1, size: null,
 *     }],
 *   },
 *   {
 *     id: "B",
 *     ladder: false,
 *     groups: [{ cents: [100, 150], value: [9, 11], terms: [[9, 6]], prefer: -1, size: null }],
 *   },
 * ];
 * // Alone each would take 1.50 (25 profit, 14 units); at least 17 units are asked for.
 * const r = solveCategory(items, [{ name: "units", target: 17 }]);
 * assert.deepEqual(r.choice, [[1], [0]]);
 * assert.equal(r.value, 23);
 * assert.deepEqual(r.levels, [17]);
 * assert.ok(r.feasible);
 * assert.equal(r.gap, 0);
 * ```
 */
export function solveCategory(
  items: readonly SolverItem[],
  constraints: readonly SolverConstraint[],
  options: SolveOptions = {},
): SolveResult {
  const K = constraints.length;
  for (const item of items) _assertItem(item, K);
  const maxCycles = options.maxCycles ?? 8;
  let evaluations = 0;
  let bestBound = Infinity;
  let bestFeasible: { choice: number[][]; value: number } | null = null;
  let leastViolating: { choice: number[][]; violation: number } | null = null;
  const scales = _scales(items, K);

  const respond = (lambda: readonly number[]) => {
    evaluations++;
    const choice: number[][] = [];
    let lagrangian = 0;
    for (const item of items) {
      const r = _bestResponse(item, lambda);
      choice.push(r.choice);
      lagrangian += r.score;
    }
    let bound = lagrangian;
    for (let k = 0; k < K; k++) bound -= lambda[k] * constraints[k].target;
    bestBound = Math.min(bestBound, bound);
    const { value, levels } = _evaluate(items, choice, K);
    const violation = _violation(levels, constraints, scales);
    if (violation === 0) {
      if (!bestFeasible || value > bestFeasible.value + _TOL * Math.max(1, Math.abs(value))) {
        bestFeasible = { choice, value };
      }
    } else if (!leastViolating || violation < leastViolating.violation) {
      leastViolating = { choice, violation };
    }
    return levels;
  };

  const lambda = new Array<number>(K).fill(0);
  let levels = respond(lambda);
  for (let cycle = 0; cycle < maxCycles && K > 0; cycle++) {
    let moved = false;
    for (let k = 0; k < K; k++) {
      const target = constraints[k].target;
      const at = (x: number) => {
        const trial = lambda.slice();
        trial[k] = x;
        return respond(trial)[k];
      };
      const before = lambda[k];
      if (!_holds(levels[k], target)) {
        // Raise λ_k until the constraint holds (or give up at the cap).
        let lo = lambda[k];
        let hi = Math.max(lambda[k] * 2, scales.lambda[k]);
        const cap = scales.lambda[k] * 1e8;
        while (!_holds(at(hi), target) && hi < cap) {
          lo = hi;
          hi *= 4;
        }
        lambda[k] = _bisect(lo, hi, (x) => _holds(at(x), target));
      } else if (lambda[k] > 0) {
        // Lower λ_k to the least that still meets the constraint.
        lambda[k] = _holds(at(0), target) ? 0 : _bisect(0, lambda[k], (x) => _holds(at(x), target));
      }
      levels = respond(lambda);
      if (Math.abs(lambda[k] - before) > 1e-9 * Math.max(1, before)) moved = true;
    }
    if (!moved) break;
  }

  let choice: number[][];
  const found = bestFeasible as { choice: number[][]; value: number } | null;
  if (found) {
    choice = _improve(items, found.choice.map((c) => c.slice()), constraints);
  } else {
    const start = (leastViolating as { choice: number[][] } | null)?.choice ??
      items.map((item) => _bestResponse(item, lambda).choice);
    choice = _repair(items, start.map((c) => c.slice()), constraints, scales);
  }
  const final = _evaluate(items, choice, K);
  const violated = constraints.filter((c, k) => !_holds(final.levels[k], c.target)).map((c) =>
    c.name
  );
  const feasible = violated.length === 0;
  return {
    choice,
    value: final.value,
    levels: final.levels,
    feasible,
    violated,
    multipliers: lambda,
    dualBound: bestBound,
    gap: feasible
      ? Math.max(0, (bestBound - final.value) / Math.max(Math.abs(final.value), 1e-9))
      : null,
    evaluations,
  };
}

/**
 * The most of constraint `k`'s sum reachable while the `others` hold: the solver
 * run with that sum as the objective. Null when the others cannot hold either.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxLevel, type SolverItem } from "./category_solver.ts";
 *
 * // Terms: units (0) and revenue (1) at each candidate price.
 * const items: SolverItem[] = [
 *   {
 *     id: "A",
 *     ladder: false,
 *     groups: [{
 *       cents: [100, 150, 200], value: [10, 14, 12], terms: [[10, 8, 5], [10, 12, 10]], prefer: -1,
 *       size: null,
 *     }],
 *   },
 *   {
 *     id: "B",
 *     ladder: false,
 *     groups: [{
 *       cents: [100, 150], value: [9, 11], terms: [[9, 6], [9, 9]], prefer: -1, size: null,
 *     }],
 *   },
 * ];
 * assert.deepEqual(maxLevel(items, 0, []), { level: 19, binding: [] });
 * const revenue = { index: 1, target: 21, name: "revenue" };
 * assert.deepEqual(maxLevel(items, 0, [revenue]), { level: 17, binding: ["revenue"] });
 * assert.equal(maxLevel(items, 0, [{ ...revenue, target: 30 }]), null);
 * ```
 */
export function maxLevel(
  items: readonly SolverItem[],
  k: number,
  others: readonly { index: number; target: number; name: string }[],
): { level: number; binding: string[] } | null {
  const swapped: SolverItem[] = items.map((item) => ({
    ...item,
    groups: item.groups.map((g) => ({
      ...g,
      value: g.terms[k],
      terms: others.map((o) => g.terms[o.index]),
    })),
  }));
  const r = solveCategory(swapped, others.map((o) => ({ name: o.name, target: o.target })));
  if (!r.feasible) return null;
  return {
    level: r.value,
    binding: others.filter((_, j) => r.multipliers[j] > 0).map((o) => o.name),
  };
}

function _assertItem(item: SolverItem, K: number): void {
  if (!item.groups.length) throw new RangeError(`Cannot solve item ${item.id}: it has no groups`);
  for (const g of item.groups) {
    const n = g.cents.length;
    if (!n || g.value.length !== n || g.terms.length !== K || g.terms.some((t) => t.length !== n)) {
      throw new RangeError(
        `Cannot solve item ${item.id}: ${n} candidates, ${g.value.length} values and terms of ${
          g.terms.map((t) => t.length).join("/")
        } for ${K} constraints`,
      );
    }
    for (let c = 1; c < n; c++) {
      if (!(g.cents[c] > g.cents[c - 1])) {
        throw new RangeError(`Cannot solve item ${item.id}: candidates must ascend`);
      }
    }
    if (item.ladder && !(g.size !== null && g.size > 0)) {
      throw new RangeError(`Cannot solve ladder ${item.id}: every group needs a positive size`);
    }
  }
}

/** Multiplier scales: objective range over constraint range, per constraint. */
function _scales(items: readonly SolverItem[], K: number) {
  let valueRange = 0;
  const termRange = new Array<number>(K).fill(0);
  for (const item of items) {
    for (const g of item.groups) {
      valueRange += _range(g.value);
      for (let k = 0; k < K; k++) termRange[k] += _range(g.terms[k]);
    }
  }
  return {
    lambda: termRange.map((t) => Math.max(valueRange, 1e-9) / Math.max(t, 1e-12)),
    term: termRange.map((t) => Math.max(t, 1e-12)),
  };
}

function _range(a: readonly number[]): number {
  let lo = Infinity, hi = -Infinity;
  for (const x of a) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi - lo;
}

/** The smallest x in (lo, hi] with ok(x), given ok(hi) (or hi when none is found). */
function _bisect(lo: number, hi: number, ok: (x: number) => boolean): number {
  for (let i = 0; i < 60 && hi - lo > 1e-7 * Math.max(hi, 1e-12); i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function _adjusted(g: SolverGroup, lambda: readonly number[], c: number): number {
  let v = g.value[c];
  for (let k = 0; k < lambda.length; k++) if (lambda[k] !== 0) v += lambda[k] * g.terms[k][c];
  return v;
}

/** True when candidate a beats b (ties: the preferred candidate, then the lower price). */
function _better(g: SolverGroup, va: number, vb: number, a: number, b: number): boolean {
  const tol = 1e-12 * Math.max(1, Math.abs(va), Math.abs(vb));
  if (Math.abs(va - vb) > tol) return va > vb;
  if (g.prefer >= 0) {
    const da = Math.abs(a - g.prefer), db = Math.abs(b - g.prefer);
    if (da !== db) return da < db;
  }
  return a < b;
}

/** An item's best choice under multipliers: per group, or by DP along a ladder. */
function _bestResponse(
  item: SolverItem,
  lambda: readonly number[],
): { choice: number[]; score: number } {
  if (!item.ladder || item.groups.length === 1) {
    let score = 0;
    const choice = item.groups.map((g) => {
      let best = 0;
      let bestV = _adjusted(g, lambda, 0);
      for (let c = 1; c < g.cents.length; c++) {
        const v = _adjusted(g, lambda, c);
        if (_better(g, v, bestV, c, best)) {
          best = c;
          bestV = v;
        }
      }
      score += bestV;
      return best;
    });
    return { choice, score };
  }
  // Groups ascend by size: unit price of group k ≤ that of group k − 1.
  const G = item.groups;
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let k = 0; k < G.length; k++) {
    const g = G[k];
    const n = g.cents.length;
    const b = new Float64Array(n).fill(-Infinity);
    const f = new Int32Array(n).fill(-1);
    if (k === 0) {
      for (let c = 0; c < n; c++) b[c] = _adjusted(g, lambda, c);
    } else {
      const p = G[k - 1];
      const pb = best[k - 1];
      // Suffix maxima of the previous group (unit prices ascend with the index).
      const m = p.cents.length;
      const sufV = new Float64Array(m + 1).fill(-Infinity);
      const sufI = new Int32Array(m + 1).fill(-1);
      for (let j = m - 1; j >= 0; j--) {
        if (pb[j] > sufV[j + 1]) {
          sufV[j] = pb[j];
          sufI[j] = j;
        } else {
          sufV[j] = sufV[j + 1];
          sufI[j] = sufI[j + 1];
        }
      }
      let j = 0;
      for (let c = 0; c < n; c++) {
        const unit = g.cents[c] / g.size!;
        while (j < m && p.cents[j] / p.size! < unit - 1e-9) j++;
        if (sufI[j] < 0) continue;
        b[c] = _adjusted(g, lambda, c) + sufV[j];
        f[c] = sufI[j];
      }
    }
    best.push(b);
    from.push(f);
  }
  const last = best[G.length - 1];
  let end = -1;
  for (let c = 0; c < last.length; c++) {
    if (last[c] === -Infinity) continue;
    if (end < 0 || _better(G[G.length - 1], last[c], last[end], c, end)) end = c;
  }
  if (end < 0) {
    throw new RangeError(
      `Cannot solve ladder ${item.id}: no candidates keep its unit prices in order`,
    );
  }
  const choice = new Array<number>(G.length);
  choice[G.length - 1] = end;
  for (let k = G.length - 1; k > 0; k--) choice[k - 1] = from[k][choice[k]];
  return { choice, score: last[end] };
}

function _evaluate(items: readonly SolverItem[], choice: number[][], K: number) {
  let value = 0;
  const levels = new Array<number>(K).fill(0);
  items.forEach((item, i) => {
    item.groups.forEach((g, k) => {
      const c = choice[i][k];
      value += g.value[c];
      for (let j = 0; j < K; j++) levels[j] += g.terms[j][c];
    });
  });
  return { value, levels };
}

function _violation(
  levels: readonly number[],
  constraints: readonly SolverConstraint[],
  scales: { term: number[] },
): number {
  let v = 0;
  constraints.forEach((c, k) => {
    if (!_holds(levels[k], c.target)) v += (c.target - levels[k]) / scales.term[k];
  });
  return v;
}

/** Whether group k of a ladder may take candidate c given its neighbours' choices. */
function _ladderOk(item: SolverItem, choice: number[], k: number, c: number): boolean {
  if (!item.ladder) return true;
  const g = item.groups[k];
  const unit = g.cents[c] / g.size!;
  const smaller = item.groups[k - 1];
  const larger = item.groups[k + 1];
  if (smaller && smaller.cents[choice[k - 1]] / smaller.size! < unit - 1e-9) return false;
  if (larger && unit < larger.cents[choice[k + 1]] / larger.size! - 1e-9) return false;
  return true;
}

/**
 * Local search from a feasible choice: single moves that raise the objective and keep
 * every constraint, best first; then pairs of one-step moves on two items (one gives up
 * some of a constraint the other needs), best first; until neither helps.
 */
function _improve(
  items: readonly SolverItem[],
  choice: number[][],
  constraints: readonly SolverConstraint[],
): number[][] {
  for (let round = 0; round < 16; round++) {
    _singleMoves(items, choice, constraints);
    if (!_pairMove(items, choice, constraints)) break;
  }
  return choice;
}

/** The best improving pair of one-step moves on two different items, applied; false when none. */
function _pairMove(
  items: readonly SolverItem[],
  choice: number[][],
  constraints: readonly SolverConstraint[],
): boolean {
  const K = constraints.length;
  if (K === 0) return false;
  const { levels } = _evaluate(items, choice, K);
  const moves: { i: number; k: number; c: number; gain: number; d: number[] }[] = [];
  items.forEach((item, i) => {
    item.groups.forEach((g, k) => {
      const cur = choice[i][k];
      for (const c of [cur - 1, cur + 1]) {
        if (c < 0 || c >= g.cents.length || !_ladderOk(item, choice[i], k, c)) continue;
        moves.push({
          i,
          k,
          c,
          gain: g.value[c] - g.value[cur],
          d: g.terms.map((t) => t[c] - t[cur]),
        });
      }
    });
  });
  let best: { a: number; b: number; gain: number } | null = null;
  for (let a = 0; a < moves.length; a++) {
    for (let b = a + 1; b < moves.length; b++) {
      const ma = moves[a], mb = moves[b];
      if (ma.i === mb.i) continue;
      const gain = ma.gain + mb.gain;
      if (!(gain > _TOL * Math.max(1, Math.abs(ma.gain), Math.abs(mb.gain)))) continue;
      if (best && gain <= best.gain) continue;
      let ok = true;
      for (let j = 0; j < K && ok; j++) {
        ok = _holds(levels[j] + ma.d[j] + mb.d[j], constraints[j].target);
      }
      if (ok) best = { a, b, gain };
    }
  }
  if (!best) return false;
  for (const m of [moves[best.a], moves[best.b]]) choice[m.i][m.k] = m.c;
  return true;
}

/** Single moves that raise the objective and keep every constraint, best first. */
function _singleMoves(
  items: readonly SolverItem[],
  choice: number[][],
  constraints: readonly SolverConstraint[],
): number[][] {
  const K = constraints.length;
  let { levels } = _evaluate(items, choice, K);
  for (let round = 0; round < 4 * items.length + 4; round++) {
    let best: { i: number; k: number; c: number; gain: number } | null = null;
    items.forEach((item, i) => {
      item.groups.forEach((g, k) => {
        const cur = choice[i][k];
        for (let c = 0; c < g.cents.length; c++) {
          if (c === cur || !_ladderOk(item, choice[i], k, c)) continue;
          const gain = g.value[c] - g.value[cur];
          if (!(gain > _TOL * Math.max(1, Math.abs(g.value[cur])))) continue;
          if (best && gain <= best.gain) continue;
          let ok = true;
          for (let j = 0; j < K && ok; j++) {
            ok = _holds(levels[j] + g.terms[j][c] - g.terms[j][cur], constraints[j].target);
          }
          if (ok) best = { i, k, c, gain };
        }
      });
    });
    if (!best) break;
    const { i, k, c } = best as { i: number; k: number; c: number };
    const g = items[i].groups[k];
    levels = levels.map((l, j) => l + g.terms[j][c] - g.terms[j][choice[i][k]]);
    choice[i][k] = c;
  }
  return choice;
}

/** Moves that cut the violation at the least loss of objective, until none is left or none helps. */
function _repair(
  items: readonly SolverItem[],
  choice: number[][],
  constraints: readonly SolverConstraint[],
  scales: { term: number[] },
): number[][] {
  const K = constraints.length;
  let { levels } = _evaluate(items, choice, K);
  let violation = _violation(levels, constraints, scales);
  for (let round = 0; round < 64 * items.length + 64 && violation > 0; round++) {
    let best: { i: number; k: number; c: number; score: number; v: number } | null = null;
    items.forEach((item, i) => {
      item.groups.forEach((g, k) => {
        const cur = choice[i][k];
        for (let c = 0; c < g.cents.length; c++) {
          if (c === cur || !_ladderOk(item, choice[i], k, c)) continue;
          const next = levels.map((l, j) => l + g.terms[j][c] - g.terms[j][cur]);
          const v = _violation(next, constraints, scales);
          const cut = violation - v;
          if (!(cut > 1e-12)) continue;
          const loss = Math.max(0, g.value[cur] - g.value[c]);
          const score = cut / (loss + 1e-9);
          if (!best || score > best.score) best = { i, k, c, score, v };
        }
      });
    });
    if (!best) break;
    const { i, k, c, v } = best as { i: number; k: number; c: number; v: number };
    const g = items[i].groups[k];
    levels = levels.map((l, j) => l + g.terms[j][c] - g.terms[j][choice[i][k]]);
    choice[i][k] = c;
    violation = v;
  }
  return violation > 0 ? choice : _improve(items, choice, constraints);
}
