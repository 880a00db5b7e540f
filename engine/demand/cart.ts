/**
 * The ml-cart regression tree: the baseline learner the product card names.
 * Its training is quadratic in rows, so it is kept for comparison only.
 *
 * @module
 */
import { DecisionTreeRegression } from "ml-cart";
import type { Learner } from "./learned_model.ts";

/** Options of {@linkcode trainCart}. */
export interface CartOptions {
  /** Default 8. */
  maxDepth?: number;
  /** Default 20. */
  minNumSamples?: number;
}

const MISSING = -1e9;

function rowsOf(columns: ReadonlyArray<Float64Array>): number[][] {
  const n = columns.length ? columns[0].length : 0;
  return Array.from(
    { length: n },
    (_, r) => columns.map((c) => (Number.isFinite(c[r]) ? c[r] : MISSING)),
  );
}

/** A trained cart learner with its JSON form. */
export interface CartLearner extends Learner {
  toJSON(): unknown;
}

/** Trains a regression tree on log1p(units). */
export function trainCart(
  columns: ReadonlyArray<Float64Array>,
  target: Float64Array,
  options: CartOptions = {},
): CartLearner {
  const tree = new DecisionTreeRegression({
    maxDepth: options.maxDepth ?? 8,
    minNumSamples: options.minNumSamples ?? 20,
  });
  tree.train(rowsOf(columns), Array.from(target, (y) => Math.log1p(y)));
  return wrap(tree);
}

/** Loads a cart learner from its JSON form. */
export function loadCart(json: unknown): CartLearner {
  // deno-lint-ignore no-explicit-any
  return wrap(DecisionTreeRegression.load(json as any));
}

function wrap(tree: DecisionTreeRegression): CartLearner {
  return {
    monotone: false,
    predict(columns) {
      const out = tree.predict(rowsOf(columns)) as number[];
      return Float64Array.from(out, (v) => Math.max(0, Math.expm1(v)));
    },
    toJSON: () => tree.toJSON(),
  };
}
