/**
 * The helper thread: one Web Worker over shared memory that takes half of each
 * parallel step of training (its share of the histogram features, the second
 * half of a partition, of the gradients and of the score update) while this
 * thread does the other half, then both meet. Each step is split so that every
 * number comes out as one thread alone would compute it: models are
 * bit-identical with and without the helper.
 *
 * @module
 */
import type { HistogramContext } from "./_histogram.ts";
import type { LossName } from "./_loss.ts";
import type { LeafTable } from "./_rows.ts";

/** Everything the helper reads or writes; typed arrays over SharedArrayBuffers. */
export interface HelperState {
  readonly ctx: HistogramContext;
  readonly columns: Uint8Array[];
  readonly idx: Uint32Array;
  readonly scratch: Uint32Array;
  readonly pred: Float64Array;
  readonly raw: Float64Array;
  /** The loss's target. */
  readonly t: Float64Array;
  readonly leaves: LeafTable;
  readonly loss: LossName;
  /** Histogram slab buffers and size. */
  readonly gh: SharedArrayBuffer;
  readonly counts: SharedArrayBuffer;
  readonly slabSize: number;
  /** The helper sums features [split, F) of every histogram. */
  readonly split: number;
}

/** Control words shared with the worker. */
export const CTL = {
  seq: 0,
  cmd: 1,
  a: 2,
  b: 3,
  c: 4,
  d: 5,
  done: 6,
  ready: 7,
  result: 8,
} as const;

/** Commands and their arguments (a, b, c, d). */
export const CMD = {
  /** a = histogram id, b = 1 to leave the counts alone, c..d = row positions. */
  histogram: 1,
  /** a = feature, b = bin, c..d = row positions; result = left rows. */
  partition: 2,
  /** c..d = rows. */
  gradients: 3,
  /** a = leaves, b = 1 to update raw scores, c..d = row positions. */
  update: 4,
  stop: -1,
} as const;

/** How long to wait for the worker to start before training alone. */
const START_TIMEOUT_MS = 10_000;

/** The main thread's handle on the helper. */
export class Helper {
  readonly #ctl: Int32Array;
  readonly #worker: Worker;
  #seq = 0;
  #open = true;

  private constructor(ctl: Int32Array, worker: Worker) {
    this.#ctl = ctl;
    this.#worker = worker;
  }

  /**
   * Spawns the worker; call before binning so that it loads meanwhile. Returns
   * a function that hands it the state and waits until it is ready: the
   * helper, or null when it could not start (then train on one thread).
   */
  static spawn(): (state: HelperState) => Helper | null {
    let worker: Worker;
    try {
      worker = new Worker(new URL("./_helper_worker.ts", import.meta.url), { type: "module" });
    } catch {
      return () => null;
    }
    return (state) => {
      const ctl = new Int32Array(new SharedArrayBuffer(16 * 4));
      try {
        worker.postMessage({ ...state, ctl });
      } catch {
        worker.terminate();
        return null;
      }
      const waited = Atomics.wait(ctl, CTL.ready, 0, START_TIMEOUT_MS);
      if (waited === "timed-out" && ctl[CTL.ready] === 0) {
        worker.terminate();
        return null;
      }
      return new Helper(ctl, worker);
    };
  }

  /** Has the helper run `cmd` while this thread runs `mine`; returns the helper's result. */
  run(cmd: number, a: number, b: number, c: number, d: number, mine: () => void): number {
    const ctl = this.#ctl;
    ctl[CTL.cmd] = cmd;
    ctl[CTL.a] = a;
    ctl[CTL.b] = b;
    ctl[CTL.c] = c;
    ctl[CTL.d] = d;
    const seq = ++this.#seq;
    Atomics.store(ctl, CTL.seq, seq);
    Atomics.notify(ctl, CTL.seq);
    mine();
    for (let done = Atomics.load(ctl, CTL.done); done !== seq; done = Atomics.load(ctl, CTL.done)) {
      Atomics.wait(ctl, CTL.done, done);
    }
    return ctl[CTL.result];
  }

  /** Stops the worker; safe to call twice. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#ctl[CTL.cmd] = CMD.stop;
    Atomics.store(this.#ctl, CTL.seq, ++this.#seq);
    Atomics.notify(this.#ctl, CTL.seq);
    this.#worker.terminate();
  }
}
