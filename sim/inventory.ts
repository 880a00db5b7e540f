/**
 * Replenishment: a periodic review (every R days, at a SKU-specific offset) with
 * lead time L < R, ordering up to S = expected demand over R + L days at the
 * reference price × the SKU's safety factor. At most one order is outstanding, so
 * the state is exactly (on hand, on order, next receipt day). Receipts arrive at the
 * start of the day; the review happens at the end of the day.
 *
 * @module
 */
import type { InventoryRecord } from "../engine/schema/inputs.ts";
import { toDayNumber } from "../engine/util/date.ts";
import { type Market, seasonTrendAt } from "./market.ts";

/** A SKU's stock at the end of a day and what is on its way. */
export interface InventoryState {
  /** Units in stock. */
  onHand: number;
  /** Units ordered and not yet received. */
  onOrder: number;
  /** Day number the order arrives, or null when nothing is on order. */
  nextReceiptDay: number | null;
}

/** The order-up-to level S of SKU i for a review on `day`. */
export function orderUpToLevel(market: Market, i: number, day: number): number {
  const p = market.skus[i];
  const { reviewDays, leadDays } = market.scenario.inventory;
  return Math.ceil(
    p.safetyFactor * (reviewDays + leadDays) * p.baseUnits * seasonTrendAt(market, i, day),
  );
}

/** The stock a SKU starts with before its first day on sale: S, nothing on order. */
export function initialInventory(market: Market, i: number): InventoryState {
  const p = market.skus[i];
  return { onHand: orderUpToLevel(market, i, p.launchDay), onOrder: 0, nextReceiptDay: null };
}

/** Whether `day` is a review day of SKU i. */
export function isReviewDay(market: Market, i: number, day: number): boolean {
  const r = market.scenario.inventory.reviewDays;
  return (((day - market.skus[i].reviewOffset) % r) + r) % r === 0;
}

/** Start of day: an order due on or before `day` arrives (mutates `state`). */
export function receive(state: InventoryState, day: number): void {
  if (state.nextReceiptDay !== null && state.nextReceiptDay <= day) {
    state.onHand += state.onOrder;
    state.onOrder = 0;
    state.nextReceiptDay = null;
  }
}

/** End of day: on a review day with nothing outstanding, order up to S (mutates `state`). */
export function review(market: Market, i: number, day: number, state: InventoryState): void {
  if (state.nextReceiptDay !== null || !isReviewDay(market, i, day)) return;
  const q = orderUpToLevel(market, i, day) - state.onHand;
  if (q > 0) {
    state.onOrder = q;
    state.nextReceiptDay = day + market.scenario.inventory.leadDays;
    if (market.scenario.inventory.leadDays === 0) receive(state, day);
  }
}

/** The state an inventory record describes. */
export function inventoryStateFromRecord(record: InventoryRecord): InventoryState {
  return {
    onHand: record.on_hand,
    onOrder: record.on_order,
    nextReceiptDay: record.next_receipt_date === null
      ? null
      : toDayNumber(record.next_receipt_date),
  };
}

/** The state of every SKU from its latest inventory records (e.g. the end of history). */
export function inventoryStateFromRecords(
  records: readonly InventoryRecord[],
): Map<string, InventoryState> {
  const latest = new Map<string, InventoryRecord>();
  for (const r of records) {
    const prev = latest.get(r.sku);
    if (!prev || prev.date <= r.date) latest.set(r.sku, r);
  }
  const out = new Map<string, InventoryState>();
  for (const sku of [...latest.keys()].sort()) {
    out.set(sku, inventoryStateFromRecord(latest.get(sku)!));
  }
  return out;
}
