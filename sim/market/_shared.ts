/**
 * Private building blocks of the market: the stream tags of SKU-level draws, the
 * counter-based uniform, interpolation in a range and rounding up to cents.
 *
 * @module
 */
import { uniformAt } from "../../engine/util/random.ts";

// Stream tags for SKU-level draws: uniformAt(seed, i, stream, k, 1).
export const _S = {
  category: 1,
  price: 2,
  margin: 3,
  elasticity: 4,
  cross: 5,
  base: 6,
  weekly: 7,
  seasonAmp: 8,
  seasonPhase: 9,
  trend: 10,
  lift: 11,
  compRatio: 12,
  compPhase: 13,
  launch: 14,
  launchDay: 15,
  costShare: 16,
  costInc: 17,
  costDay: 18,
  safety: 19,
  review: 20,
  blockLen: 21,
  blockLevel: 22,
  levelDev: 23,
  promoOffset: 24,
  promo: 25,
  promoDiscount: 26,
  competitor: 27,
  shapeShare: 28,
} as const;

export function _u(market: { seed: number }, i: number, stream: number, k = 0): number {
  return uniformAt(market.seed, i, stream, k, 1);
}

export function _lerp(range: readonly [number, number], u: number): number {
  return range[0] + (range[1] - range[0]) * u;
}

export function _ceil2(x: number): number {
  return Math.ceil(x * 100 - 1e-6) / 100;
}
