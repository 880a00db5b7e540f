/**
 * History generation and the one-day step. Both run the same step function: history
 * is the store's historical price policy (with promotions) fed day by day into it,
 * and `simulateDay` is one step at the prices a strategy chose (no store promotions).
 * Every random number is indexed by (seed, SKU, day), so strategies facing the same
 * day see the same noise (common random numbers). Markets whose shapes remember
 * past prices (reference prices, store traffic) also step their memory: history
 * keeps its own, and `simulateDay` takes the caller's and records the day in it.
 *
 * @module
 */
import type {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../engine/schema/inputs.ts";
import { dayOfYear, fromDayNumber } from "../engine/util/date.ts";
import { negativeBinomialQuantile, uniformAt } from "../engine/util/random.ts";
import { round } from "../engine/util/round.ts";
import { initialInventory, type InventoryState, receive, review } from "./inventory.ts";
import {
  _lambda,
  competitorPrice,
  createMarket,
  DAY_STREAMS,
  historicalPrice,
  type Market,
  type SimConfig,
} from "./market.ts";
import { createMemory, type MarketMemory } from "./market/memory.ts";

export { createMarket };
export type { InventoryState, Market, MarketMemory, SimConfig };

/** What one simulated day produces: records (SKUs in order) and the truth behind them. */
export interface DayBatch {
  /** The day, `YYYY-MM-DD`. */
  date: string;
  /** One per SKU launched by the day, in SKU order: its sales. */
  sales: SalesRecord[];
  /** One per SKU launched by the day: its stock at the end of the day. */
  inventory: InventoryRecord[];
  /** One per SKU launched by the day: the competitor's price. */
  competitor: CompetitorPriceRecord[];
  /** Per record position: realised demand, lost units (demand − sales), expected demand λ. */
  truth: { demand: Float64Array; lost: Float64Array; expected: Float64Array };
}

const _REASON = "simulated";

/** Catalog records: each SKU's terms from its launch, and any cost increase; by date then SKU. */
export function catalogRecords(market: Market): CatalogRecord[] {
  const out: CatalogRecord[] = [];
  for (const p of market.skus) {
    const base = {
      sku: p.sku,
      category: p.category,
      name: null,
      ceiling_price: p.ceilingPrice,
      min_margin: p.minMargin,
      max_daily_change: p.maxDailyChange,
      price_ending: p.priceEnding,
      active: true,
    };
    out.push({
      ...base,
      effective_date: p.launchDate,
      unit_cost: p.unitCost,
      floor_price: p.floorPrice,
      reason: p.launchDay > market.startDay ? "new SKU launch" : "initial",
    });
    if (p.costChange) {
      out.push({
        ...base,
        effective_date: fromDayNumber(p.costChange.day),
        unit_cost: p.costChange.unitCost,
        floor_price: p.costChange.floorPrice,
        reason: "supplier cost increase",
      });
    }
  }
  return out.sort((a, b) =>
    a.effective_date < b.effective_date
      ? -1
      : a.effective_date > b.effective_date
      ? 1
      : a.sku < b.sku
      ? -1
      : a.sku > b.sku
      ? 1
      : 0
  );
}

/** Indices of the SKUs on sale on `day`, ascending (= SKU code order). */
export function launchedSkus(market: Market, day: number): number[] {
  const out: number[] = [];
  for (const p of market.skus) if (p.launchDay <= day) out.push(p.index);
  return out;
}

/** One batch per history day, SKUs in order, only SKUs launched by that day. */
export function* simulateHistory(market: Market): Generator<DayBatch> {
  const states: (InventoryState | null)[] = market.skus.map(() => null);
  const memory = createMemory(market);
  for (let day = market.startDay; day < market.endDay; day++) {
    const idx = launchedSkus(market, day);
    const batch = _emptyBatch(fromDayNumber(day), idx.length);
    const doy = dayOfYear(day);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      const state = states[i] ?? (states[i] = initialInventory(market, i));
      const { price, promo } = historicalPrice(market, i, day);
      _step(market, i, day, doy, price, promo, state, batch, k, memory);
    }
    if (memory) _remember(market, memory, day, idx, batch);
    yield batch;
  }
}

/** Records a day's shelf prices (those of `batch`, SKUs `idx`) in the market's memory. */
function _remember(
  market: Market,
  memory: MarketMemory,
  day: number,
  idx: readonly number[],
  batch: DayBatch,
): void {
  const prices = new Float64Array(market.skus.length).fill(NaN);
  for (let k = 0; k < idx.length; k++) prices[idx[k]] = batch.sales[k].shelf_price;
  memory.record(day, prices);
}

/** Options of {@linkcode simulateDay}. */
export interface SimulateDayOptions {
  /**
   * The market's memory of the days before `day` (`memoryFromSales` rebuilds it from a
   * store); required when a SKU's shape remembers prices. The day is recorded in it.
   */
  memory?: MarketMemory | null;
}

/**
 * One day forward at the given prices (no store promotions). Needs a price for every
 * SKU on sale that day and its state at the end of the previous day (a SKU launching
 * that day starts from its initial stock), and on markets that remember prices their
 * memory. Returns the records and the new states.
 */
export function simulateDay(
  market: Market,
  day: number,
  prices: ReadonlyMap<string, number>,
  state: ReadonlyMap<string, InventoryState>,
  options: SimulateDayOptions = {},
): DayBatch & { state: Map<string, InventoryState> } {
  if (!Number.isInteger(day)) {
    throw new RangeError(`Cannot simulate day ${day}: expected a whole day number`);
  }
  for (const [sku, price] of prices) {
    if (!market.skuIndex.has(sku)) {
      throw new RangeError(`Cannot simulate ${fromDayNumber(day)}: unknown SKU ${sku}`);
    }
    if (!(price > 0) || !Number.isFinite(price)) {
      throw new RangeError(`Cannot simulate ${fromDayNumber(day)}: SKU ${sku} has price ${price}`);
    }
  }
  const memory = options.memory ?? null;
  if (!memory && market.skus.some((p) => p.shape.reference || p.shape.traffic)) {
    throw new RangeError(
      `Cannot simulate ${
        fromDayNumber(day)
      }: the market's demand remembers past prices, and no memory was given`,
    );
  }
  const idx = launchedSkus(market, day);
  const noPrice: string[] = [];
  const noState: string[] = [];
  for (const i of idx) {
    const p = market.skus[i];
    if (!prices.has(p.sku)) noPrice.push(p.sku);
    if (!state.has(p.sku) && p.launchDay !== day) noState.push(p.sku);
  }
  if (noPrice.length || noState.length) {
    const parts = [];
    if (noPrice.length) parts.push(`no price for ${_list(noPrice)}`);
    if (noState.length) parts.push(`no inventory state for ${_list(noState)}`);
    throw new RangeError(`Cannot simulate ${fromDayNumber(day)}: ${parts.join("; ")}`);
  }
  const batch = _emptyBatch(fromDayNumber(day), idx.length);
  const next = new Map<string, InventoryState>();
  const doy = dayOfYear(day);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const sku = market.skus[i].sku;
    const prev = state.get(sku);
    const s = prev
      ? { onHand: prev.onHand, onOrder: prev.onOrder, nextReceiptDay: prev.nextReceiptDay }
      : initialInventory(market, i);
    _step(market, i, day, doy, prices.get(sku)!, false, s, batch, k, memory);
    next.set(sku, s);
  }
  if (memory) _remember(market, memory, day, idx, batch);
  return { ...batch, state: next };
}

const _dates = new Map<number, string>();

/** Day number to ISO date, memoised (the step writes many receipt dates). */
function _date(day: number): string {
  let d = _dates.get(day);
  if (d === undefined) {
    d = fromDayNumber(day);
    if (_dates.size > 100_000) _dates.clear();
    _dates.set(day, d);
  }
  return d;
}

function _list(skus: string[]): string {
  const shown = skus.slice(0, 10).join(", ");
  return skus.length > 10 ? `${shown} and ${skus.length - 10} more` : shown;
}

function _emptyBatch(date: string, n: number): DayBatch {
  return {
    date,
    sales: new Array(n),
    inventory: new Array(n),
    competitor: new Array(n),
    truth: {
      demand: new Float64Array(n),
      lost: new Float64Array(n),
      expected: new Float64Array(n),
    },
  };
}

/** The one step: receive, sell min(demand, on hand), review; write record k of `batch`. */
function _step(
  market: Market,
  i: number,
  day: number,
  doy: number,
  rawPrice: number,
  promo: boolean,
  state: InventoryState,
  batch: DayBatch,
  k: number,
  memory: MarketMemory | null,
): void {
  const p = market.skus[i];
  const price = Math.max(0.01, round(rawPrice, 2));
  receive(state, day);
  const comp = competitorPrice(market, i, day);
  const lambda = _lambda(
    market,
    p,
    day,
    doy,
    price,
    comp,
    promo,
    memory ? memory.effect(i, day, price) : 1,
  );
  const demand = negativeBinomialQuantile(
    lambda,
    market.scenario.dispersionShape,
    uniformAt(market.seed, i, day, DAY_STREAMS.demandGamma, 0),
    uniformAt(market.seed, i, day, DAY_STREAMS.demandPoisson, 0),
  );
  const units = demand < state.onHand ? demand : state.onHand;
  state.onHand -= units;
  review(market, i, day, state);
  const date = batch.date;
  batch.sales[k] = {
    sku: p.sku,
    date,
    units,
    returned_units: 0,
    revenue: round(units * price, 2),
    shelf_price: price,
    promo,
    reason: _REASON,
  };
  batch.inventory[k] = {
    sku: p.sku,
    date,
    on_hand: state.onHand,
    on_order: state.onOrder,
    next_receipt_date: state.nextReceiptDay === null ? null : _date(state.nextReceiptDay),
    reason: _REASON,
  };
  batch.competitor[k] = { sku: p.sku, date, competitor_price: comp, reason: _REASON };
  batch.truth.demand[k] = demand;
  batch.truth.lost[k] = demand - units;
  batch.truth.expected[k] = lambda;
}
