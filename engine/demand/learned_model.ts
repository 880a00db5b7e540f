/**
 * A learned demand model (gbdt or cart) behind the DemandModel interface: the
 * shared feature vector, a category code table, and a guarantee on every
 * curve handed to the optimizer: predicted units never rise with price. The
 * gbdt is monotone by construction; for a learner that is not (cart), each
 * curve is replaced by its running minimum over ascending prices.
 *
 * Price response, resolved here: `learned` takes the learner's own curve;
 * `elasticity` takes the learner's forecast at today's shelf price (what it is
 * good at: level, season, trend, competitor, stock) and moves it along the
 * SKU's estimated elasticity: units(p) = learner(p₀) × (p / p₀)^ε. Trees fit the
 * large differences between SKUs and days far better than the small price moves
 * within a SKU; on the demo store the gbdt's own slope averaged −0.78 where the
 * truth was −1.81 (the snapshot's estimate: −1.76), and the optimizer overpriced
 * elastic categories by 15–27%.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import {
  type DemandModel,
  type DemandModelKind,
  type Driver,
  MAX_TRUSTED_ELASTICITY,
} from "./model.ts";
import { DEMAND_FEATURES, featureColumns } from "./features.ts";

/** What a learner must offer. */
export interface Learner {
  predict(columns: ReadonlyArray<Float64Array>): Float64Array;
  /** Per-feature contributions to the raw score of one row, when the learner can say. */
  contributions?(row: ArrayLike<number>): Float64Array;
  /** True when predictions are non-increasing in price by construction. */
  monotone: boolean;
}

/** How a learned model responds to price (see the module notes). */
export type PriceResponse = "learned" | "elasticity";

/** An elasticity above this (too close to 0, or positive) is not trusted: the curve is NaN. */
const MAX_ELASTICITY = MAX_TRUSTED_ELASTICITY;

/** The demand at each price of a level at today's price moved along the snapshot's elasticity. */
function alongElasticity(s: FeatureSnapshot, level: number, prices: readonly number[]): number[] {
  const ok = Number.isFinite(level) && level >= 0 && s.elasticity <= MAX_ELASTICITY;
  return prices.map((p) => (ok && p > 0 ? level * (p / s.last_price) ** s.elasticity : NaN));
}

/** Wraps a learner as a demand model. */
export function learnedModel(
  kind: DemandModelKind,
  version: string,
  learner: Learner,
  categories: readonly string[],
  priceResponse: PriceResponse = "learned",
): DemandModel {
  const codes = new Map(categories.map((c, i) => [c, i]));
  const code = (c: string) => codes.get(c) ?? -1;
  // The demand level at today's price, per snapshot: a run asks for several price
  // grids of one snapshot (snapshots are immutable values, identified by their hash).
  const levels = new WeakMap<FeatureSnapshot, number>();
  const levelOf = (s: FeatureSnapshot): number => {
    let level = levels.get(s);
    if (level === undefined) {
      level = learner.predict(featureColumns([{ snapshot: s, price: s.last_price }], code))[0];
      levels.set(s, level);
    }
    return level;
  };
  return {
    kind,
    version,
    priceResponse,
    predict(s: FeatureSnapshot, prices: readonly number[]): number[] {
      if (priceResponse === "elasticity") return alongElasticity(s, levelOf(s), prices);
      const order = prices.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
      const cols = featureColumns(order.map(([price]) => ({ snapshot: s, price })), code);
      const raw = learner.predict(cols);
      const out = new Array<number>(prices.length);
      let min = Infinity;
      order.forEach(([, i], r) => {
        const v = raw[r];
        if (!Number.isFinite(v) || v < 0) {
          out[i] = NaN;
          return;
        }
        min = learner.monotone ? v : Math.min(min, v);
        out[i] = min;
      });
      return out;
    },
    predictRows(rows: readonly { snapshot: FeatureSnapshot; price: number }[]): number[] {
      if (priceResponse === "elasticity") {
        const todo = rows.filter((r) => !levels.has(r.snapshot));
        const raw = learner.predict(featureColumns(
          todo.map((r) => ({ snapshot: r.snapshot, price: r.snapshot.last_price })),
          code,
        ));
        todo.forEach((r, i) => levels.set(r.snapshot, raw[i]));
        return rows.map((r) => alongElasticity(r.snapshot, levelOf(r.snapshot), [r.price])[0]);
      }
      // One price a row: the monotone guard has nothing to order.
      const raw = learner.predict(featureColumns(rows, code));
      return Array.from(raw, (v) => (Number.isFinite(v) && v >= 0 ? v : NaN));
    },
    explain(s: FeatureSnapshot, price: number): Driver[] {
      if (!learner.contributions) return [];
      const cols = featureColumns([{ snapshot: s, price }], code);
      const row = cols.map((c) => c[0]);
      const contrib = learner.contributions(row);
      const drivers: Driver[] = DEMAND_FEATURES.map((f, k) => ({
        feature: f.name,
        value: Number.isFinite(row[k]) ? row[k] : null,
        effect: contrib[k],
      }));
      if (priceResponse === "elasticity") {
        drivers.push({
          feature: "price_response_elasticity",
          value: s.elasticity,
          effect: s.elasticity * Math.log(price / s.last_price),
        });
      }
      return drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
    },
  };
}
