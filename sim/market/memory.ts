/**
 * What a market remembers: the shelf prices of the last days, from which the
 * reference-price and store-traffic shapes take today's reference price and
 * traffic. A pure function of those prices (and the market), so it can be
 * rebuilt from a store's sales records (`memoryFromSales`) and gives the same
 * numbers as the memory the history was simulated with.
 *
 * @module
 */
import type { SalesRecord } from "../../engine/schema/inputs.ts";
import { toDayNumber } from "../../engine/util/date.ts";
import { competitorPrice } from "./demand.ts";
import type { Market } from "./params.ts";
import { decayWeights, referenceEffect, trafficEffect } from "./shapes.ts";

/** The prices of past days and what the market makes of them. */
export interface MarketMemory {
  /** Days of prices kept (the longest window of any SKU's shape). */
  readonly window: number;
  /**
   * Records the shelf price of every SKU on `day` (by SKU index; NaN when not on sale).
   * Days are recorded in order; older days than the window are forgotten.
   */
  record(day: number, prices: ArrayLike<number>): void;
  /** The reference price of SKU i on `day` (from the days before it), or null without one. */
  reference(i: number, day: number): number | null;
  /** The smoothed price index of SKU i's category on `day` (from the days before it), or null. */
  smoothedIndex(i: number, day: number): number | null;
  /** The multiplier of SKU i's demand on `day` from remembered prices (1 on memoryless shapes). */
  effect(i: number, day: number, price: number): number;
  /** The recorded prices of `day`, if kept. */
  pricesOf(day: number): Float64Array | undefined;
}

/** True when some SKU of the market has a shape that remembers prices. */
export function needsMemory(market: Market): boolean {
  return memoryWindow(market) > 0;
}

/** Days of past prices the market's shapes look back over (0 when none remembers prices). */
export function memoryWindow(market: Market): number {
  let window = 0;
  for (const p of market.skus) {
    window = Math.max(window, p.shape.reference?.windowDays ?? 0, p.shape.traffic?.windowDays ?? 0);
  }
  return window;
}

/** An empty memory for the market, or null when no SKU's shape needs one. */
export function createMemory(market: Market): MarketMemory | null {
  const window = memoryWindow(market);
  if (window === 0) return null;
  const n = market.skus.length;
  // Traffic categories, their index weights (each SKU's base demand) and decay weights.
  const categories: string[] = [];
  const categoryOf = new Int32Array(n).fill(-1);
  for (const p of market.skus) {
    if (!p.shape.traffic) continue;
    let c = categories.indexOf(p.category);
    if (c < 0) c = categories.push(p.category) - 1;
    categoryOf[p.index] = c;
  }
  const refWeights = new Map<string, Float64Array>();
  const weightsOf = (halfLife: number, w: number) => {
    const key = `${halfLife}/${w}`;
    let out = refWeights.get(key);
    if (!out) refWeights.set(key, out = decayWeights(halfLife, w));
    return out;
  };
  const prices = new Map<number, Float64Array>();
  const indices = new Map<number, Float64Array>();
  const smoothed = new Map<number, Float64Array>();
  let last: number | null = null;

  const record = (day: number, dayPrices: ArrayLike<number>) => {
    if (last !== null && day !== last + 1) {
      throw new RangeError(
        `Cannot record day ${day} in the market's memory: the last day recorded is ${last}`,
      );
    }
    if (dayPrices.length !== n) {
      throw new RangeError(
        `Cannot record day ${day} in the market's memory: ${dayPrices.length} prices for ${n} SKUs`,
      );
    }
    const copy = Float64Array.from(dayPrices);
    prices.set(day, copy);
    if (categories.length) {
      const num = new Float64Array(categories.length);
      const den = new Float64Array(categories.length);
      for (let i = 0; i < n; i++) {
        const c = categoryOf[i];
        if (c < 0 || !Number.isFinite(copy[i])) continue;
        const w = market.skus[i].baseUnits;
        num[c] += w * copy[i];
        den[c] += w * competitorPrice(market, i, day);
      }
      const idx = new Float64Array(categories.length);
      for (let c = 0; c < idx.length; c++) idx[c] = den[c] > 0 ? num[c] / den[c] : NaN;
      indices.set(day, idx);
    }
    prices.delete(day - window);
    indices.delete(day - window);
    for (const d of smoothed.keys()) if (d <= day - window) smoothed.delete(d);
    last = day;
  };

  const reference = (i: number, day: number): number | null => {
    const e = market.skus[i].shape.reference;
    if (!e) return null;
    const w = weightsOf(e.halfLifeDays, e.windowDays);
    let num = 0;
    let den = 0;
    for (let k = 0; k < w.length; k++) {
      const x = prices.get(day - 1 - k)?.[i];
      if (x === undefined || !Number.isFinite(x)) continue;
      num += w[k] * x;
      den += w[k];
    }
    return den > 0 ? num / den : null;
  };

  const smoothedIndex = (i: number, day: number): number | null => {
    const e = market.skus[i].shape.traffic;
    const c = categoryOf[i];
    if (!e || c < 0) return null;
    let row = smoothed.get(day);
    if (!row) smoothed.set(day, row = new Float64Array(categories.length).fill(Infinity));
    if (row[c] === Infinity) {
      const w = weightsOf(e.halfLifeDays, e.windowDays);
      let num = 0;
      let den = 0;
      for (let k = 0; k < w.length; k++) {
        const x = indices.get(day - 1 - k)?.[c];
        if (x === undefined || !Number.isFinite(x)) continue;
        num += w[k] * x;
        den += w[k];
      }
      row[c] = den > 0 ? num / den : NaN;
    }
    return Number.isNaN(row[c]) ? null : row[c];
  };

  return {
    window,
    record,
    reference,
    smoothedIndex,
    effect(i, day, price) {
      const s = market.skus[i].shape;
      let m = 1;
      if (s.reference) m *= referenceEffect(s.reference, price, reference(i, day));
      if (s.traffic) m *= trafficEffect(s.traffic, smoothedIndex(i, day));
      return m;
    },
    pricesOf: (day) => prices.get(day),
  };
}

/**
 * The memory of the days before `day`, rebuilt from a store's sales records (their
 * shelf prices, `shelf_price`): the same numbers as the memory the simulator kept.
 * Null when the market needs none.
 */
export function memoryFromSales(
  market: Market,
  sales: readonly SalesRecord[],
  day: number,
): MarketMemory | null {
  const memory = createMemory(market);
  if (!memory) return null;
  const n = market.skus.length;
  const first = day - memory.window;
  const rows = Array.from({ length: memory.window }, () => new Float64Array(n).fill(NaN));
  for (const s of sales) {
    const d = toDayNumber(s.date) - first;
    const i = market.skuIndex.get(s.sku);
    if (d < 0 || d >= memory.window || i === undefined) continue;
    rows[d][i] = s.shelf_price;
  }
  rows.forEach((row, d) => memory.record(first + d, row));
  return memory;
}
