/**
 * One SKU's feature inputs from its history block: the sales days as a
 * {@linkcode SkuHistory} (each joined with its stockout flag and competitor
 * price), its latest closing stock and competitor price in the window, and the
 * price this engine decided since its last sales day.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { emptySkuHistory, type SkuHistory } from "../elasticity/estimate.ts";
import type { InventoryRecord } from "../schema/inputs.ts";
import { type Block, HAS_COMPETITOR, HAS_SALES, HAS_STOCK, PROMO } from "../store/history/block.ts";
import { readLastDecidedPrice } from "../store/queries.ts";
import { fromDayNumber } from "../util/date.ts";
import { lowerBoundDay } from "./history_columns.ts";

/** The closing stock of a day. */
export interface StockRecord {
  /** The day, `YYYY-MM-DD`. */
  date: string;
  /** Units on hand at closing. */
  on_hand: number;
  /** Units on order. */
  on_order: number;
  /** The next receipt's date, or null. */
  next_receipt_date: string | null;
}

/** One SKU's inputs before the run date. */
export interface SkuInputs {
  /**
   * Its sales days in the window, each joined with its stockout flag and competitor price;
   * only the recent ones when the read was recent only (see `salesDays`).
   */
  history: SkuHistory;
  /**
   * Its sales days in the whole window. Given when `history` holds only the recent part of
   * the window (a run whose elasticity fits are stored reads no more); otherwise the
   * length of `history`.
   */
  salesDays?: number;
  /**
   * Its sales days in [fromDay, toDay), a span within what was read (e.g. the elasticity
   * fit's window, which ends on an earlier anchor day). RangeError outside it.
   */
  historyBetween(fromDay: number, toDay: number): SkuHistory;
  /** Its closing stock records in the window, by date. */
  inventory(): InventoryRecord[];
  /** Its latest closing stock in the window dated before day number `day`, or null. */
  stockBefore(day: number): StockRecord | null;
  /** Its latest closing stock in the window, or null. */
  lastInventory: StockRecord | null;
  /** Its latest competitor price in the window, or null. */
  lastCompetitor: { date: string; competitor_price: number } | null;
  /**
   * The price this engine decided for a day after its last sales date (its sales for that
   * day are not in yet), or null: then that price, not the last observed one, is on the shelf.
   */
  decidedSince: { run_date: string; price: number } | null;
}

/** The sales days of a block within [fromDay, toDay), as a history. */
function salesDays(b: Block, fromDay: number, toDay: number): SkuHistory {
  let n = 0;
  for (let i = 0; i < b.day.length; i++) {
    if (b.flags[i] & HAS_SALES && b.day[i] >= fromDay && b.day[i] < toDay) n++;
  }
  const h: SkuHistory = emptySkuHistory(n);
  let j = 0;
  for (let i = 0; i < b.day.length; i++) {
    const f = b.flags[i];
    if (!(f & HAS_SALES) || b.day[i] < fromDay || b.day[i] >= toDay) continue;
    h.day[j] = b.day[i];
    h.units[j] = b.units[i];
    h.price[j] = b.price[i];
    h.promo[j] = f & PROMO ? 1 : 0;
    h.censored[j] = f & HAS_STOCK && b.onHand[i] === 0 ? 1 : 0;
    h.competitor[j] = f & HAS_COMPETITOR ? b.competitor[i] : NaN;
    j++;
  }
  return h;
}

/** Options of {@linkcode skuInputsOf}. */
export interface SkuInputsOptions {
  /** The run date's day number: the window ends the day before it. */
  runDay: number;
  /** First day number of the window. */
  fromDay: number;
  /**
   * First day number `historyBetween` may be asked for (the block starts there). When it is
   * after `fromDay`, the block holds only the recent part of the window: `inventory()`, and
   * `stockBefore()` without a record in the part read, throw rather than answer from part
   * of the window.
   */
  readFromDay: number;
  /** The SKU's sales days in [fromDay, readFromDay), when that part was not read. Default 0. */
  salesDaysBefore?: number;
}

/**
 * The inputs of `sku` from its block (read over [readFromDay, runDay)), or null when it
 * has no sales day in [fromDay, runDay).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyBlock, HAS_SALES, HAS_STOCK, openStore, skuInputsOf } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * const b = emptyBlock(2);
 * b.day.set([20000, 20001]);
 * b.flags.set([HAS_SALES, HAS_SALES | HAS_STOCK]);
 * b.units.set([3, 4]);
 * b.price.set([2.99, 2.99]);
 * b.onHand[1] = 0;
 * b.onOrder[1] = 24;
 * const a1 = skuInputsOf(db, "A1", b, { runDay: 20002, fromDay: 20000, readFromDay: 20000 })!;
 * assert.deepEqual([...a1.history.censored], [0, 1]);
 * assert.equal(a1.lastInventory?.on_order, 24);
 * assert.equal(a1.stockBefore(20001), null); // no closing stock before the 20001st day
 * assert.equal(a1.stockBefore(20002)?.on_hand, 0);
 * assert.equal(a1.decidedSince, null);
 * ```
 */
export function skuInputsOf(
  db: DatabaseSync,
  sku: string,
  block: Block,
  options: SkuInputsOptions,
): SkuInputs | null {
  const { runDay, fromDay, readFromDay } = options;
  const history = salesDays(block, fromDay, runDay);
  if (history.day.length === 0) return null;
  let stock = -1, rival = -1;
  for (let i = block.day.length - 1; i >= 0 && (stock < 0 || rival < 0); i--) {
    if (block.day[i] < fromDay) break;
    if (block.day[i] >= runDay) continue;
    if (stock < 0 && block.flags[i] & HAS_STOCK) stock = i;
    if (rival < 0 && block.flags[i] & HAS_COMPETITOR) rival = i;
  }
  const stockOf = (i: number): StockRecord => ({
    date: fromDayNumber(block.day[i]),
    on_hand: block.onHand[i],
    on_order: block.onOrder[i],
    next_receipt_date: block.nextReceipt[i] < 0 ? null : fromDayNumber(block.nextReceipt[i]),
  });
  const lastDay = history.day[history.day.length - 1];
  const partial = readFromDay > fromDay;
  const notRead = (what: string) =>
    new RangeError(
      `Cannot read ${sku}'s ${what}: only ${fromDayNumber(readFromDay)} to ${
        fromDayNumber(runDay - 1)
      } of its window from ${fromDayNumber(fromDay)} was read`,
    );
  return {
    history,
    ...(partial ? { salesDays: history.day.length + (options.salesDaysBefore ?? 0) } : {}),
    historyBetween(a, b) {
      if (a < readFromDay || b > runDay) {
        throw new RangeError(
          `Cannot read ${sku}'s history of ${fromDayNumber(a)} to ${fromDayNumber(b - 1)}: only ${
            fromDayNumber(readFromDay)
          } to ${fromDayNumber(runDay - 1)} was read`,
        );
      }
      return salesDays(block, a, b);
    },
    inventory() {
      if (partial) throw notRead("closing stock records");
      const out: InventoryRecord[] = [];
      for (let i = 0; i < block.day.length; i++) {
        const d = block.day[i];
        if (!(block.flags[i] & HAS_STOCK) || d < fromDay || d >= runDay) continue;
        out.push({ sku, ...stockOf(i), reason: "observed" });
      }
      return out;
    },
    stockBefore(day) {
      for (let i = lowerBoundDay(block.day, day) - 1; i >= 0 && block.day[i] >= fromDay; i--) {
        if (block.day[i] < runDay && block.flags[i] & HAS_STOCK) return stockOf(i);
      }
      if (partial) throw notRead(`closing stock before ${fromDayNumber(day)}`);
      return null;
    },
    lastInventory: stock < 0 ? null : stockOf(stock),
    lastCompetitor: rival < 0
      ? null
      : { date: fromDayNumber(block.day[rival]), competitor_price: block.competitor[rival] },
    decidedSince: lastDay < runDay - 1
      ? readLastDecidedPrice(db, sku, fromDayNumber(lastDay), fromDayNumber(runDay))
      : null,
  };
}
