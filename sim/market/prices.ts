/**
 * The simulated store's lowest allowed price in cents.
 *
 * @module
 */

/**
 * The lowest price in cents that keeps both the floor and the minimum margin, by
 * the simulator's own tolerances, not those of the engine's `priceBounds()`: where
 * `unitCost / (1 - minMargin)` falls on a whole cent this takes the next cent (a
 * margin strictly above the minimum, whatever the float error; the engine accepts
 * that cent), and a floor within 1e-6 cent above a whole cent rounds down to it.
 * So the simulated store's prices honour the engine's guardrails with room to
 * spare. Changing this rule changes every simulated market.
 */
export function lowerBoundCents(unitCost: number, floorPrice: number, minMargin: number): number {
  return Math.max(
    Math.ceil(floorPrice * 100 - 1e-6),
    Math.ceil((unitCost / (1 - minMargin)) * 100 + 1e-6),
  );
}
