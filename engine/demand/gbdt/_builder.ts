/**
 * Who builds histograms: this thread alone, or this thread and one Web Worker
 * splitting the features between them over shared memory. Each feature's
 * histogram is summed by exactly one thread in row order, so both builders give
 * bit-identical results and the choice never changes a model.
 *
 * @module
 */
import {
  accumulateHistogram,
  type Histogram,
  type HistogramContext,
  histogramKernel,
  histogramSlab,
} from "./_histogram.ts";

/** Builds histograms into a fixed slab of buffers. */
export interface HistogramBuilder {
  readonly ctx: HistogramContext;
  /** Every buffer of the slab; the grower keeps them in a pool. */
  readonly histograms: Histogram[];
  /** Histogram of rows `idx[start..end)` (idx must be the context's shared row array). */
  build(idx: Uint32Array, start: number, end: number, out: Histogram): void;
  /** Stops any worker; safe to call twice. */
  close(): void;
}

/** The single-thread builder. */
export function serialBuilder(ctx: HistogramContext, slabSize: number): HistogramBuilder {
  const F = ctx.features;
  const { histograms } = histogramSlab(ctx.offsets[F], slabSize, false);
  const kernel = histogramKernel(ctx.offsets, F, 0, F);
  return {
    ctx,
    histograms,
    build(idx, start, end, out) {
      accumulateHistogram(ctx, kernel, idx, start, end, out, 0, F);
    },
    close() {},
  };
}

// Control words shared with the worker.
const SEQ = 0;
const CMD = 1;
const HIST = 2;
const START = 3;
const END = 4;
const DONE = 5;
const READY = 6;
/** Commands: build a range, stop. */
export const CMD_RANGE = 1;
export const CMD_STOP = -1;

/** How long to wait for the worker to start before building alone. */
const START_TIMEOUT_MS = 10_000;

/**
 * A builder that gives features [split, F) to a worker; `ctx` and `idx` must be
 * backed by SharedArrayBuffers. Returns null when a worker cannot start.
 */
export function parallelBuilder(
  ctx: HistogramContext,
  idx: Uint32Array,
  slabSize: number,
): HistogramBuilder | null {
  const F = ctx.features;
  const slots = ctx.offsets[F];
  let split = 1;
  while (split < F - 1 && ctx.offsets[split + 1] <= slots / 2) split++;
  const slab = histogramSlab(slots, slabSize, true);
  const ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
  let worker: Worker;
  try {
    worker = new Worker(new URL("./_hist_worker.ts", import.meta.url), { type: "module" });
    worker.postMessage({
      ctl: ctl.buffer,
      bins: ctx.bins.buffer,
      binsOffset: ctx.bins.byteOffset,
      binsLength: ctx.bins.length,
      features: F,
      offsets: Array.from(ctx.offsets),
      g: ctx.g.buffer,
      h: ctx.h.buffer,
      idx: idx.buffer,
      gh: slab.gh,
      counts: slab.counts,
      slabSize,
      from: split,
      to: F,
    });
  } catch {
    return null;
  }
  if (Atomics.wait(ctl, READY, 0, START_TIMEOUT_MS) === "timed-out" && ctl[READY] === 0) {
    worker.terminate();
    return null;
  }
  const kernel = histogramKernel(ctx.offsets, F, 0, split);
  let seq = 0;
  let open = true;
  const run = (cmd: number, out: Histogram, start: number, end: number, mine: () => void) => {
    ctl[CMD] = cmd;
    ctl[HIST] = out.id;
    ctl[START] = start;
    ctl[END] = end;
    Atomics.store(ctl, SEQ, ++seq);
    Atomics.notify(ctl, SEQ);
    mine();
    for (let done = Atomics.load(ctl, DONE); done !== seq; done = Atomics.load(ctl, DONE)) {
      Atomics.wait(ctl, DONE, done);
    }
  };
  return {
    ctx,
    histograms: slab.histograms,
    build(rows, start, end, out) {
      if (rows !== idx) throw new RangeError("Cannot build a histogram over an unshared row array");
      run(
        CMD_RANGE,
        out,
        start,
        end,
        () => accumulateHistogram(ctx, kernel, idx, start, end, out, 0, split),
      );
    },
    close() {
      if (!open) return;
      open = false;
      ctl[CMD] = CMD_STOP;
      Atomics.store(ctl, SEQ, ++seq);
      Atomics.notify(ctl, SEQ);
      worker.terminate();
    },
  };
}
