/**
 * Trees as flat typed arrays, and the forest that concatenates them.
 *
 * A node with `feature >= 0` sends a row right when `x[feature] > threshold`
 * and left otherwise (so NaN goes left); a leaf has `feature = -1`. Every node
 * carries a value (already times the learning rate): the leaf's output, or for
 * an inner node the value it would have as a leaf, used for path attributions.
 *
 * @module
 */

/** One tree; child indices are local to the tree. */
export interface TreeArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

/** Rows per block of the batched prediction (keeps a row-major copy in L1). */
const BLOCK = 128;

/** Adds one tree's output for every row of column-major `features` to `raw`. */
export function addTree(
  tree: TreeArrays,
  features: ReadonlyArray<Float64Array>,
  raw: Float64Array,
) {
  const { feature, threshold, left, right, value } = tree;
  for (let r = 0; r < raw.length; r++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      node = features[f][r] > threshold[node] ? right[node] : left[node];
      f = feature[node];
    }
    raw[r] += value[node];
  }
}

/** All trees in one set of arrays (absolute child indices), plus the base score. */
export class Forest {
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly baseScore: number;
  readonly featureCount: number;

  constructor(trees: ReadonlyArray<TreeArrays>, baseScore: number, featureCount: number) {
    let total = 0;
    for (const t of trees) total += t.feature.length;
    this.roots = new Int32Array(trees.length);
    this.feature = new Int32Array(total);
    this.threshold = new Float64Array(total);
    this.left = new Int32Array(total);
    this.right = new Int32Array(total);
    this.value = new Float64Array(total);
    let at = 0;
    trees.forEach((t, i) => {
      this.roots[i] = at;
      this.feature.set(t.feature, at);
      this.threshold.set(t.threshold, at);
      this.value.set(t.value, at);
      for (let k = 0; k < t.feature.length; k++) {
        this.left[at + k] = t.left[k] + at;
        this.right[at + k] = t.right[k] + at;
      }
      at += t.feature.length;
    });
    this.baseScore = baseScore;
    this.featureCount = featureCount;
  }

  /** Raw scores of column-major rows, tree by tree over blocks of rows. */
  predictRaw(features: ReadonlyArray<Float64Array>, out: Float64Array): Float64Array {
    const F = this.featureCount;
    const n = out.length;
    const { roots, feature, threshold, left, right, value } = this;
    const block = new Float64Array(BLOCK * F);
    const acc = new Float64Array(BLOCK);
    for (let start = 0; start < n; start += BLOCK) {
      const size = Math.min(BLOCK, n - start);
      for (let f = 0; f < F; f++) {
        const col = features[f];
        for (let i = 0; i < size; i++) block[i * F + f] = col[start + i];
      }
      acc.fill(this.baseScore);
      for (let t = 0; t < roots.length; t++) {
        const root = roots[t];
        const rootFeature = feature[root];
        for (let i = 0; i < size; i++) {
          const base = i * F;
          let node = root;
          let f = rootFeature;
          while (f >= 0) {
            node = block[base + f] > threshold[node] ? right[node] : left[node];
            f = feature[node];
          }
          acc[i] += value[node];
        }
      }
      out.set(acc.subarray(0, size), start);
    }
    return out;
  }

  /** Raw score of one row. */
  predictRowRaw(row: ArrayLike<number>): number {
    const { roots, feature, threshold, left, right, value } = this;
    let s = this.baseScore;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t];
      let f = feature[node];
      while (f >= 0) {
        node = row[f] > threshold[node] ? right[node] : left[node];
        f = feature[node];
      }
      s += value[node];
    }
    return s;
  }

  /** Base score plus the roots' values: the raw score before any split is known. */
  bias(): number {
    let s = this.baseScore;
    for (let t = 0; t < this.roots.length; t++) s += this.value[this.roots[t]];
    return s;
  }

  /** Saabas path attribution: each split's change of node value goes to its feature. */
  contributions(row: ArrayLike<number>): Float64Array {
    const { roots, feature, threshold, left, right, value } = this;
    const out = new Float64Array(this.featureCount);
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t];
      let f = feature[node];
      while (f >= 0) {
        const next = row[f] > threshold[node] ? right[node] : left[node];
        out[f] += value[next] - value[node];
        node = next;
        f = feature[node];
      }
    }
    return out;
  }
}
