/**
 * Gradient histograms. One node's histogram holds, for every (feature, bin), the
 * sums of gradients and hessians (interleaved in `gh`) and the row count; the
 * features sit one after another at `offsets[f]` bins. Rows of a node are a
 * contiguous range of the row-index array, always in ascending row order, so the
 * summation order (and so every bit of the result) is fixed.
 *
 * @module
 */

/** Sums per (feature, bin): `gh[2 * slot]` gradients, `gh[2 * slot + 1]` hessians. */
export interface Histogram {
  /** Index of this histogram in its slab (how a worker finds it). */
  readonly id: number;
  readonly gh: Float64Array;
  readonly count: Int32Array;
}

/** Buffers and binned data a histogram is built from (shared memory when workers help). */
export interface HistogramContext {
  readonly bins: Uint8Array[];
  /** First bin slot of each feature, and the total at index `bins.length`. */
  readonly offsets: Int32Array;
  readonly g: Float64Array;
  readonly h: Float64Array;
  /** Scratch: gradients and hessians gathered in a node's row order. */
  readonly og: Float64Array;
  readonly oh: Float64Array;
}

/** Bin-slot offsets of every feature from their bin counts. */
export function binOffsets(binCounts: ArrayLike<number>): Int32Array {
  const offsets = new Int32Array(binCounts.length + 1);
  for (let f = 0; f < binCounts.length; f++) offsets[f + 1] = offsets[f] + binCounts[f];
  return offsets;
}

/** `count` histograms over one gradient and one count buffer (shared when `shared`). */
export function histogramSlab(slots: number, count: number, shared: boolean): {
  gh: ArrayBufferLike;
  counts: ArrayBufferLike;
  histograms: Histogram[];
} {
  const make = (bytes: number) => shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const gh = make(count * slots * 16);
  const counts = make(count * slots * 4);
  return { gh, counts, histograms: slabViews(gh, counts, slots, count) };
}

/** Views of the histograms in a slab's buffers. */
export function slabViews(
  gh: ArrayBufferLike,
  counts: ArrayBufferLike,
  slots: number,
  count: number,
): Histogram[] {
  return Array.from({ length: count }, (_, id) => ({
    id,
    gh: new Float64Array(gh, id * slots * 16, 2 * slots),
    count: new Int32Array(counts, id * slots * 4, slots),
  }));
}

/** Copies the gradients and hessians of rows `idx[start..end)` into `og`, `oh` in order. */
export function gatherGradients(
  ctx: HistogramContext,
  idx: Uint32Array,
  start: number,
  end: number,
): void {
  const { g, h, og, oh } = ctx;
  for (let k = start; k < end; k++) {
    const r = idx[k];
    og[k - start] = g[r];
    oh[k - start] = h[r];
  }
}

/**
 * Fills features [from, to) of `out` with the histogram of rows `idx[start..end)`;
 * `gatherGradients` must have run for the same rows.
 */
export function accumulateHistogram(
  ctx: HistogramContext,
  idx: Uint32Array,
  start: number,
  end: number,
  out: Histogram,
  from: number,
  to: number,
): void {
  const { og, oh, bins, offsets } = ctx;
  out.gh.fill(0, 2 * offsets[from], 2 * offsets[to]);
  out.count.fill(0, offsets[from], offsets[to]);
  const rows = idx.subarray(start, end);
  for (let f = from; f < to; f++) _accumulate(bins[f], rows, og, oh, end - start, offsets[f], out);
}

/** Fills features [from, to) of `out` with the histogram of all rows 0..n-1. */
export function accumulateFullHistogram(
  ctx: HistogramContext,
  out: Histogram,
  from: number,
  to: number,
): void {
  const { g, h, bins, offsets } = ctx;
  const { gh, count } = out;
  gh.fill(0, 2 * offsets[from], 2 * offsets[to]);
  count.fill(0, offsets[from], offsets[to]);
  for (let f = from; f < to; f++) {
    const col = bins[f];
    const base = offsets[f];
    for (let r = 0; r < col.length; r++) {
      const slot = base + col[r];
      const b = slot << 1;
      gh[b] += g[r];
      gh[b + 1] += h[r];
      count[slot]++;
    }
  }
}

/** `out = parent - child`, the histogram of the sibling. */
export function subtractHistogram(parent: Histogram, child: Histogram, out: Histogram): void {
  for (let i = 0; i < parent.gh.length; i++) out.gh[i] = parent.gh[i] - child.gh[i];
  for (let i = 0; i < parent.count.length; i++) out.count[i] = parent.count[i] - child.count[i];
}

function _accumulate(
  col: Uint8Array,
  rows: Uint32Array,
  og: Float64Array,
  oh: Float64Array,
  len: number,
  base: number,
  out: Histogram,
): void {
  const { gh, count } = out;
  for (let k = 0; k < len; k++) {
    const slot = base + col[rows[k]];
    const b = slot << 1;
    gh[b] += og[k];
    gh[b + 1] += oh[k];
    count[slot]++;
  }
}
