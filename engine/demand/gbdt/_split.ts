/**
 * Best split of one node from its histogram, with monotone constraints enforced
 * while searching: a candidate on a constrained feature is kept only when the
 * children's (bounded) values are ordered the constrained way, and the gain is
 * computed from those bounded values, not the free Newton steps.
 *
 * @module
 */

import type { Histogram } from "./_histogram.ts";

/** Settings the split search needs. */
export interface SplitSettings {
  readonly l2: number;
  readonly minLeafSize: number;
  readonly minHessian: number;
  /** Largest |leaf step| before the learning rate (poisson safeguard). */
  readonly maxDeltaStep: number;
  readonly monotone: Int8Array;
}

/** A node's sums and the value bounds inherited from its ancestors. */
export interface NodeStats {
  readonly G: number;
  readonly H: number;
  readonly count: number;
  readonly lower: number;
  readonly upper: number;
}

/** A chosen split: rows with bin <= `bin` go left. */
export interface Split {
  readonly gain: number;
  readonly feature: number;
  readonly bin: number;
  readonly GL: number;
  readonly HL: number;
  readonly countL: number;
  readonly wL: number;
  readonly wR: number;
}

/** The node's value: the L2-regularised Newton step, clipped to the delta step and bounds. */
export function leafValue(
  G: number,
  H: number,
  lower: number,
  upper: number,
  s: SplitSettings,
): number {
  let w = -G / (H + s.l2);
  if (w > s.maxDeltaStep) w = s.maxDeltaStep;
  else if (w < -s.maxDeltaStep) w = -s.maxDeltaStep;
  if (w < lower) w = lower;
  else if (w > upper) w = upper;
  return w;
}

/** Loss decrease (times two) of giving rows with sums G, H the value w. */
function _gainOf(G: number, H: number, w: number, l2: number): number {
  return -(2 * G * w + (H + l2) * w * w);
}

/**
 * Scans every feature and bin; returns the best split with positive gain, or null.
 * Ties go to the lower feature, then the lower bin, so the result is deterministic.
 */
export function findBestSplit(
  hist: Histogram,
  offsets: Int32Array,
  node: NodeStats,
  s: SplitSettings,
): Split | null {
  const { G, H, lower, upper } = node;
  const { gh, count } = hist;
  const wP = leafValue(G, H, lower, upper, s);
  const parentGain = _gainOf(G, H, wP, s.l2);
  const minLeaf = s.minLeafSize;
  const minHess = s.minHessian;
  let best: Split | null = null;
  let bestGain = 1e-12 * Math.max(1, Math.abs(parentGain));
  const features = offsets.length - 1;
  for (let f = 0; f < features; f++) {
    const mono = s.monotone[f];
    const first = offsets[f];
    const last = offsets[f + 1] - 1; // splitting after the last bin leaves the right empty
    let GL = 0;
    let HL = 0;
    let CL = 0;
    for (let i = first; i < last; i++) {
      GL += gh[2 * i];
      HL += gh[2 * i + 1];
      CL += count[i];
      if (CL < minLeaf || HL < minHess) continue;
      const CR = node.count - CL;
      if (CR < minLeaf) break;
      const GR = G - GL;
      const HR = H - HL;
      if (HR < minHess) break;
      const wL = leafValue(GL, HL, lower, upper, s);
      const wR = leafValue(GR, HR, lower, upper, s);
      if ((mono > 0 && wL > wR) || (mono < 0 && wL < wR)) continue;
      const gain = _gainOf(GL, HL, wL, s.l2) + _gainOf(GR, HR, wR, s.l2) - parentGain;
      if (gain > bestGain) {
        bestGain = gain;
        best = { gain, feature: f, bin: i - first, GL, HL, countL: CL, wL, wR };
      }
    }
  }
  return best;
}
