/**
 * Per-row work of a boosting round that either thread can do on a range of
 * positions: the stable partition of a node's rows and the score update of a
 * grown tree's leaves. Every row's result depends on that row alone (and a
 * partition stays stable when its halves are joined in order), so splitting a
 * range between threads never changes a bit.
 *
 * @module
 */

/**
 * Stable partition of rows `idx[start..end)` by `col[row] <= bin`: the left rows
 * stay in `idx` from `start`, the right rows go to `scratch` from `start`.
 * Returns the number of left rows.
 */
export function partitionRange(
  col: Uint8Array,
  bin: number,
  idx: Uint32Array,
  scratch: Uint32Array,
  start: number,
  end: number,
): number {
  let l = start;
  let r = start;
  for (let k = start; k < end; k++) {
    const row = idx[k];
    const goLeft = (bin - col[row]) >>> 31 ^ 1; // 1 when col[row] <= bin, without a branch
    idx[l] = row;
    scratch[r] = row;
    l += goLeft;
    r += goLeft ^ 1;
  }
  return l - start;
}

/** Leaves of a grown tree as parallel arrays (shared with a helper thread). */
export interface LeafTable {
  /** Row positions [start, end) in idx of each leaf, ascending and disjoint. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Each leaf's value and exp(value). */
  readonly value: Float64Array;
  readonly factor: Float64Array;
}

/**
 * Adds each of the first `leaves` leaves' value to the raw scores of its rows
 * whose positions fall in [from, to) (when `raw` is given), and multiplies their
 * preds by exp(value) (when `pred` is given: a log link).
 */
export function updateScores(
  table: LeafTable,
  leaves: number,
  idx: Uint32Array,
  from: number,
  to: number,
  raw: Float64Array | null,
  pred: Float64Array | null,
): void {
  for (let j = 0; j < leaves; j++) {
    const start = Math.max(from, table.start[j]);
    const end = Math.min(to, table.end[j]);
    if (start >= end) continue;
    if (raw) {
      const v = table.value[j];
      for (let k = start; k < end; k++) raw[idx[k]] += v;
    }
    if (pred) {
      const e = table.factor[j];
      for (let k = start; k < end; k++) pred[idx[k]] *= e;
    }
  }
}
