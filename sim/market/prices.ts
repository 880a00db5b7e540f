/**
 * Price points in cents: the lowest price that keeps floor and margin, and
 * snapping to a price ending within bounds.
 *
 * @module
 */
import type { PriceEnding } from "../../engine/schema/common.ts";

/** The lowest price in cents that keeps both the floor and the minimum margin. */
export function lowerBoundCents(unitCost: number, floorPrice: number, minMargin: number): number {
  return Math.max(
    Math.ceil(floorPrice * 100 - 1e-6),
    Math.ceil((unitCost / (1 - minMargin)) * 100 + 1e-6),
  );
}

const _GRID: Record<PriceEnding, { period: number; residues: readonly number[] }> = {
  "any": { period: 1, residues: [0] },
  "9": { period: 10, residues: [9] },
  "99": { period: 100, residues: [99] },
  "49|99": { period: 100, residues: [49, 99] },
};

/** The price in cents nearest `cents` with the ending, within [lo, hi]; null when none. */
export function snapCents(
  cents: number,
  ending: PriceEnding,
  lo: number,
  hi: number,
): number | null {
  if (lo > hi) return null;
  const { period, residues } = _GRID[ending];
  const t = Math.min(Math.max(cents, lo), hi);
  const base = Math.floor(t / period) * period;
  let best: number | null = null;
  for (const off of [-period, 0, period]) {
    for (const r of residues) {
      const c = base + off + r;
      if (c < lo || c > hi) continue;
      if (best === null || Math.abs(c - t) < Math.abs(best - t)) best = c;
    }
  }
  if (best !== null) return best;
  // The window may be narrower than a period away from t: search from lo upward.
  for (let c = lo; c <= hi && c < lo + period; c++) {
    if (residues.includes(((c % period) + period) % period)) return c;
  }
  return null;
}
