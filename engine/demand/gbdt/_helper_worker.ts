/**
 * Worker side of the helper thread: waits on the shared control words and runs
 * its half of each step (see `_helper.ts`).
 *
 * @module
 */
import { CMD, CTL, type HelperState } from "./_helper.ts";
import { accumulateHistogram, histogramKernel, slabViews } from "./_histogram.ts";
import { lossOf } from "./_loss.ts";
import { partitionRange, updateScores } from "./_rows.ts";

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<HelperState & { ctl: Int32Array }>) => void) | null;
  close(): void;
};

scope.onmessage = (e) => {
  const s = e.data;
  const { ctl, ctx } = s;
  const F = ctx.features;
  const hists = slabViews(s.gh, s.counts, ctx.offsets[F], s.slabSize);
  const kernel = histogramKernel(ctx, s.split, F);
  const sumsOnly = histogramKernel(ctx, s.split, F, false);
  const loss = lossOf(s.loss);
  const logLink = loss.link === "log";
  Atomics.store(ctl, CTL.ready, 1);
  Atomics.notify(ctl, CTL.ready);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, CTL.seq, seen);
    seen = Atomics.load(ctl, CTL.seq);
    const cmd = ctl[CTL.cmd];
    if (cmd === CMD.stop) break;
    const a = ctl[CTL.a], b = ctl[CTL.b], c = ctl[CTL.c], d = ctl[CTL.d];
    let result = 0;
    if (cmd === CMD.histogram) {
      accumulateHistogram(ctx, b ? sumsOnly : kernel, s.idx, c, d, hists[a], s.split, F);
    } else if (cmd === CMD.partition) {
      result = partitionRange(s.columns[a], b, s.idx, s.scratch, c, d);
    } else if (cmd === CMD.gradients) {
      loss.gradients(
        s.pred.subarray(c, d),
        s.t.subarray(c, d),
        ctx.g.subarray(c, d),
        ctx.h.subarray(c, d),
      );
    } else if (cmd === CMD.update) {
      updateScores(s.leaves, a, s.idx, c, d, b ? s.raw : null, logLink ? s.pred : null);
    }
    ctl[CTL.result] = result;
    Atomics.store(ctl, CTL.done, seen);
    Atomics.notify(ctl, CTL.done);
  }
  scope.close();
};
