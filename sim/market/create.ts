/**
 * Builds a market: every SKU's parameters drawn from (scenario, seed, SKU index)
 * with counter-based uniforms, so SKU i has the same parameters whatever the
 * number of SKUs in the market.
 *
 * @module
 */
import type { PriceEnding } from "../../engine/schema/common.ts";
import { fromDayNumber, toDayNumber } from "../../engine/util/date.ts";
import { normalQuantile } from "../../engine/util/random.ts";
import { MAX_SKUS, type Scenario } from "../scenario.ts";
import { type CostChange, type Market, type SimConfig, skuCode, type SkuParams } from "./params.ts";
import { nearestEnding } from "../../engine/pricing/price_ending.ts";
import { lowerBoundCents } from "./prices.ts";
import { round } from "../../engine/util/round.ts";
import { _ceil2, _lerp, _S, _u } from "./_shared.ts";
import { InputError } from "../../engine/util/errors.ts";
import { type ResolvedShape, resolveShape, type SkuShape } from "./shapes.ts";

/** Builds the market: every SKU's parameters, deterministically from the config. */
export function createMarket(config: SimConfig): Market {
  const { scenario, seed } = config;
  const skuCount = config.skus ?? scenario.skus;
  const startDate = config.startDate ?? scenario.startDate;
  const historyDays = config.historyDays ?? scenario.historyDays;
  if (!Number.isInteger(skuCount) || skuCount < 1 || skuCount > MAX_SKUS) {
    throw new InputError(`Cannot create a market of ${skuCount} SKUs: expected 1 to ${MAX_SKUS}`);
  }
  if (!Number.isInteger(historyDays) || historyDays < 1) {
    throw new InputError(`Cannot create a market with ${historyDays} history days`);
  }
  if (!Number.isInteger(seed)) {
    throw new InputError(`Cannot create a market with seed ${seed}: expected an integer`);
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
  const shapes = new Map<string, ResolvedShape>(
    scenario.categories.map((c) => [c.name, resolveShape(c.demandShape ?? scenario.demandShape)]),
  );
  for (let i = 0; i < skuCount; i++) {
    const params = _drawSku(market, i, shapes);
    market.skus.push(params);
    market.skuIndex.set(params.sku, i);
  }
  return market;
}

function _drawSku(
  m: { scenario: Scenario; seed: number; startDay: number; endDay: number; historyDays: number },
  i: number,
  shapes: ReadonlyMap<string, ResolvedShape>,
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
  const p0Cents = nearestEnding(Math.round(raw * 100), priceEnding, 1, Number.MAX_SAFE_INTEGER)!;
  const referencePrice = p0Cents / 100;
  const margin = _lerp(cat.marginRange, u(_S.margin));
  const unitCost = Math.max(0.01, round(referencePrice * (1 - margin), 2));
  const floorPrice = _ceil2(unitCost * pr.floorCostMultiple);
  const ceilingPrice = round(referencePrice * pr.ceilingMultiple, 2);
  if (lowerBoundCents(unitCost, floorPrice, pr.minMargin) > Math.round(ceilingPrice * 100)) {
    throw new InputError(
      `Cannot price ${sku}: floor ${floorPrice} or margin ${pr.minMargin} on cost ${unitCost} exceeds ceiling ${ceilingPrice}`,
    );
  }
  const [eLo, eHi] = s.elasticityClip;
  const elasticity = Math.min(
    eHi,
    Math.max(eLo, cat.elasticityMean + cat.elasticitySd * normalQuantile(u(_S.elasticity))),
  );
  const crossElasticity = _lerp(cat.crossElasticityRange, u(_S.cross));
  const resolved = shapes.get(cat.name)!;
  const shape: SkuShape = {
    ...resolved,
    share: resolved.base === "logit"
      ? _lerp(resolved.shareAtReferenceRange, u(_S.shapeShare))
      : null,
  };
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
      const newCost = round(unitCost * (1 + increase), 2);
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
    shape,
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
    let c = nearestEnding(target, ending, lo, hi) ?? lo;
    if (c === prev1 || c === prev2) {
      // A coarse ending grid (10 cents on a 79-cent item) would repeat two prices
      // forever: step one grid point away, towards the block's side of P0 first.
      const up = nearestEnding(c + 1, ending, c + 1, hi);
      const down = nearestEnding(c - 1, ending, lo, c - 1);
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
