/**
 * From point-of-sale lines to daily sales: lines are summed per SKU and day;
 * a negative quantity is a return (summed into `returned_units`); units are
 * net of returns and never below zero (the excess is reported, and the
 * returned units are all kept); the day's shelf price is the most frequent
 * unit price among its positive lines, the highest on a tie (the full price,
 * not the average paid, which mixes quantity discounts); revenue is the sum
 * paid, refunds subtracted, never below zero.
 *
 * @module
 */
import { round } from "../util/round.ts";

/** One valid point-of-sale line. */
export interface PosLine {
  /** The SKU sold or returned. */
  sku: string;
  /** The day of the sale, `YYYY-MM-DD`. */
  date: string;
  /** Units on the line; negative for a return. */
  quantity: number;
  /** The price paid per unit on this line. */
  unit_price: number;
  /** Where it came from, for messages. */
  line: number;
}

/** One SKU's sales on one day, summed from its lines. */
export interface DailyTotal {
  /** The SKU. */
  sku: string;
  /** The day, `YYYY-MM-DD`. */
  date: string;
  /** Units sold net of returns, never below zero. */
  units: number;
  /** Units returned (the negative quantities, as a positive number). */
  returned_units: number;
  /** The sum paid, refunds subtracted, rounded to cents, never below zero. */
  revenue: number;
  /** The most frequent unit price of the positive lines (highest on a tie); null with none. */
  shelf_price: number | null;
  /** The first line of the day's lines, for messages. */
  line: number;
  /** Returns exceeded sales: units were floored at zero. */
  returnsExceedSales: boolean;
}

interface Acc {
  sold: number;
  returned: number;
  paid: number;
  prices: Map<number, number>;
  line: number;
}

/**
 * Sums lines into one total per SKU and day, by SKU then date.
 *
 * @example Quantity discounts and a return
 * ```ts
 * import assert from "node:assert/strict";
 * import { dailyTotals } from "./transactions.ts";
 *
 * const [t] = dailyTotals([
 *   { sku: "A", date: "2024-01-02", quantity: 1, unit_price: 2.95, line: 2 },
 *   { sku: "A", date: "2024-01-02", quantity: 2, unit_price: 2.95, line: 3 },
 *   { sku: "A", date: "2024-01-02", quantity: 24, unit_price: 2.55, line: 4 },
 *   { sku: "A", date: "2024-01-02", quantity: -1, unit_price: 2.95, line: 5 },
 * ]);
 * assert.equal(t.units, 26);
 * assert.equal(t.returned_units, 1);
 * assert.equal(t.shelf_price, 2.95);
 * assert.equal(t.revenue, 67.1);
 * ```
 */
export function dailyTotals(lines: Iterable<PosLine>): DailyTotal[] {
  const bySkuDay = new Map<string, Map<string, Acc>>();
  for (const l of lines) {
    let days = bySkuDay.get(l.sku);
    if (!days) bySkuDay.set(l.sku, days = new Map());
    let a = days.get(l.date);
    if (!a) {
      days.set(l.date, a = { sold: 0, returned: 0, paid: 0, prices: new Map(), line: l.line });
    }
    if (l.quantity > 0) {
      a.sold += l.quantity;
      a.prices.set(l.unit_price, (a.prices.get(l.unit_price) ?? 0) + 1);
    } else a.returned -= l.quantity;
    a.paid += l.quantity * l.unit_price;
    a.line = Math.min(a.line, l.line);
  }
  const out: DailyTotal[] = [];
  for (const sku of [...bySkuDay.keys()].sort()) {
    const days = bySkuDay.get(sku)!;
    for (const date of [...days.keys()].sort()) {
      const a = days.get(date)!;
      let shelf: number | null = null, best = 0;
      for (const [price, n] of a.prices) {
        if (n > best || (n === best && shelf !== null && price > shelf)) {
          shelf = price;
          best = n;
        }
      }
      out.push({
        sku,
        date,
        units: Math.max(0, a.sold - a.returned),
        returned_units: a.returned,
        revenue: Math.max(0, round(a.paid, 2)),
        shelf_price: shelf,
        line: a.line,
        returnsExceedSales: a.returned > a.sold,
      });
    }
  }
  return out;
}
