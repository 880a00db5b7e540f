/**
 * A history block: one SKU's days of one calendar month, each day joining its
 * sales (units, shelf price, promotion), its closing stock and its competitor
 * price, packed into one binary value. The store keeps a SKU's history as
 * blocks (`history_blocks`), so the feature job reads a year of it as a dozen
 * small values instead of a year of rows from three tables.
 *
 * @module
 */

/** What is known of a day. */
export const HAS_SALES = 1;
/** Its closing stock is known. */
export const HAS_STOCK = 2;
/** A competitor price is known. */
export const HAS_COMPETITOR = 4;
/** The day had a store promotion. */
export const PROMO = 8;

/** The days of a block, in day order, as columns. */
export interface Block {
  /** Day numbers (days since 1970-01-01), ascending, one row per day. */
  day: Int32Array;
  /** {@linkcode HAS_SALES} | {@linkcode HAS_STOCK} | {@linkcode HAS_COMPETITOR} | {@linkcode PROMO}. */
  flags: Uint8Array;
  /** Units sold (NaN without sales). */
  units: Float64Array;
  /** The shelf price (NaN without sales). */
  price: Float64Array;
  /** The competitor's price (NaN when unknown). */
  competitor: Float64Array;
  /** Units on hand at closing (NaN when unknown). */
  onHand: Float64Array;
  /** Units on order (NaN when unknown). */
  onOrder: Float64Array;
  /** Day number of the next receipt (-1 when none or unknown). */
  nextReceipt: Int32Array;
}

/**
 * An empty block with room for `n` days (nothing known of them yet).
 *
 * @param n Days.
 * @returns The block.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyBlock } from "./block.ts";
 *
 * const b = emptyBlock(2);
 * assert.equal(b.day.length, 2);
 * assert.ok(Number.isNaN(b.units[0]));
 * assert.equal(b.nextReceipt[1], -1);
 * ```
 */
export function emptyBlock(n = 0): Block {
  return {
    day: new Int32Array(n),
    flags: new Uint8Array(n),
    units: new Float64Array(n).fill(NaN),
    price: new Float64Array(n).fill(NaN),
    competitor: new Float64Array(n).fill(NaN),
    onHand: new Float64Array(n).fill(NaN),
    onOrder: new Float64Array(n).fill(NaN),
    nextReceipt: new Int32Array(n).fill(-1),
  };
}

const VERSION = 1;
const F64 = ["units", "price", "competitor", "onHand", "onOrder"] as const;

/**
 * Packs a block: a version byte, three padding bytes and the day count, then the
 * float columns, the int columns and the flags.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBlock, emptyBlock, encodeBlock, HAS_SALES } from "./block.ts";
 *
 * const b = emptyBlock(1);
 * b.day[0] = 20000;
 * b.flags[0] = HAS_SALES;
 * b.units[0] = 3;
 * b.price[0] = 2.99;
 * assert.deepEqual(decodeBlock(encodeBlock(b)), b);
 * ```
 */
export function encodeBlock(b: Block): Uint8Array {
  const n = b.day.length;
  const out = new Uint8Array(8 + n * (8 * F64.length + 4 + 4 + 1));
  const view = new DataView(out.buffer);
  view.setUint8(0, VERSION);
  view.setUint32(4, n, true);
  let at = 8;
  for (const c of F64) {
    out.set(new Uint8Array(b[c].buffer, b[c].byteOffset, n * 8), at);
    at += n * 8;
  }
  for (const c of [b.day, b.nextReceipt]) {
    out.set(new Uint8Array(c.buffer, c.byteOffset, n * 4), at);
    at += n * 4;
  }
  out.set(b.flags.subarray(0, n), at);
  return out;
}

/** The number of days of a packed block; throws `RangeError` when the bytes are not one. */
function daysOf(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint8(0) !== VERSION) {
    throw new RangeError(`Cannot read a history block of ${bytes.byteLength} bytes`);
  }
  const n = view.getUint32(4, true);
  if (bytes.byteLength !== 8 + n * (8 * F64.length + 9)) {
    throw new RangeError(`Cannot read a history block: ${n} days do not fit ${bytes.byteLength}`);
  }
  return n;
}

/**
 * Unpacks a block written by {@linkcode encodeBlock} (its columns are copies).
 *
 * @param bytes The packed block.
 * @returns The block.
 * @throws {RangeError} When the bytes are not a block.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBlock, emptyBlock, encodeBlock } from "./block.ts";
 *
 * assert.equal(decodeBlock(encodeBlock(emptyBlock(3))).day.length, 3);
 * assert.throws(() => decodeBlock(new Uint8Array(4)), RangeError);
 * ```
 */
export function decodeBlock(bytes: Uint8Array): Block {
  const n = daysOf(bytes);
  // Copy into fresh buffers: typed arrays need aligned offsets.
  const copy = (from: number, length: number) => bytes.slice(from, from + length).buffer;
  const b = {} as Block;
  let at = 8;
  for (const c of F64) {
    b[c] = new Float64Array(copy(at, n * 8));
    at += n * 8;
  }
  b.day = new Int32Array(copy(at, n * 4));
  at += n * 4;
  b.nextReceipt = new Int32Array(copy(at, n * 4));
  at += n * 4;
  b.flags = bytes.slice(at, at + n);
  return b;
}

/**
 * The days within [fromDay, toDay) of several packed blocks (in day order, as
 * {@linkcode encodeBlock} writes them), unpacked into one block: each block's days in the
 * span are a run of its rows, copied column by column without unpacking the rest. The
 * same as concatenating {@linkcode decodeBlock} of each and keeping the days in the span.
 *
 * @param parts The packed blocks, in day order.
 * @param fromDay First day number kept.
 * @param toDay Day number after the last kept.
 * @returns The block of the days kept.
 * @throws {RangeError} When a part is not a block.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBlocksWithin, emptyBlock, encodeBlock } from "./block.ts";
 *
 * const month = (first: number, n: number) => {
 *   const b = emptyBlock(n);
 *   for (let i = 0; i < n; i++) [b.day[i], b.units[i]] = [first + i, i];
 *   return encodeBlock(b);
 * };
 * const b = decodeBlocksWithin([month(100, 31), month(131, 28)], 125, 135);
 * assert.deepEqual([...b.day], [125, 126, 127, 128, 129, 130, 131, 132, 133, 134]);
 * assert.deepEqual([...b.units], [25, 26, 27, 28, 29, 30, 0, 1, 2, 3]);
 * ```
 */
export function decodeBlocksWithin(
  parts: readonly Uint8Array[],
  fromDay: number,
  toDay: number,
): Block {
  const runs: { bytes: Uint8Array; n: number; lo: number; hi: number }[] = [];
  let total = 0;
  for (const bytes of parts) {
    const n = daysOf(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const days = 8 + n * 8 * F64.length;
    const dayAt = (i: number) => view.getInt32(days + 4 * i, true);
    let lo = 0, hi = n;
    while (lo < n && dayAt(lo) < fromDay) lo++;
    while (hi > lo && dayAt(hi - 1) >= toDay) hi--;
    if (hi > lo) {
      runs.push({ bytes, n, lo, hi });
      total += hi - lo;
    }
  }
  const out = emptyBlock(total);
  const bytesOf = (a: Float64Array | Int32Array | Uint8Array) =>
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let at = 0;
  for (const { bytes, n, lo, hi } of runs) {
    const k = hi - lo;
    let col = 8;
    for (const c of F64) {
      bytesOf(out[c]).set(bytes.subarray(col + lo * 8, col + hi * 8), at * 8);
      col += n * 8;
    }
    bytesOf(out.day).set(bytes.subarray(col + lo * 4, col + hi * 4), at * 4);
    col += n * 4;
    bytesOf(out.nextReceipt).set(bytes.subarray(col + lo * 4, col + hi * 4), at * 4);
    col += n * 4;
    out.flags.set(bytes.subarray(col + lo, col + hi), at);
    at += k;
  }
  return out;
}

/** One day's facts from one input row, to merge into a block. */
export type DayFacts =
  | { day: number; kind: "sales"; units: number; price: number; promo: boolean }
  | { day: number; kind: "stock"; onHand: number; onOrder: number; nextReceipt: number }
  | { day: number; kind: "competitor"; price: number };

/**
 * A block with `facts` applied in order (a later fact for a day and kind replaces an
 * earlier one, as the latest row for a key wins).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyBlock, mergeFacts } from "./block.ts";
 *
 * const b = mergeFacts(emptyBlock(), [
 *   { day: 20001, kind: "sales", units: 3, price: 2.99, promo: false },
 *   { day: 20000, kind: "competitor", price: 3.09 },
 *   { day: 20001, kind: "sales", units: 4, price: 2.99, promo: false },
 * ]);
 * assert.deepEqual([...b.day], [20000, 20001]);
 * assert.deepEqual([...b.units], [NaN, 4]);
 * ```
 */
export function mergeFacts(block: Block, facts: readonly DayFacts[]): Block {
  const days = new Map<number, number>();
  const rows: number[] = [];
  for (let i = 0; i < block.day.length; i++) {
    days.set(block.day[i], i);
    rows.push(block.day[i]);
  }
  const added = facts.filter((f) => !days.has(f.day)).map((f) => f.day);
  const all = [...new Set([...rows, ...added])].sort((a, b) => a - b);
  const out = emptyBlock(all.length);
  const at = new Map<number, number>();
  all.forEach((d, i) => {
    out.day[i] = d;
    at.set(d, i);
    const j = days.get(d);
    if (j === undefined) return;
    out.flags[i] = block.flags[j];
    for (const c of F64) out[c][i] = block[c][j];
    out.nextReceipt[i] = block.nextReceipt[j];
  });
  for (const f of facts) {
    const i = at.get(f.day)!;
    if (f.kind === "sales") {
      out.units[i] = f.units;
      out.price[i] = f.price;
      out.flags[i] = (out.flags[i] & ~PROMO) | HAS_SALES | (f.promo ? PROMO : 0);
    } else if (f.kind === "stock") {
      out.onHand[i] = f.onHand;
      out.onOrder[i] = f.onOrder;
      out.nextReceipt[i] = f.nextReceipt;
      out.flags[i] |= HAS_STOCK;
    } else {
      out.competitor[i] = f.price;
      out.flags[i] |= HAS_COMPETITOR;
    }
  }
  return out;
}

/**
 * The month index of a day number: year × 12 + month (0-based), in UTC.
 *
 * @param day Days since 1970-01-01.
 * @returns The month index.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthOf } from "./block.ts";
 *
 * assert.equal(monthOf(0), 1970 * 12); // 1970-01-01
 * assert.equal(monthOf(31), 1970 * 12 + 1); // 1970-02-01
 * ```
 */
export function monthOf(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/**
 * The day number of the first day of a month index.
 *
 * @param month A month index (see {@linkcode monthOf}).
 * @returns Days since 1970-01-01 of its first day.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthOf, monthStart } from "./block.ts";
 *
 * assert.equal(monthStart(1970 * 12 + 1), 31);
 * assert.equal(monthStart(monthOf(20_000)) <= 20_000, true);
 * ```
 */
export function monthStart(month: number): number {
  return Math.round(Date.UTC(Math.floor(month / 12), month % 12, 1) / 86_400_000);
}
