/**
 * The simulated market's truth: per-SKU parameters drawn from (scenario, seed, SKU
 * index) with counter-based uniforms, the true expected demand λ(p, day), the
 * competitor's price and the store's historical price policy. Nothing here keeps
 * random state, so any SKU on any day can be computed on its own, and SKU i has
 * the same parameters whatever the number of SKUs in the market.
 *
 * @module
 */
import type { PriceEnding } from "../engine/schema/common.ts";
import { dayOfYear, fromDayNumber, toDayNumber, weekdayOf } from "../engine/util/date.ts";
import { normalQuantile, uniformAt } from "../engine/util/random.ts";
import type { Scenario } from "./scenario.ts";

/** What a market is built from. `skus`, `startDate` and `historyDays` default from the scenario. */
export interface SimConfig {
  scenario: Scenario;
  seed: number;
  skus?: number;
  startDate?: string;
  historyDays?: number;
}

/** A cost change in the catalog from `day` on. */
export interface CostChange {
  day: number;
  unitCost: number;
  floorPrice: number;
  /** Relative increase of the cost. */
  increase: number;
}

/** Everything that is true about one SKU (read by the simulator, tests and the oracle). */
export interface SkuParams {
  index: number;
  sku: string;
  category: string;
  /** Own-price elasticity ε (before regime shifts). */
  elasticity: number;
  /** Cross-price elasticity γ with the competitor price. */
  crossElasticity: number;
  /** Expected units per day at the reference price on an average day. */
  baseUnits: number;
  /** P0, the reference price. */
  referencePrice: number;
  unitCost: number;
  floorPrice: number;
  ceilingPrice: number;
  minMargin: number;
  maxDailyChange: number;
  priceEnding: PriceEnding;
  /** Seven weekday multipliers (Monday first), mean 1. */
  weekly: readonly number[];
  seasonAmplitude: number;
  seasonPhaseDays: number;
  /** Log growth of demand per year. */
  trendPerYear: number;
  /** Demand multiplier while a store promotion runs. */
  promoLift: number;
  /** Competitor's typical price relative to P0. */
  competitorRatio: number;
  /** Day number of the SKU's first day on sale. */
  launchDay: number;
  launchDate: string;
  costChange: CostChange | null;
  /** Order-up-to level multiplier on expected demand over R + L days. */
  safetyFactor: number;
  /** Reviews happen on days with (day − reviewOffset) mod R = 0. */
  reviewOffset: number;
  /** Regime shifts that reach this SKU, by day. */
  shifts: readonly { day: number; demandMultiplier: number; elasticityShift: number }[];
  /** Historical regular price blocks: start day numbers and level multipliers on P0. */
  blockStarts: Int32Array;
  blockLevels: Float64Array;
  /** Regular price in cents of each block, before and after the cost change. */
  blockCents: Int32Array;
  blockCentsAfterCost: Int32Array;
  promoOffset: number;
  competitorPhase: number;
}

/** A simulated market: the scenario, the seed and every SKU's truth. */
export interface Market {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly startDate: string;
  readonly startDay: number;
  readonly historyDays: number;
  /** First day number after history. */
  readonly endDay: number;
  readonly skus: readonly SkuParams[];
  readonly skuIndex: ReadonlyMap<string, number>;
}

/** The SKU code of index i: `SKU-00001` for 0. */
export function skuCode(i: number): string {
  return `SKU-${String(i + 1).padStart(5, "0")}`;
}

// Stream tags for SKU-level draws: uniformAt(seed, i, stream, k, 1).
const _S = {
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
} as const;

/** Stream tags for day-level draws: uniformAt(seed, i, day, stream, 0). */
export const DAY_STREAMS = { demandGamma: 1, demandPoisson: 2 } as const;

function _u(market: { seed: number }, i: number, stream: number, k = 0): number {
  return uniformAt(market.seed, i, stream, k, 1);
}

function _lerp(range: readonly [number, number], u: number): number {
  return range[0] + (range[1] - range[0]) * u;
}

/** Builds the market: every SKU's parameters, deterministically from the config. */
export function createMarket(config: SimConfig): Market {
  const { scenario, seed } = config;
  const skuCount = config.skus ?? scenario.skus;
  const startDate = config.startDate ?? scenario.startDate;
  const historyDays = config.historyDays ?? scenario.historyDays;
  if (!Number.isInteger(skuCount) || skuCount < 1 || skuCount > 99_999) {
    throw new RangeError(`Cannot create a market of ${skuCount} SKUs: expected 1 to 99999`);
  }
  if (!Number.isInteger(historyDays) || historyDays < 1) {
    throw new RangeError(`Cannot create a market with ${historyDays} history days`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot create a market with seed ${seed}: expected an integer`);
  }
  const startDay = toDayNumber(startDate);
  const market = {
    scenario,
    seed,
    startDate,
    startDay,
    historyDays,
    endDay: startDay + historyDays,
    skus: [] as SkuParams[],
    skuIndex: new Map<string, number>(),
  };
  for (let i = 0; i < skuCount; i++) {
    const params = _drawSku(market, i);
    market.skus.push(params);
    market.skuIndex.set(params.sku, i);
  }
  return market;
}

function _drawSku(
  m: { scenario: Scenario; seed: number; startDay: number; endDay: number; historyDays: number },
  i: number,
): SkuParams {
  const s = m.scenario;
  const u = (stream: number, k = 0) => _u(m, i, stream, k);
  // Category by weight.
  const total = s.categories.reduce((a, c) => a + c.weight, 0);
  let pick = u(_S.category) * total;
  let ci = 0;
  while (ci < s.categories.length - 1 && pick >= s.categories[ci].weight) {
    pick -= s.categories[ci].weight;
    ci++;
  }
  const cat = s.categories[ci];
  const sku = skuCode(i);
  const pr = s.pricing;
  // Reference price, log-uniform, snapped to its ending.
  const raw = Math.exp(
    _lerp([Math.log(cat.priceRange[0]), Math.log(cat.priceRange[1])], u(_S.price)),
  );
  const priceEnding = raw < pr.endingThreshold ? pr.endingBelow : pr.endingAbove;
  const p0Cents = snapCents(Math.round(raw * 100), priceEnding, 1, Number.MAX_SAFE_INTEGER)!;
  const referencePrice = p0Cents / 100;
  const margin = _lerp(cat.marginRange, u(_S.margin));
  const unitCost = Math.max(0.01, _round2(referencePrice * (1 - margin)));
  const floorPrice = _ceil2(unitCost * pr.floorCostMultiple);
  const ceilingPrice = _round2(referencePrice * pr.ceilingMultiple);
  if (lowerBoundCents(unitCost, floorPrice, pr.minMargin) > Math.round(ceilingPrice * 100)) {
    throw new RangeError(
      `Cannot price ${sku}: floor ${floorPrice} or margin ${pr.minMargin} on cost ${unitCost} exceeds ceiling ${ceilingPrice}`,
    );
  }
  const [eLo, eHi] = s.elasticityClip;
  const elasticity = Math.min(
    eHi,
    Math.max(eLo, cat.elasticityMean + cat.elasticitySd * normalQuantile(u(_S.elasticity))),
  );
  const crossElasticity = _lerp(cat.crossElasticityRange, u(_S.cross));
  const baseUnits = cat.baseUnitsMedian *
    Math.exp(cat.baseUnitsSigma * normalQuantile(u(_S.base)));
  const wRaw = cat.weeklyProfile.map((w, d) =>
    w * Math.exp(s.weeklyNoiseSd * normalQuantile(u(_S.weekly, d)))
  );
  const wMean = wRaw.reduce((a, b) => a + b, 0) / 7;
  const weekly = wRaw.map((w) => w / wMean);
  const seasonAmplitude = _lerp(cat.seasonAmplitudeRange, u(_S.seasonAmp));
  const seasonPhaseDays = cat.seasonPhaseDays +
    cat.seasonPhaseJitterDays * (2 * u(_S.seasonPhase) - 1);
  const trendPerYear = _lerp(s.trendRange, u(_S.trend));
  const promoLift = _lerp(s.promotions.liftRange, u(_S.lift));
  const competitorRatio = s.competitor.ratioMean *
    Math.exp(s.competitor.ratioSd * normalQuantile(u(_S.compRatio)));
  const competitorPhase = Math.floor(u(_S.compPhase) * s.competitor.segmentDays);
  // Launch: most SKUs exist from the start; a share launches in the last window.
  let launchDay = m.startDay;
  if (u(_S.launch) < s.newSkuShare) {
    launchDay = m.endDay - 1 - Math.floor(u(_S.launchDay) * s.newSkuWindowDays);
  }
  // Supplier cost increase mid-history.
  let costChange: CostChange | null = null;
  if (u(_S.costShare) < s.costIncrease.share) {
    const r = s.costIncrease.dayOffsetRange;
    const day = m.startDay + Math.floor(r[0] + (r[1] - r[0] + 1) * u(_S.costDay));
    if (day > launchDay && day < m.endDay) {
      const increase = _lerp(s.costIncrease.increaseRange, u(_S.costInc));
      const newCost = _round2(unitCost * (1 + increase));
      const newFloor = Math.min(ceilingPrice, _ceil2(newCost * pr.floorCostMultiple));
      if (lowerBoundCents(newCost, newFloor, pr.minMargin) <= Math.round(ceilingPrice * 100)) {
        costChange = { day, unitCost: newCost, floorPrice: newFloor, increase };
      }
    }
  }
  const inv = s.inventory;
  const safetyFactor = _lerp(inv.safetyFactorRange, u(_S.safety));
  const reviewOffset = Math.floor(u(_S.review) * inv.reviewDays);
  const shifts = s.regimeShifts
    .filter((r) => !r.categories || r.categories.length === 0 || r.categories.includes(cat.name))
    .map((r) => ({
      day: toDayNumber(r.date),
      demandMultiplier: r.demandMultiplier,
      elasticityShift: r.elasticityShift,
    }))
    .sort((a, b) => a.day - b.day);
  // Regular price blocks over history.
  const dev = _lerp(pr.levelDeviationRange, u(_S.levelDev));
  const starts: number[] = [];
  const levels: number[] = [];
  const [bLo, bHi] = pr.blockDaysRange;
  let day = launchDay - Math.floor(u(_S.blockLen, 0) * bLo);
  const firstSign = u(_S.blockLevel, 0) < 0.5 ? 1 : -1;
  for (let k = 1; day < m.endDay; k++) {
    starts.push(day);
    // Alternate above and below P0, so the history always shows price variation.
    const sign = k % 2 ? firstSign : -firstSign;
    levels.push(1 + sign * dev * (0.3 + 0.7 * u(_S.blockLevel, k)));
    day += Math.max(1, Math.round(_lerp([bLo, bHi], u(_S.blockLen, k))));
  }
  const ceilingCents = Math.round(ceilingPrice * 100);
  const blockCents = _blockPrices(
    referencePrice,
    levels,
    priceEnding,
    lowerBoundCents(unitCost, floorPrice, pr.minMargin),
    ceilingCents,
    1,
  );
  const blockCentsAfterCost = costChange
    ? _blockPrices(
      referencePrice,
      levels,
      priceEnding,
      lowerBoundCents(costChange.unitCost, costChange.floorPrice, pr.minMargin),
      ceilingCents,
      1 + costChange.increase * s.costIncrease.passThrough,
    )
    : blockCents;
  return {
    index: i,
    sku,
    category: cat.name,
    elasticity,
    crossElasticity,
    baseUnits,
    referencePrice,
    unitCost,
    floorPrice,
    ceilingPrice,
    minMargin: pr.minMargin,
    maxDailyChange: pr.maxDailyChange,
    priceEnding,
    weekly,
    seasonAmplitude,
    seasonPhaseDays,
    trendPerYear,
    promoLift,
    competitorRatio,
    launchDay,
    launchDate: fromDayNumber(launchDay),
    costChange,
    safetyFactor,
    reviewOffset,
    shifts,
    blockStarts: Int32Array.from(starts),
    blockLevels: Float64Array.from(levels),
    blockCents,
    blockCentsAfterCost,
    promoOffset: Math.floor(u(_S.promoOffset) * s.promotions.blockDays),
    competitorPhase,
  };
}

/** The SKU's truth, for tests and the backtest oracle. */
export function skuTruth(market: Market, i: number): SkuParams {
  const p = market.skus[i];
  if (!p) throw new RangeError(`Cannot read SKU index ${i}: the market has ${market.skus.length}`);
  return p;
}

/** The index of a SKU code, or a RangeError. */
export function skuIndexOf(market: Market, sku: string): number {
  const i = market.skuIndex.get(sku);
  if (i === undefined) throw new RangeError(`Cannot find SKU ${sku} in the market`);
  return i;
}

/** Unit cost, floor and the other catalog terms in force for SKU i on `day`. */
export function catalogTermsAt(
  market: Market,
  i: number,
  day: number,
): { unitCost: number; floorPrice: number; ceilingPrice: number; minMargin: number } {
  const p = market.skus[i];
  const c = p.costChange && day >= p.costChange.day ? p.costChange : null;
  return {
    unitCost: c ? c.unitCost : p.unitCost,
    floorPrice: c ? c.floorPrice : p.floorPrice,
    ceilingPrice: p.ceilingPrice,
    minMargin: p.minMargin,
  };
}

/** The competitor's price for SKU i on `day`: constant over segments, O(1). */
export function competitorPrice(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  const c = market.scenario.competitor;
  const seg = Math.floor((day + p.competitorPhase) / c.segmentDays);
  const z = normalQuantile(uniformAt(market.seed, i, _S.competitor, seg, 1));
  const level = p.referencePrice * p.competitorRatio * Math.exp(c.levelSd * z);
  return Math.max(0.01, _round2(level));
}

/** Multiplier of the yearly seasonality and trend at `day` (no weekday, price or promo). */
export function seasonTrendAt(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  const doy = dayOfYear(day);
  return (1 + p.seasonAmplitude * Math.sin(2 * Math.PI * (doy - p.seasonPhaseDays) / 365)) *
    Math.exp(p.trendPerYear * (day - market.startDay) / 365);
}

/**
 * The true expected demand (units/day) of SKU i on `day` at `price`:
 * base × weekly × season × trend × (p/P0)^ε × (comp/(P0·ratio))^γ × lift × regime.
 */
export function trueExpectedDemand(
  market: Market,
  skuIndex: number,
  day: number,
  price: number,
  options: { promo?: boolean } = {},
): number {
  const p = skuTruth(market, skuIndex);
  if (!(price > 0) || !Number.isFinite(price)) {
    throw new RangeError(`Cannot compute demand for ${p.sku} at price ${price}`);
  }
  return _lambda(
    market,
    p,
    day,
    dayOfYear(day),
    price,
    competitorPrice(market, skuIndex, day),
    options.promo,
  );
}

/** The true expected demand of SKU i on `day` at each of `prices`. */
export function trueDemandCurve(
  market: Market,
  skuIndex: number,
  day: number,
  prices: readonly number[],
): number[] {
  return prices.map((price) => trueExpectedDemand(market, skuIndex, day, price));
}

/** The elasticity of SKU i in force on `day` (after regime shifts). */
export function elasticityAt(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  let eps = p.elasticity;
  for (const s of p.shifts) if (day >= s.day) eps += s.elasticityShift;
  return Math.min(eps, -0.05);
}

/** @internal λ with the day of year and competitor price given (the simulator shares them). */
export function _lambda(
  market: Market,
  p: SkuParams,
  day: number,
  doy: number,
  price: number,
  comp: number,
  promo = false,
): number {
  let eps = p.elasticity;
  let regime = 1;
  for (const s of p.shifts) {
    if (day >= s.day) {
      eps += s.elasticityShift;
      regime *= s.demandMultiplier;
    }
  }
  if (eps > -0.05) eps = -0.05;
  const season = 1 + p.seasonAmplitude * Math.sin(2 * Math.PI * (doy - p.seasonPhaseDays) / 365);
  const trend = Math.exp(p.trendPerYear * (day - market.startDay) / 365);
  const own = Math.exp(eps * Math.log(price / p.referencePrice));
  const cross = Math.exp(
    p.crossElasticity * Math.log(comp / (p.referencePrice * p.competitorRatio)),
  );
  return p.baseUnits * p.weekly[weekdayOf(day)] * season * trend * own * cross *
    (promo ? p.promoLift : 1) * regime;
}

/**
 * The store's historical shelf price for SKU i on `day`: the regular price block
 * (around P0, with the cost increase passed through) snapped to the ending and
 * bounds, or a promotion price below it. Always within floor, ceiling and minimum
 * margin; block changes and promotions may exceed `max_daily_change`, which binds
 * the optimizer, not the store's past. Promotions run on history days only.
 */
export function historicalPrice(
  market: Market,
  i: number,
  day: number,
): { price: number; promo: boolean } {
  const p = market.skus[i];
  const terms = catalogTermsAt(market, i, day);
  const lo = lowerBoundCents(terms.unitCost, terms.floorPrice, terms.minMargin);
  // Binary search for the block holding `day`.
  const starts = p.blockStarts;
  let a = 0;
  let b = starts.length - 1;
  while (a < b) {
    const mid = (a + b + 1) >> 1;
    if (starts[mid] <= day) a = mid;
    else b = mid - 1;
  }
  const regular =
    (p.costChange && day >= p.costChange.day ? p.blockCentsAfterCost : p.blockCents)[a];
  const promos = market.scenario.promotions;
  if (promos.share > 0 && day < market.endDay) {
    const block = Math.floor((day - market.startDay + p.promoOffset) / promos.blockDays);
    if (uniformAt(market.seed, i, _S.promo, block, 1) < promos.share) {
      const discount = _lerp(
        promos.discountRange,
        uniformAt(market.seed, i, _S.promoDiscount, block, 1),
      );
      const promoCents = snapCents(
        Math.round(regular * (1 - discount)),
        p.priceEnding,
        lo,
        regular - 1,
      );
      if (promoCents !== null) return { price: promoCents / 100, promo: true };
    }
  }
  return { price: regular / 100, promo: false };
}

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

/** Regular block prices in cents: snapped, in bounds, each differing from the one before. */
function _blockPrices(
  p0: number,
  levels: readonly number[],
  ending: PriceEnding,
  lo: number,
  hi: number,
  pass: number,
): Int32Array {
  const out = new Int32Array(levels.length);
  let prev1 = -1;
  let prev2 = -1;
  for (let k = 0; k < levels.length; k++) {
    const target = Math.round(p0 * levels[k] * pass * 100);
    let c = snapCents(target, ending, lo, hi) ?? lo;
    if (c === prev1 || c === prev2) {
      // A coarse ending grid (10 cents on a 79-cent item) would repeat two prices
      // forever: step one grid point away, towards the block's side of P0 first.
      const up = snapCents(c + 1, ending, c + 1, hi);
      const down = snapCents(c - 1, ending, lo, c - 1);
      const order = levels[k] >= 1 ? [up, down] : [down, up];
      const fresh = order.find((x) => x !== null && x !== prev1 && x !== prev2);
      const notLast = order.find((x) => x !== null && x !== prev1);
      c = fresh ?? (c === prev1 ? notLast : undefined) ?? c;
    }
    out[k] = c;
    prev2 = prev1;
    prev1 = c;
  }
  return out;
}

function _round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function _ceil2(x: number): number {
  return Math.ceil(x * 100 - 1e-6) / 100;
}
