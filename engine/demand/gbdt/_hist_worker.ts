/**
 * Worker side of the parallel histogram builder: waits on the shared control
 * words and sums its share of the features for each requested node.
 *
 * @module
 */
import { CMD_RANGE, CMD_STOP } from "./_builder.ts";
import {
  accumulateHistogram,
  type HistogramContext,
  histogramKernel,
  slabViews,
} from "./_histogram.ts";

interface _Setup {
  ctl: SharedArrayBuffer;
  bins: SharedArrayBuffer;
  binsOffset: number;
  binsLength: number;
  features: number;
  offsets: number[];
  g: SharedArrayBuffer;
  h: SharedArrayBuffer;
  idx: SharedArrayBuffer;
  gh: SharedArrayBuffer;
  counts: SharedArrayBuffer;
  slabSize: number;
  from: number;
  to: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<_Setup>) => void) | null;
  close(): void;
};

scope.onmessage = (e) => {
  const s = e.data;
  const ctl = new Int32Array(s.ctl);
  const ctx: HistogramContext = {
    bins: new Uint8Array(s.bins, s.binsOffset, s.binsLength),
    features: s.features,
    offsets: Int32Array.from(s.offsets),
    g: new Float64Array(s.g),
    h: new Float64Array(s.h),
  };
  const idx = new Uint32Array(s.idx);
  const hists = slabViews(s.gh, s.counts, ctx.offsets[ctx.features], s.slabSize);
  const kernel = histogramKernel(ctx.offsets, ctx.features, s.from, s.to);
  Atomics.store(ctl, 6, 1);
  Atomics.notify(ctl, 6);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, 0, seen);
    seen = Atomics.load(ctl, 0);
    const cmd = ctl[1];
    if (cmd === CMD_STOP) break;
    const out = hists[ctl[2]];
    if (cmd === CMD_RANGE) {
      accumulateHistogram(ctx, kernel, idx, ctl[3], ctl[4], out, s.from, s.to);
    }
    Atomics.store(ctl, 5, seen);
    Atomics.notify(ctl, 5);
  }
  scope.close();
};
