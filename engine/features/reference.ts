/**
 * The drift reference of a model: per monitored feature, quantile bins fixed
 * on the training rows and the share of training rows in each bin, overall and
 * per category. Stored with the model; today's snapshots are compared with it.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { FeatureReference } from "../schema/monitoring.ts";
import { lowerBound } from "../util/lower_bound.ts";
import { round } from "../util/round.ts";
import { shares } from "../util/shares.ts";

/** A snapshot feature watched for drift. */
export interface DriftFeature {
  /** Its name in the reference and in drift metrics. */
  name: string;
  /** Key features describe demand itself; sustained drift in them asks for a retrain. */
  key: boolean;
  /** The value, or null when the snapshot cannot say (a bin of its own). */
  value(s: FeatureSnapshot): number | null;
}

const logOrNull = (x: number | null) => (x !== null && x > 0 ? Math.log(x) : null);

/**
 * Demand at the unit cost: log(daily units + 0.1) moved along the SKU's own
 * elasticity estimate from the price it sold at to its unit cost, so that our
 * own repricing (which moves units along the curve) does not read as drift, while a
 * change in the market (which moves the curve) does.
 */
function demandAtCost(s: FeatureSnapshot, rate: number, price: number): number | null {
  if (!(price > 0) || !(s.unit_cost > 0) || !Number.isFinite(rate) || rate < 0) return null;
  return Math.log(rate + 0.1) - s.elasticity * Math.log(price / s.unit_cost);
}

/**
 * The features watched: demand normalised for our own price, and the market's
 * prices and costs. Calendar features are left out (one day's snapshots all
 * share a date), and so are raw prices, units and stock, which our own pricing
 * moves: the optimizer's repricing is not drift of the market.
 */
export const DRIFT_FEATURES: readonly DriftFeature[] = [
  {
    name: "demand_7_at_cost",
    key: true,
    value: (s) => demandAtCost(s, s.units_7 / 7, s.last_price),
  },
  {
    name: "demand_28_at_cost",
    key: true,
    value: (s) => demandAtCost(s, s.units_28 / 28, s.last_price / s.price_rel_28),
  },
  {
    name: "base_demand_at_cost",
    key: true,
    value: (s) => demandAtCost(s, s.base_units, s.base_price),
  },
  {
    name: "competitor_to_cost",
    key: false,
    value: (s) => logOrNull(s.competitor_price !== null ? s.competitor_price / s.unit_cost : null),
  },
  { name: "log_unit_cost", key: false, value: (s) => logOrNull(s.unit_cost) },
];

/** Options of {@linkcode featureReference}. */
export interface ReferenceOptions {
  /** Quantile bins per feature (before ties merge them). Default 10. */
  bins?: number;
}

/**
 * Builds the drift reference from the snapshots of the training rows.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { DRIFT_FEATURES, featureReference } from "./reference.ts";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 *
 * const s: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.2, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1.04, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const reference = featureReference([s, { ...s, sku: "B2", category: "drinks", units_7: 140 }], {
 *   bins: 2,
 * });
 * assert.equal(reference.rows, 2);
 * assert.deepEqual(Object.keys(reference.features), DRIFT_FEATURES.map((f) => f.name));
 * const scopes = Object.keys(reference.features.demand_7_at_cost.scopes);
 * assert.deepEqual(scopes, ["all", "drinks", "snacks"]);
 * assert.throws(() => featureReference([s], { bins: 1 }), RangeError);
 * ```
 */
export function featureReference(
  snapshots: readonly FeatureSnapshot[],
  options: ReferenceOptions = {},
): FeatureReference {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 2) {
    throw new RangeError(`Cannot build a drift reference with ${bins} bins: need at least 2`);
  }
  const categories = [...new Set(snapshots.map((s) => s.category))].sort();
  const features: FeatureReference["features"] = {};
  for (const f of DRIFT_FEATURES) {
    const values = snapshots.map((s) => finiteOrNull(f.value(s)));
    const edges = quantileEdges(values.filter((v): v is number => v !== null), bins);
    const scopes: FeatureReference["features"][string]["scopes"] = {};
    const byScope = new Map<string, (number | null)[]>([["all", values]]);
    for (const c of categories) byScope.set(c, []);
    snapshots.forEach((s, i) => byScope.get(s.category)!.push(values[i]));
    for (const [scope, vs] of byScope) {
      scopes[scope] = {
        n: vs.length,
        shares: shares(binCounts(vs, edges)).map((x) => round(x, 6)),
      };
    }
    features[f.name] = { edges, scopes };
  }
  return { bins, rows: snapshots.length, features };
}

/**
 * Counts per bin: one bin per edge, one above the last edge, one for missing values.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { binCounts } from "./reference.ts";
 *
 * // bins: up to 1, up to 3, above 3, missing
 * assert.deepEqual(binCounts([0.5, 2, 2, 9, null], [1, 3]), [1, 2, 1, 1]);
 * ```
 */
export function binCounts(values: readonly (number | null)[], edges: readonly number[]): number[] {
  const counts = new Array(edges.length + 2).fill(0);
  for (const v of values) counts[binOf(v, edges)]++;
  return counts;
}

/**
 * The bin of a value (see {@linkcode binCounts}).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { binOf } from "./reference.ts";
 *
 * assert.equal(binOf(1, [1, 3]), 0); // an edge belongs to the bin it closes
 * assert.equal(binOf(2, [1, 3]), 1);
 * assert.equal(binOf(5, [1, 3]), 2);
 * assert.equal(binOf(null, [1, 3]), 3);
 * assert.equal(binOf(NaN, [1, 3]), 3);
 * ```
 */
export function binOf(value: number | null, edges: readonly number[]): number {
  if (value === null || !Number.isFinite(value)) return edges.length + 1;
  return lowerBound(edges.length, (i) => edges[i] < value);
}

/**
 * Distinct inner quantile edges of `values` at 1/bins, 2/bins, … (ties merge bins).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantileEdges } from "./reference.ts";
 *
 * assert.deepEqual(quantileEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4), [3, 6, 8]);
 * assert.deepEqual(quantileEdges([2, 2, 2, 2, 5], 4), [2]); // ties merge bins
 * assert.deepEqual(quantileEdges([], 4), []);
 * ```
 */
export function quantileEdges(values: readonly number[], bins: number): number[] {
  if (!values.length) return [];
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins))];
    const edge = round(q, 6);
    if (!edges.length || edge > edges[edges.length - 1]) edges.push(edge);
  }
  // The largest value must not sit alone above the last edge when ties fill the top.
  if (edges.length && edges[edges.length - 1] >= sorted[sorted.length - 1]) edges.pop();
  return edges;
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
