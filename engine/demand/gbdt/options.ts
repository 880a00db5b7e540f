/**
 * Training options, their defaults and their validation, in one place.
 *
 * @module
 */
import type { LossName } from "./_loss.ts";
import { InputError } from "../../util/errors.ts";

/** Options of `trainGbdt`; every field documents its default. */
export interface GbdtTrainOptions {
  /** Maximum boosting rounds. Default 100. */
  trees?: number;
  /** Shrinkage of every tree. Default 0.1. */
  learningRate?: number;
  /** Maximum depth of a tree (root at depth 0). Default 6. */
  maxDepth?: number;
  /** Maximum leaves of a tree (grown best gain first). Default 31. */
  maxLeaves?: number;
  /** Minimum rows in a leaf. Default 20. */
  minLeafSize?: number;
  /** L2 penalty on leaf values. Default 1. */
  l2?: number;
  /** Quantile bins per feature, computed once, at most 255. Default 255. */
  maxBins?: number;
  /** Fraction of rows drawn (seeded) for each tree. Default 1. */
  subsample?: number;
  /** Seed of the row subsampling. Default 0. */
  seed?: number;
  /**
   * "poisson" (log link, counts), "tweedie" (power 1.5, log link: intermittent, lumpy counts)
   * or "squared_log1p" (squared error on log1p). Default "poisson".
   */
  loss?: LossName;
  /** Per feature: -1 non-increasing, 1 non-decreasing, 0 free. Default all 0. */
  monotone?: ReadonlyArray<-1 | 0 | 1>;
  /** Stop after this many rounds without a better validation loss. Default 10; needs `validation`. */
  earlyStoppingRounds?: number;
  /** Held-out rows for early stopping (time-ordered splitting is the caller's job). */
  validation?: { features: ReadonlyArray<Float64Array>; target: Float64Array };
  /** Largest |leaf step| before shrinkage, a safeguard for poisson. Default 0.7 (LightGBM's). */
  maxDeltaStep?: number;
  /** Minimum sum of hessians in a leaf. Default 1e-3. */
  minHessian?: number;
  /**
   * Threads that train: 1, or 2 (this one plus a helper Web Worker over shared
   * memory that shares histograms, partitions, gradients and score updates).
   * Models are bit-identical either way. Default 2 from 1,000,000 cells
   * (rows × features), else 1.
   */
  threads?: 1 | 2;
  /** Called after every round with the mean losses (train loss only when this is given). */
  onProgress?: (round: number, trainLoss: number, validLoss: number | null) => void;
}

/** Options with defaults applied and checked. */
export interface ResolvedOptions {
  trees: number;
  learningRate: number;
  maxDepth: number;
  maxLeaves: number;
  minLeafSize: number;
  l2: number;
  maxBins: number;
  subsample: number;
  seed: number;
  loss: LossName;
  monotone: Int8Array;
  earlyStoppingRounds: number;
  maxDeltaStep: number;
  minHessian: number;
  threads: number;
}

/** Applies defaults and throws RangeError naming any out-of-range option. */
export function resolveOptions(
  o: GbdtTrainOptions,
  featureCount: number,
  rows: number,
): ResolvedOptions {
  const r: ResolvedOptions = {
    trees: o.trees ?? 100,
    learningRate: o.learningRate ?? 0.1,
    maxDepth: o.maxDepth ?? 6,
    maxLeaves: o.maxLeaves ?? 31,
    minLeafSize: o.minLeafSize ?? 20,
    l2: o.l2 ?? 1,
    maxBins: o.maxBins ?? 255,
    subsample: o.subsample ?? 1,
    seed: o.seed ?? 0,
    loss: o.loss ?? "poisson",
    monotone: Int8Array.from(o.monotone ?? new Array(featureCount).fill(0)),
    earlyStoppingRounds: o.earlyStoppingRounds ?? 10,
    maxDeltaStep: o.maxDeltaStep ?? 0.7,
    minHessian: o.minHessian ?? 1e-3,
    threads: o.threads ?? (rows * featureCount >= 1_000_000 ? 2 : 1),
  };
  const bad = (name: string, value: unknown, rule: string) => {
    throw new InputError(`Cannot train a gbdt model with ${name} = ${value}: ${rule}`);
  };
  const int = (name: keyof ResolvedOptions, min: number, max = Infinity) => {
    const v = r[name] as number;
    if (!Number.isInteger(v) || v < min || v > max) {
      bad(name, v, `expected an integer in [${min}, ${max}]`);
    }
  };
  int("trees", 0);
  int("maxDepth", 0);
  int("maxLeaves", 1);
  int("minLeafSize", 1);
  int("maxBins", 2, 255);
  int("seed", 0, 2 ** 32 - 1);
  int("earlyStoppingRounds", 1);
  int("threads", 1, 2);
  if (!(r.learningRate > 0)) bad("learningRate", r.learningRate, "expected a positive number");
  if (!(r.l2 >= 0)) bad("l2", r.l2, "expected a number >= 0");
  if (!(r.subsample > 0 && r.subsample <= 1)) bad("subsample", r.subsample, "expected (0, 1]");
  if (!(r.maxDeltaStep > 0)) bad("maxDeltaStep", r.maxDeltaStep, "expected a positive number");
  if (!(r.minHessian >= 0)) bad("minHessian", r.minHessian, "expected a number >= 0");
  if (r.monotone.length !== featureCount) {
    bad("monotone", `[${[...r.monotone]}]`, `expected ${featureCount} entries, one per feature`);
  }
  for (const m of r.monotone) {
    if (m !== -1 && m !== 0 && m !== 1) bad("monotone", `[${[...r.monotone]}]`, "use -1, 0 or 1");
  }
  return r;
}
