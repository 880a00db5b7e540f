/**
 * Who builds histograms: this thread alone, or this thread and the helper
 * thread splitting the features between them over shared memory. Each
 * feature's histogram is summed by exactly one thread in row order, so both
 * builders give bit-identical results and the choice never changes a model.
 *
 * @module
 */
import { CMD, type Helper } from "./_helper.ts";
import {
  accumulateHistogram,
  type Histogram,
  type HistogramContext,
  histogramKernel,
  slabViews,
} from "./_histogram.ts";

/** Builds histograms into a fixed slab of buffers. */
export interface HistogramBuilder {
  readonly ctx: HistogramContext;
  /** Every buffer of the slab; the grower keeps them in a pool. */
  readonly histograms: Histogram[];
  /** Histogram of rows `idx[start..end)` (idx must be the training's row array). */
  build(idx: Uint32Array, start: number, end: number, out: Histogram): void;
  /**
   * Histogram of a root over `idx[0..count)`. When `full` (every row, as in
   * every round without subsampling) the counts never change, so after the
   * first such root they are copied instead of counted again.
   */
  buildRoot(idx: Uint32Array, count: number, out: Histogram, full: boolean): void;
}

/** A slab of `size` histograms over two buffers. */
export interface Slab {
  readonly gh: ArrayBufferLike;
  readonly counts: ArrayBufferLike;
  readonly size: number;
}

/** Allocates a slab for `ctx` (shared memory when a helper will write into it). */
export function createSlab(ctx: HistogramContext, size: number, shared: boolean): Slab {
  const slots = ctx.offsets[ctx.features];
  const make = (bytes: number) => shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return { gh: make(size * slots * 16), counts: make(size * slots * 4), size };
}

/**
 * Share of the histogram bin slots this thread keeps: less than half, because
 * it alone also does the serial steps (small partitions, split finding, tree
 * bookkeeping), so the helper would otherwise wait for it.
 */
const MAIN_SHARE = 0.4;

/** The feature where the helper's share starts. */
export function featureSplit(ctx: HistogramContext): number {
  const F = ctx.features;
  const slots = ctx.offsets[F];
  let split = 1;
  while (split < F - 1 && ctx.offsets[split + 1] <= slots * MAIN_SHARE) split++;
  return Math.min(split, F);
}

/**
 * A builder over `slab`: alone, or with `helper` summing features [split, F)
 * (then `idx` and the slab must be the ones the helper was started with).
 */
export function histogramBuilder(
  ctx: HistogramContext,
  slab: Slab,
  helper: { helper: Helper; idx: Uint32Array; split: number } | null,
): HistogramBuilder {
  const F = ctx.features;
  const histograms = slabViews(slab.gh, slab.counts, ctx.offsets[F], slab.size);
  const split = helper ? helper.split : F;
  const kernel = histogramKernel(ctx, 0, split);
  const sumsOnly = histogramKernel(ctx, 0, split, false);
  const run = (idx: Uint32Array, start: number, end: number, out: Histogram, counts: boolean) => {
    const mine = () =>
      accumulateHistogram(ctx, counts ? kernel : sumsOnly, idx, start, end, out, 0, split);
    if (!helper) return mine();
    if (idx !== helper.idx) {
      throw new RangeError("Cannot build a histogram over an unshared row array");
    }
    helper.helper.run(CMD.histogram, out.id, counts ? 0 : 1, start, end, mine);
  };
  let rootCounts: Int32Array | null = null;
  return {
    ctx,
    histograms,
    build: (idx, start, end, out) => run(idx, start, end, out, true),
    buildRoot(idx, count, out, full) {
      if (full && rootCounts) {
        run(idx, 0, count, out, false);
        out.count.set(rootCounts);
        return;
      }
      run(idx, 0, count, out, true);
      if (full) rootCounts = out.count.slice();
    },
  };
}
