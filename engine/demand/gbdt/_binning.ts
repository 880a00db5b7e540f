/**
 * Quantile binning, done once per training: the features become row-major bin
 * numbers packed four to a 32-bit word (row r's bins in words
 * `r * stride .. r * stride + stride`, so the histogram loop reads a row's bins
 * in a few loads from one cache line) plus one `Uint8Array` column per feature,
 * and every bin has a raw upper edge.
 *
 * Bin `b` of a feature holds the values `x` with `edges[b - 1] < x <= edges[b]`
 * (the last bin is open above), so "bin <= b" and "x <= edges[b]" are the same
 * test: a split found on bins is stored as the raw threshold `edges[b]` and
 * prediction on raw values takes exactly the branches training took.
 *
 * Missing values (NaN) join bin 0 and therefore always go left, like the
 * smallest values; at prediction a NaN fails `x > threshold` and goes left too.
 *
 * @module
 */
import { lowerBound } from "../../util/lower_bound.ts";

/** Rows sampled (evenly spaced, so deterministic) to place the quantile edges. */
const EDGE_SAMPLE = 200_000;

/** Bin edges of every feature and the binned columns. */
export interface Binned {
  /** Upper edges per feature; bin count of feature f is `edges[f].length + 1`. */
  readonly edges: Float64Array[];
  /**
   * Bin numbers, row-major, four per word (for histograms): feature f of row r is
   * byte `f & 3` (little-endian) of word `r * stride + (f >> 2)`.
   */
  readonly words: Uint32Array;
  /** Words per row: ceil(features / 4). */
  readonly stride: number;
  /** The same bin numbers, one column per feature (for partitioning a node's rows). */
  readonly columns: Uint8Array[];
}

/** Upper edges of at most `maxBins` quantile bins of one column (NaN ignored). */
export function binEdges(column: Float64Array, maxBins: number): Float64Array {
  const n = column.length;
  const step = Math.max(1, Math.floor(n / EDGE_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) {
    const v = column[i];
    if (v === v) sample.push(v);
  }
  const sorted = Float64Array.from(sample).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) {
      edges.push(_between(distinct[i], distinct[i + 1]));
    }
    return Float64Array.from(edges);
  }
  const m = sorted.length;
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.min(m - 1, Math.floor((q * m) / maxBins))];
    if (v === sorted[m - 1]) break;
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  return Float64Array.from(edges);
}

/**
 * Bin number of a value given a feature's edges (NaN → 0): the number of edges
 * below it. The definition `binColumn` is tested against.
 */
export function binOf(edges: Float64Array, value: number): number {
  return lowerBound(edges.length, (i) => edges[i] < value);
}

/**
 * Bins a column with given edges into `out[offset + i * stride]`, with the same
 * result as `binOf` but a search of its own: training bins every value of every
 * feature here, so the search is unrolled and branch-free over the edges padded to
 * 256 with +Infinity (at most 255 edges, eight steps), not a generic
 * {@linkcode lowerBound} with a call per step.
 */
export function binColumn(
  column: Float64Array,
  edges: Float64Array,
  out: Uint8Array,
  stride = 1,
  offset = 0,
): Uint8Array {
  const e = new Float64Array(256).fill(Infinity);
  e.set(edges);
  for (let i = 0, at = offset; i < column.length; i++, at += stride) {
    const v = column[i];
    // Each step adds its power of two when the edge is below v: arithmetic, not a
    // branch, because on real data these branches are mispredicted half the time.
    let p = +(e[127] < v) << 7;
    p += +(e[p + 63] < v) << 6;
    p += +(e[p + 31] < v) << 5;
    p += +(e[p + 15] < v) << 4;
    p += +(e[p + 7] < v) << 3;
    p += +(e[p + 3] < v) << 2;
    p += +(e[p + 1] < v) << 1;
    p += +(e[p] < v);
    out[at] = p;
  }
  return out;
}

/** Computes edges for every feature and bins all columns, column- and row-major. */
export function binFeatures(
  features: ReadonlyArray<Float64Array>,
  maxBins: number,
  alloc: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Binned {
  const F = features.length;
  const n = F ? features[0].length : 0;
  const edges = features.map((c) => binEdges(c, maxBins));
  const columns = features.map((c, f) => binColumn(c, edges[f], alloc(n)));
  const stride = (F + 3) >> 2;
  const bytes = alloc(4 * stride * n);
  for (let f = 0; f < F; f++) {
    const col = columns[f];
    const at0 = 4 * (f >> 2) + (f & 3); // little-endian: byte q of a word is bits 8q..8q+7
    for (let r = 0, at = at0; r < n; r++, at += 4 * stride) bytes[at] = col[r];
  }
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, stride * n);
  return { edges, words, stride, columns };
}

/** A threshold strictly between a and b (a < b), nearest the midpoint, never equal to b. */
function _between(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid >= b ? a : mid;
}
