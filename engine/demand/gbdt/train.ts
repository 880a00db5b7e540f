/**
 * The boosting loop: bin once, then per round compute gradients, grow a tree on
 * (optionally subsampled) rows, update scores, and watch the validation loss.
 *
 * @module
 */
import { createRandom, mix32 } from "../../util/random.ts";
import { binFeatures } from "./_binning.ts";
import { createSlab, featureSplit, histogramBuilder } from "./_builder.ts";
import { TreeGrower } from "./_grow.ts";
import { CMD, Helper } from "./_helper.ts";
import { type LeafTable, updateScores } from "./_rows.ts";
import { binOffsets, type HistogramContext } from "./_histogram.ts";
import { lossOf } from "./_loss.ts";
import { addTree, type TreeArrays } from "./_tree.ts";
import { createGbdtModel, type GbdtModel } from "./model.ts";
import { type GbdtTrainOptions, resolveOptions } from "./options.ts";
import { InputError } from "../../util/errors.ts";

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
  const valid = options.validation;
  if (valid) _checkData(valid.features, valid.target, names, "validation");
  const startHelper = shared ? Helper.spawn() : null;
  const u32 = (len: number) =>
    shared ? new Uint32Array(new SharedArrayBuffer(len * 4)) : new Uint32Array(len);
  const { edges, words, stride, columns } = binFeatures(
    features,
    o.maxBins,
    (len) => shared ? new Uint8Array(new SharedArrayBuffer(len)) : new Uint8Array(len),
  );
  const vt = valid ? loss.target(valid.target) : null;
  const vRaw = valid ? new Float64Array(valid.target.length).fill(base) : null;
  const raw = f64(n).fill(base);
  const logLink = loss.link === "log";
  const pred = logLink ? f64(n).fill(Math.exp(base)) : raw;
  const ctx: HistogramContext = {
    words,
    stride,
    features: features.length,
    offsets: binOffsets(edges.map((e) => e.length + 1)),
    g: f64(n),
    h: f64(n),
  };
  const idx = u32(n);
  const scratch = u32(n);
  const leafCap = o.maxLeaves;
  const table: LeafTable = {
    start: new Int32Array(
      shared ? new SharedArrayBuffer(leafCap * 4) : new ArrayBuffer(leafCap * 4),
    ),
    end: new Int32Array(shared ? new SharedArrayBuffer(leafCap * 4) : new ArrayBuffer(leafCap * 4)),
    value: f64(leafCap),
    factor: f64(leafCap),
  };
  const slab = createSlab(ctx, o.maxLeaves + 2, shared);
  const split = featureSplit(ctx);
  const helper = startHelper
    ? startHelper({
      ctx,
      columns,
      idx,
      scratch,
      pred,
      raw,
      t: shared ? _sharedCopy(t) : t,
      leaves: table,
      loss: o.loss,
      gh: slab.gh as SharedArrayBuffer,
      counts: slab.counts as SharedArrayBuffer,
      slabSize: slab.size,
      split,
    })
    : null;
  const builder = histogramBuilder(ctx, slab, helper ? { helper, idx, split } : null);
  const { g, h } = ctx;
  const trees: TreeArrays[] = [];
  let bestLoss = Infinity;
  let bestRound = -1;
  try {
    const grower = new TreeGrower(builder, edges, columns, o, scratch, helper);
    const full = o.subsample === 1;
    // Under a log link raw scores only feed the progress report.
    const trackRaw = !logLink || options.onProgress !== undefined;
    for (let round = 0; round < o.trees; round++) {
      if (helper) {
        const mid = n >>> 1;
        helper.run(CMD.gradients, 0, 0, mid, n, () => {
          loss.gradients(
            pred.subarray(0, mid),
            t.subarray(0, mid),
            g.subarray(0, mid),
            h.subarray(0, mid),
          );
        });
      } else {
        loss.gradients(pred, t, g, h);
      }
      let count = n;
      if (full) {
        for (let i = 0; i < n; i++) idx[i] = i;
      } else {
        const rand = createRandom(mix32((o.seed ^ Math.imul(round + 1, 0x9e3779b9)) >>> 0));
        count = 0;
        for (let i = 0; i < n; i++) if (rand() < o.subsample) idx[count++] = i;
      }
      const { tree, leaves } = grower.grow(idx, count, full);
      trees.push(tree);
      if (full) {
        leaves.forEach((leaf, j) => {
          table.start[j] = leaf.start;
          table.end[j] = leaf.end;
          table.value[j] = tree.value[leaf.node];
          table.factor[j] = Math.exp(table.value[j]);
        });
        const L = leaves.length;
        const update = (from: number, to: number) =>
          updateScores(table, L, idx, from, to, trackRaw ? raw : null, logLink ? pred : null);
        const mid = count >>> 1;
        if (helper) helper.run(CMD.update, L, trackRaw ? 1 : 0, mid, count, () => update(0, mid));
        else update(0, count);
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
    helper?.close();
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

function _sharedCopy(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.length * 8));
  out.set(a);
  return out;
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
      throw new InputError(
        `Cannot train a gbdt model: ${what} target[${i}] = ${y}, expected a finite count >= 0`,
      );
    }
  }
}
