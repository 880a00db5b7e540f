/**
 * The boosting loop: bin once, then per round compute gradients, grow a tree on
 * (optionally subsampled) rows, update scores, and watch the validation loss.
 *
 * @module
 */
import { createRandom, mix32 } from "../../util/random.ts";
import { binFeatures } from "./_binning.ts";
import { type HistogramBuilder, parallelBuilder, serialBuilder } from "./_builder.ts";
import { TreeGrower } from "./_grow.ts";
import { binOffsets, type HistogramContext } from "./_histogram.ts";
import { lossOf } from "./_loss.ts";
import { addTree, type TreeArrays } from "./_tree.ts";
import { createGbdtModel, type GbdtModel } from "./model.ts";
import { type GbdtTrainOptions, resolveOptions } from "./options.ts";

/**
 * Trains a gradient-boosted trees regressor on column-major features (one
 * `Float64Array` per feature, all of the target's length). NaN features are
 * missing values and go left at every split. Deterministic: the same data,
 * options and seed give a byte-identical `JSON.stringify(model.toJSON())`.
 */
export function trainGbdt(
  features: ReadonlyArray<Float64Array>,
  target: Float64Array,
  names: readonly string[],
  options: GbdtTrainOptions = {},
): GbdtModel {
  const n = target.length;
  _checkData(features, target, names, "training");
  const o = resolveOptions(options, features.length, n);
  const loss = lossOf(o.loss);
  const t = loss.target(target);
  const base = loss.baseScore(t);
  const shared = o.threads > 1 && typeof SharedArrayBuffer === "function" &&
    typeof Worker === "function";
  const f64 = (len: number) =>
    shared ? new Float64Array(new SharedArrayBuffer(len * 8)) : new Float64Array(len);
  const { edges, bins, columns } = binFeatures(
    features,
    o.maxBins,
    (len) => shared ? new Uint8Array(new SharedArrayBuffer(len)) : new Uint8Array(len),
  );
  const g = f64(n);
  const h = f64(n);
  const valid = options.validation;
  if (valid) _checkData(valid.features, valid.target, names, "validation");
  const vt = valid ? loss.target(valid.target) : null;
  const vRaw = valid ? new Float64Array(valid.target.length).fill(base) : null;
  const raw = new Float64Array(n).fill(base);
  const logLink = loss.link === "log";
  const pred = logLink ? new Float64Array(n).fill(Math.exp(base)) : raw;
  const ctx: HistogramContext = {
    bins,
    features: features.length,
    offsets: binOffsets(edges.map((e) => e.length + 1)),
    g,
    h,
  };
  const idx = shared ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n);
  const slabSize = o.maxLeaves + 2;
  const builder: HistogramBuilder = (shared ? parallelBuilder(ctx, idx, slabSize) : null) ??
    serialBuilder(ctx, slabSize);
  const trees: TreeArrays[] = [];
  let bestLoss = Infinity;
  let bestRound = -1;
  try {
    const grower = new TreeGrower(builder, edges, columns, o);
    const full = o.subsample === 1;
    // Under a log link raw scores only feed the progress report.
    const trackRaw = !logLink || options.onProgress !== undefined;
    for (let round = 0; round < o.trees; round++) {
      loss.gradients(pred, t, g, h);
      let count = n;
      if (full) {
        for (let i = 0; i < n; i++) idx[i] = i;
      } else {
        const rand = createRandom(mix32((o.seed ^ Math.imul(round + 1, 0x9e3779b9)) >>> 0));
        count = 0;
        for (let i = 0; i < n; i++) if (rand() < o.subsample) idx[count++] = i;
      }
      const { tree, leaves } = grower.grow(idx, count);
      trees.push(tree);
      if (full) {
        for (const { start, end, node } of leaves) {
          const v = tree.value[node];
          if (trackRaw) { for (let k = start; k < end; k++) raw[idx[k]] += v; }
          if (logLink) {
            const e = Math.exp(v);
            for (let k = start; k < end; k++) pred[idx[k]] *= e;
          }
        }
      } else {
        _addTreeAll(tree, features, raw, logLink ? pred : null);
      }
      let validLoss: number | null = null;
      if (valid && vRaw && vt) {
        addTree(tree, valid.features, vRaw);
        validLoss = loss.meanLoss(vRaw, vt);
        if (validLoss < bestLoss) {
          bestLoss = validLoss;
          bestRound = round;
        }
      }
      options.onProgress?.(round, loss.meanLoss(raw, t), validLoss);
      if (valid && round - bestRound >= o.earlyStoppingRounds) break;
    }
  } finally {
    builder.close();
  }
  const kept = valid ? trees.slice(0, bestRound + 1) : trees;
  const monotone = Array.from(o.monotone, (m) => m as -1 | 0 | 1);
  return createGbdtModel(names, o.loss, base, monotone, kept);
}

/** Adds a tree to every row's raw score (and multiplies preds by exp of it under a log link). */
function _addTreeAll(
  tree: TreeArrays,
  features: ReadonlyArray<Float64Array>,
  raw: Float64Array,
  pred: Float64Array | null,
): void {
  const { feature, threshold, left, right, value } = tree;
  const expValue = value.map(Math.exp);
  for (let r = 0; r < raw.length; r++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      node = features[f][r] > threshold[node] ? right[node] : left[node];
      f = feature[node];
    }
    raw[r] += value[node];
    if (pred) pred[r] *= expValue[node];
  }
}

function _checkData(
  features: ReadonlyArray<Float64Array>,
  target: Float64Array,
  names: readonly string[],
  what: string,
): void {
  if (features.length !== names.length || names.length === 0) {
    throw new RangeError(
      `Cannot train a gbdt model: ${what} has ${features.length} columns for ${names.length} names`,
    );
  }
  features.forEach((c, f) => {
    if (c.length !== target.length) {
      throw new RangeError(
        `Cannot train a gbdt model: ${what} column ${
          names[f]
        } has ${c.length} rows, target ${target.length}`,
      );
    }
  });
  for (let i = 0; i < target.length; i++) {
    const y = target[i];
    if (!(y >= 0 && y < Infinity)) {
      throw new RangeError(
        `Cannot train a gbdt model: ${what} target[${i}] = ${y}, expected a finite count >= 0`,
      );
    }
  }
}
