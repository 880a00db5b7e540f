/**
 * The demand model interface: expected units of a SKU on its snapshot's run
 * date at candidate prices. Every model the engine can price with implements it.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";

/** The kinds of demand model; `engine/registry/load.ts` resolves each to its loader. */
export type DemandModelKind = "elasticity" | "gbdt" | "cart";

/** A feature's push on a prediction (positive raises expected units). */
export interface Driver {
  /** The feature's name. */
  feature: string;
  /** Its value for the prediction. */
  value: number | string | null;
  /** Its push on the prediction, on the model's scale (log units for the built-in models). */
  effect: number;
}

/** A demand model. */
export interface DemandModel {
  /** What kind of model it is. */
  readonly kind: DemandModelKind;
  /** Its version in the registry (recorded with every decision it prices). */
  readonly version: string;
  /** Expected units on `snapshot.run_date` at each price; NaN where it cannot say. */
  predict(snapshot: FeatureSnapshot, prices: readonly number[]): number[];
  /** The features that moved the prediction at `price` most, largest first. */
  explain(snapshot: FeatureSnapshot, price: number): Driver[];
}
