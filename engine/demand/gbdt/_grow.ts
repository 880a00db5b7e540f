/**
 * Grows one regression tree leaf-wise (best gain first) on binned data.
 *
 * Rows of a node are a contiguous range of one row-index array; a split
 * partitions that range in place (stably, so each range stays in ascending row
 * order). Only the smaller child's histogram is built from rows; the larger
 * one is the parent's minus it. Value bounds flow down by the mid-point rule:
 * a split on a feature constrained +1 gives the left child [lower, mid] and the
 * right child [mid, upper] with mid = (wL + wR) / 2 (mirrored for -1), so every
 * leaf of the left subtree is <= every leaf of the right subtree.
 *
 * @module
 */
import type { HistogramBuilder } from "./_builder.ts";
import { CMD, type Helper } from "./_helper.ts";
import { partitionRange } from "./_rows.ts";
import { type Histogram, subtractHistogram } from "./_histogram.ts";
import { findBestSplit, leafValue, type Split, type SplitSettings } from "./_split.ts";
import type { TreeArrays } from "./_tree.ts";

/** Below this many rows a partition is not worth waking the helper. */
const PARALLEL_PARTITION_ROWS = 8_192;

/** Settings of tree growth. */
export interface GrowSettings extends SplitSettings {
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly learningRate: number;
}

/** A grown tree plus, for every leaf, its row range in `idx` (to update scores). */
export interface GrownTree {
  readonly tree: TreeArrays;
  /** Per leaf: [start, end) in idx and the node id. */
  readonly leaves: ReadonlyArray<{ start: number; end: number; node: number }>;
}

interface _Node {
  id: number;
  start: number;
  end: number;
  G: number;
  H: number;
  count: number;
  depth: number;
  lower: number;
  upper: number;
  hist: Histogram | null;
  split: Split | null;
}

/** Reusable buffers of the grower: histogram pool and partition scratch. */
export class TreeGrower {
  readonly #builder: HistogramBuilder;
  readonly #edges: Float64Array[];
  readonly #columns: Uint8Array[];
  readonly #s: GrowSettings;
  readonly #pool: Histogram[];
  readonly #scratch: Uint32Array;
  readonly #helper: Helper | null;

  /**
   * `columns` are the column-major bins (partitioning reads one feature of many
   * rows); the builder's slab needs `maxLeaves + 2` histograms; `scratch` has a
   * slot per row. With a helper, large partitions are split between threads.
   */
  constructor(
    builder: HistogramBuilder,
    edges: Float64Array[],
    columns: Uint8Array[],
    settings: GrowSettings,
    scratch: Uint32Array,
    helper: Helper | null = null,
  ) {
    this.#builder = builder;
    this.#edges = edges;
    this.#columns = columns;
    this.#s = settings;
    this.#pool = [...builder.histograms].reverse();
    this.#scratch = scratch;
    this.#helper = helper;
  }

  /** Grows a tree on rows `idx[0..count)` (ascending; `full` when they are all rows). */
  grow(idx: Uint32Array, count: number, full: boolean): GrownTree {
    const s = this.#s;
    const ctx = this.#builder.ctx;
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const newNode = (): number => {
      feature.push(-1), threshold.push(0), left.push(-1), right.push(-1), value.push(0);
      return feature.length - 1;
    };
    const rootHist = this.#take();
    this.#builder.buildRoot(idx, count, rootHist, full);
    let G = 0;
    let H = 0;
    for (let i = 0; i < 2 * ctx.offsets[1]; i += 2) G += rootHist.gh[i], H += rootHist.gh[i + 1];
    const root: _Node = {
      id: newNode(),
      start: 0,
      end: count,
      G,
      H,
      count,
      depth: 0,
      lower: -Infinity,
      upper: Infinity,
      hist: rootHist,
      split: null,
    };
    const open: _Node[] = [root];
    const done: _Node[] = [];
    if (this.#splittable(root, 1)) this.#consider(root);
    let leafCount = 1;
    for (;;) {
      let at = -1;
      for (let i = 0; i < open.length; i++) {
        const sp = open[i].split;
        if (sp && (at < 0 || sp.gain > open[at].split!.gain)) at = i;
      }
      if (at < 0 || leafCount >= s.maxLeaves) break;
      const node = open[at];
      open.splice(at, 1);
      const sp = node.split!;
      const mid = this.#partition(idx, node, sp);
      const mono = s.monotone[sp.feature];
      const m = (sp.wL + sp.wR) / 2;
      const make = (start: number, end: number, g: number, h: number, lo: number, up: number) => ({
        id: newNode(),
        start,
        end,
        G: g,
        H: h,
        count: end - start,
        depth: node.depth + 1,
        lower: lo,
        upper: up,
        hist: null,
        split: null,
      } as _Node);
      const l = make(
        node.start,
        mid,
        sp.GL,
        sp.HL,
        mono < 0 ? m : node.lower,
        mono > 0 ? m : node.upper,
      );
      const r = make(
        mid,
        node.end,
        node.G - sp.GL,
        node.H - sp.HL,
        mono > 0 ? m : node.lower,
        mono < 0 ? m : node.upper,
      );
      feature[node.id] = sp.feature;
      threshold[node.id] = this.#edges[sp.feature][sp.bin];
      left[node.id] = l.id;
      right[node.id] = r.id;
      leafCount++;
      const canL = this.#splittable(l, leafCount);
      const canR = this.#splittable(r, leafCount);
      if (canL || canR) {
        const [small, large] = l.count <= r.count ? [l, r] : [r, l];
        small.hist = this.#take();
        this.#builder.build(idx, small.start, small.end, small.hist);
        if (small === l ? canR : canL) {
          large.hist = this.#take();
          subtractHistogram(node.hist!, small.hist, large.hist);
        }
      }
      this.#give(node);
      done.push(node);
      for (const c of [l, r]) {
        if (this.#splittable(c, leafCount)) this.#consider(c);
        else this.#give(c);
        open.push(c);
      }
    }
    const leaves: { start: number; end: number; node: number }[] = [];
    for (const n of open) {
      this.#give(n);
      leaves.push({ start: n.start, end: n.end, node: n.id });
    }
    for (const n of [...done, ...open]) {
      value[n.id] = s.learningRate * leafValue(n.G, n.H, n.lower, n.upper, s);
    }
    return {
      tree: {
        feature: Int32Array.from(feature),
        threshold: Float64Array.from(threshold),
        left: Int32Array.from(left),
        right: Int32Array.from(right),
        value: Float64Array.from(value),
      },
      leaves,
    };
  }

  #splittable(n: _Node, leafCount: number): boolean {
    const s = this.#s;
    return n.depth < s.maxDepth && n.count >= 2 * s.minLeafSize && leafCount < s.maxLeaves;
  }

  #consider(n: _Node): void {
    n.split = n.hist ? findBestSplit(n.hist, this.#builder.ctx.offsets, n, this.#s) : null;
  }

  /** Stable in-place partition of the node's range; returns the first right position. */
  #partition(idx: Uint32Array, node: _Node, sp: Split): number {
    const col = this.#columns[sp.feature];
    const scratch = this.#scratch;
    const { start, end } = node;
    if (!this.#helper || end - start < PARALLEL_PARTITION_ROWS) {
      const l = partitionRange(col, sp.bin, idx, scratch, start, end);
      idx.set(scratch.subarray(start, end - l), start + l);
      return start + l;
    }
    // Halves in parallel, then lefts of both, rights of both: the same stable order.
    const mid = (start + end) >>> 1;
    let lA = 0;
    const lB = this.#helper.run(CMD.partition, sp.feature, sp.bin, mid, end, () => {
      lA = partitionRange(col, sp.bin, idx, scratch, start, mid);
    });
    const rA = mid - start - lA;
    idx.copyWithin(start + lA, mid, mid + lB);
    idx.set(scratch.subarray(start, start + rA), start + lA + lB);
    idx.set(scratch.subarray(mid, end - lB), start + lA + lB + rA);
    return start + lA + lB;
  }

  #take(): Histogram {
    const h = this.#pool.pop();
    if (!h) throw new RangeError("Cannot grow a tree: the histogram slab is exhausted");
    return h;
  }

  #give(n: _Node): void {
    if (n.hist) this.#pool.push(n.hist), n.hist = null;
  }
}
