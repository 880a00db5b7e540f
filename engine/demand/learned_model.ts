/**
 * A learned demand model (gbdt or cart) behind the DemandModel interface: the
 * shared feature vector, a category code table, and a guarantee on every
 * curve handed to the optimizer: predicted units never rise with price. The
 * gbdt is monotone by construction; for a learner that is not (cart), each
 * curve is replaced by its running minimum over ascending prices, and the
 * explanation says so.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { DemandModel, DemandModelKind, Driver } from "./model.ts";
import { DEMAND_FEATURES, featureColumns } from "./features.ts";

/** What a learner must offer. */
export interface Learner {
  predict(columns: ReadonlyArray<Float64Array>): Float64Array;
  /** Per-feature contributions to the raw score of one row, when the learner can say. */
  contributions?(row: ArrayLike<number>): Float64Array;
  /** True when predictions are non-increasing in price by construction. */
  monotone: boolean;
}

/** Wraps a learner as a demand model. */
export function learnedModel(
  kind: DemandModelKind,
  version: string,
  learner: Learner,
  categories: readonly string[],
): DemandModel {
  const codes = new Map(categories.map((c, i) => [c, i]));
  const code = (c: string) => codes.get(c) ?? -1;
  return {
    kind,
    version,
    predict(s: FeatureSnapshot, prices: readonly number[]): number[] {
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
    explain(s: FeatureSnapshot, price: number): Driver[] {
      if (!learner.contributions) return [];
      const cols = featureColumns([{ snapshot: s, price }], code);
      const row = cols.map((c) => c[0]);
      const contrib = learner.contributions(row);
      return DEMAND_FEATURES.map((f, k) => ({
        feature: f.name,
        value: Number.isFinite(row[k]) ? row[k] : null,
        effect: contrib[k],
      })).sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
    },
  };
}
