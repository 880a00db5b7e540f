/**
 * A trained model: the forest, the loss that turns raw scores into units, and
 * its JSON form. Prediction runs on raw feature values.
 *
 * @module
 */
import { type LossName, lossOf } from "./_loss.ts";
import { Forest, type TreeArrays } from "./_tree.ts";
import { type GbdtModelJson, parseGbdtJson } from "./schema.ts";

/** A trained gradient-boosted trees regressor. */
export interface GbdtModel {
  readonly names: readonly string[];
  /** Boosting rounds kept (after early stopping). */
  readonly trees: number;
  readonly loss: LossName;
  /** Raw score before any split: `bias + sum(featureContributions(row))` is the raw score. */
  readonly bias: number;
  /** Expected units per row of column-major features (one column per name). */
  predict(features: ReadonlyArray<Float64Array>): Float64Array;
  /** Raw scores (log units for poisson, log1p units for squared_log1p). */
  predictRaw(features: ReadonlyArray<Float64Array>): Float64Array;
  /** Expected units of one row (values in the order of `names`). */
  predictRow(row: ArrayLike<number>): number;
  /** Saabas path attribution of the raw score to each feature (length `names.length`). */
  featureContributions(row: ArrayLike<number>): Float64Array;
  toJSON(): GbdtModelJson;
}

/** Builds the model object from trees (used by training and by loading). */
export function createGbdtModel(
  names: readonly string[],
  lossName: LossName,
  baseScore: number,
  monotone: ReadonlyArray<-1 | 0 | 1>,
  trees: ReadonlyArray<TreeArrays>,
): GbdtModel {
  const loss = lossOf(lossName);
  const forest = new Forest(trees, baseScore, names.length);
  const F = names.length;
  const checkColumns = (features: ReadonlyArray<Float64Array>): number => {
    if (features.length !== F) {
      throw new RangeError(`Cannot predict from ${features.length} columns: the model has ${F}`);
    }
    const n = F ? features[0].length : 0;
    for (let f = 0; f < F; f++) {
      if (features[f].length !== n) {
        throw new RangeError(
          `Cannot predict: column ${names[f]} has ${features[f].length} rows, expected ${n}`,
        );
      }
    }
    return n;
  };
  const predictRaw = (features: ReadonlyArray<Float64Array>) =>
    forest.predictRaw(features, new Float64Array(checkColumns(features)));
  return {
    names: [...names],
    trees: trees.length,
    loss: lossName,
    bias: forest.bias(),
    predictRaw,
    predict(features) {
      const raw = predictRaw(features);
      for (let i = 0; i < raw.length; i++) raw[i] = loss.units(raw[i]);
      return raw;
    },
    predictRow: (row) => loss.units(forest.predictRowRaw(row)),
    featureContributions: (row) => forest.contributions(row),
    toJSON: () => ({
      format: "gbdt",
      version: 1,
      names: [...names],
      loss: lossName,
      baseScore,
      monotone: [...monotone],
      trees: trees.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        left: Array.from(t.left),
        right: Array.from(t.right),
        value: Array.from(t.value),
      })),
    }),
  };
}

/** Loads a model from its JSON (as parsed); throws TypeError naming a bad field. */
export function loadGbdt(json: unknown): GbdtModel {
  const m = parseGbdtJson(json);
  const trees = m.trees.map((t) => ({
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
  }));
  return createGbdtModel(m.names, m.loss, m.baseScore, m.monotone, trees);
}
