/**
 * The demand model interface: expected units of a SKU on its snapshot's run
 * date at candidate prices. Every model the engine can price with implements it.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";

/**
 * The largest elasticity a model prices along: above it (too close to 0, or positive)
 * demand hardly answers to price, the optimizer would run to the ceiling, and the curve
 * is not trusted (NaN: the SKU falls back to the rule with `ML_INVALID_PREDICTION`).
 */
export const MAX_TRUSTED_ELASTICITY: number = -0.05;

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
  /**
   * How it answers a price: `elasticity` when it moves its forecast along the snapshot's
   * elasticity estimate (a SKU whose estimate lies outside the prior bounds is then left
   * to the rule); `learned` (the default) when the curve is its own.
   */
  readonly priceResponse?: "elasticity" | "learned";
  /** Expected units on `snapshot.run_date` at each price; NaN where it cannot say. */
  predict(snapshot: FeatureSnapshot, prices: readonly number[]): number[];
  /**
   * Expected units of each row at its price: the numbers `predict(row.snapshot, [row.price])`
   * gives, in one batch (faster over many rows, e.g. a holdout). Optional.
   */
  predictRows?(rows: readonly { snapshot: FeatureSnapshot; price: number }[]): number[];
  /** The features that moved the prediction at `price` most, largest first. */
  explain(snapshot: FeatureSnapshot, price: number): Driver[];
}
