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

/**
 * All trees in one set of arrays (absolute child indices), plus the base score.
 * Siblings must be adjacent (`right = left + 1`), as the grower and the JSON
 * loader guarantee; batched prediction relies on it.
 */
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

  /**
   * Raw scores of column-major rows. Works tree by tree over blocks of rows and
   * level by level over the rows of a block, without branches: a leaf steps to
   * itself (feature 0, threshold +Infinity, left = itself), so every row takes
   * the tree's depth in steps and the rows' steps overlap in the CPU.
   */
  predictRaw(features: ReadonlyArray<Float64Array>, out: Float64Array): Float64Array {
    const F = this.featureCount;
    const n = out.length;
    const { roots, value } = this;
    const { stepFeature, stepThreshold, stepLeft, depth } = this.#stepper();
    // Scratch reused across calls: pricing predicts ~25 rows per call, 100,000 times.
    const { block, acc, nodes } = this.#scratch ??= {
      block: new Float64Array(BLOCK * F),
      acc: new Float64Array(BLOCK),
      nodes: new Int32Array(BLOCK),
    };
    for (let start = 0; start < n; start += BLOCK) {
      const size = Math.min(BLOCK, n - start);
      for (let f = 0; f < F; f++) {
        const col = features[f];
        for (let i = 0; i < size; i++) block[i * F + f] = col[start + i];
      }
      acc.fill(this.baseScore, 0, size);
      for (let t = 0; t < roots.length; t++) {
        nodes.fill(roots[t], 0, size);
        for (let d = depth[t]; d > 0; d--) {
          for (let i = 0; i < size; i++) {
            const node = nodes[i];
            nodes[i] = stepLeft[node] + +(block[i * F + stepFeature[node]] > stepThreshold[node]);
          }
        }
        for (let i = 0; i < size; i++) acc[i] += value[nodes[i]];
      }
      out.set(acc.subarray(0, size), start);
    }
    return out;
  }

  #scratch: { block: Float64Array; acc: Float64Array; nodes: Int32Array } | null = null;

  #steps:
    | {
      stepFeature: Int32Array;
      stepThreshold: Float64Array;
      stepLeft: Int32Array;
      depth: Int32Array;
    }
    | null = null;

  #stepper() {
    if (this.#steps) return this.#steps;
    const { roots, feature, threshold, left } = this;
    const stepFeature = feature.map((f) => (f < 0 ? 0 : f));
    const stepThreshold = threshold.map((v, k) => (feature[k] < 0 ? Infinity : v));
    const stepLeft = left.map((c, k) => (feature[k] < 0 ? k : c));
    const depth = new Int32Array(roots.length);
    const nodeDepth = new Int32Array(feature.length);
    for (let t = 0; t < roots.length; t++) {
      const end = t + 1 < roots.length ? roots[t + 1] : feature.length;
      for (let k = roots[t]; k < end; k++) {
        if (nodeDepth[k] > depth[t]) depth[t] = nodeDepth[k];
        if (feature[k] >= 0) {
          nodeDepth[left[k]] = nodeDepth[k] + 1, nodeDepth[left[k] + 1] = nodeDepth[k] + 1;
        }
      }
    }
    return (this.#steps = { stepFeature, stepThreshold, stepLeft, depth });
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
