/**
 * The backtest's actuals recorder: like the simulator-backed store's, it records
 * a day's simulated sales, inventory and competitor prices in answer to the
 * prices the run decided for that day, and it also keeps the truth the store
 * never sees (lost units, true unit cost) as per-SKU, per-day outcomes.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { appendCompetitorPrices, appendInventory, appendSales } from "../../engine/store/writer.ts";
import {
  readDecidedPrices,
  readInventory,
  readRuns,
  readSales,
} from "../../engine/store/queries.ts";
import { addDays, toDayNumber } from "../../engine/util/date.ts";
import {
  catalogTermsAt,
  type Market,
  type MarketMemory,
  memoryFromSales,
  memoryWindow as memoryWindowOf,
} from "../market.ts";
import { type InventoryState, inventoryStateFromRecords } from "../inventory.ts";
import { simulateDay } from "../simulate.ts";
import { nextEnding } from "../../engine/pricing/price_ending.ts";

/** What happened to every SKU on every backtest day; arrays are [day][sku index]. */
export interface Outcomes {
  /** First backtest date. */
  from: string;
  days: number;
  skus: string[];
  price: Float64Array[];
  units: Float64Array[];
  revenue: Float64Array[];
  /** units × (price − true unit cost). */
  profit: Float64Array[];
  /** Demand not served (units). */
  lost: Float64Array[];
  /** True expected demand λ at the price. */
  expected: Float64Array[];
  /** 1 when the price differs from the day before's. */
  changed: Uint8Array[];
  /** Units in stock at the end of the day before: what the morning's run saw. */
  on_hand: Float64Array[];
  /** The competitor's price on the day. */
  competitor: Float64Array[];
  /** 1 when no compliant price lies above the price within the SKU's ceiling. */
  atCeiling: Uint8Array[];
  /**
   * Units of the 28 days before `from` ([day][sku], oldest first; NaN on promotion days),
   * for trailing levels.
   */
  unitsBefore: Float64Array[];
}

/** The recorder of one strategy's backtest store. */
export interface Recorder {
  /** Records `day`'s actuals if its run succeeded and it has no sales yet; returns SKUs recorded. */
  recordDay(db: DatabaseSync, day: string): number;
  /** The `recordActuals` hook of `runDaily`: records the day before the run date. */
  recordActuals(db: DatabaseSync, runDate: string): number;
  readonly outcomes: Outcomes;
  /**
   * The market's memory of the days recorded so far (null when its shapes remember no
   * prices): what the oracle reads today's reference prices and traffic from.
   */
  readonly memory: MarketMemory | null;
}

/**
 * A recorder for backtest days `[from, from + days)`, starting from the store's
 * end-of-history inventory and shelf prices (the day before `from`).
 */
export function createRecorder(
  db: DatabaseSync,
  market: Market,
  options: { from: string; days: number },
): Recorder {
  const { from, days } = options;
  const lastHistory = addDays(from, -1);
  const state: Map<string, InventoryState> = inventoryStateFromRecords(
    readInventory(db, addDays(from, -28), from),
  );
  const lastPrice = new Map<string, number>();
  const recent = readSales(db, addDays(from, -Math.max(28, memoryWindowOf(market))), from);
  for (const s of recent) lastPrice.set(s.sku, s.shelf_price);
  const memory = memoryFromSales(market, recent, toDayNumber(from));
  if (!state.size) {
    throw new RangeError(
      `Cannot record a backtest from ${from}: no inventory before ${lastHistory}`,
    );
  }
  const n = market.skus.length;
  const arrays = <T>(make: () => T) => Array.from({ length: days }, make);
  const outcomes: Outcomes = {
    from,
    days,
    skus: market.skus.map((p) => p.sku),
    price: arrays(() => new Float64Array(n)),
    units: arrays(() => new Float64Array(n)),
    revenue: arrays(() => new Float64Array(n)),
    profit: arrays(() => new Float64Array(n)),
    lost: arrays(() => new Float64Array(n)),
    expected: arrays(() => new Float64Array(n)),
    changed: arrays(() => new Uint8Array(n)),
    on_hand: arrays(() => new Float64Array(n)),
    competitor: arrays(() => new Float64Array(n)),
    atCeiling: arrays(() => new Uint8Array(n)),
    unitsBefore: Array.from({ length: 28 }, () => new Float64Array(n)),
  };
  const fromDay = toDayNumber(from);
  for (const s of recent) {
    const d = toDayNumber(s.date) - (fromDay - 28);
    const i = market.skuIndex.get(s.sku);
    if (d >= 0 && d < 28 && i !== undefined) outcomes.unitsBefore[d][i] = s.promo ? NaN : s.units;
  }

  function recordDay(db: DatabaseSync, day: string): number {
    const k = toDayNumber(day) - fromDay;
    if (k < 0 || k >= days) return 0;
    if (readSales(db, day, addDays(day, 1)).length > 0) return 0;
    const run = readRuns(db, { date: day }).find((r) => r.status === "succeeded");
    if (!run) return 0;
    const prices = new Map(lastPrice);
    for (const d of readDecidedPrices(db, run.run_id)) prices.set(d.sku, d.price);
    const onHand = new Map<string, number>();
    for (const [sku, s] of state) onHand.set(sku, s.onHand);
    const batch = simulateDay(market, toDayNumber(day), prices, state, { memory });
    appendSales(db, batch.sales, { validate: false });
    appendInventory(db, batch.inventory, { validate: false });
    appendCompetitorPrices(db, batch.competitor, { validate: false });
    for (let j = 0; j < batch.sales.length; j++) {
      const s = batch.sales[j];
      const i = market.skuIndex.get(s.sku)!;
      const terms = catalogTermsAt(market, i, toDayNumber(day));
      const cost = terms.unitCost;
      outcomes.price[k][i] = s.shelf_price;
      outcomes.units[k][i] = s.units;
      outcomes.revenue[k][i] = s.revenue;
      outcomes.profit[k][i] = s.units * (s.shelf_price - cost);
      outcomes.lost[k][i] = batch.truth.lost[j];
      outcomes.expected[k][i] = batch.truth.expected[j];
      outcomes.on_hand[k][i] = onHand.get(s.sku) ?? 0;
      outcomes.competitor[k][i] = batch.competitor[j].competitor_price;
      const cents = Math.round(s.shelf_price * 100);
      outcomes.atCeiling[k][i] = nextEnding(cents + 1, market.skus[i].priceEnding) >
          Math.round(terms.ceilingPrice * 100)
        ? 1
        : 0;
      const before = lastPrice.get(s.sku);
      outcomes.changed[k][i] = before !== undefined && before !== s.shelf_price ? 1 : 0;
      lastPrice.set(s.sku, s.shelf_price);
    }
    for (const [sku, s] of batch.state) state.set(sku, s);
    return batch.sales.length;
  }

  return {
    recordDay,
    recordActuals: (db, runDate) => recordDay(db, addDays(runDate, -1)),
    outcomes,
    memory,
  };
}
