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
  // The eight columns are views of one buffer (the five 8-byte columns first, so every
  // view is aligned): a daily run makes hundreds of thousands of blocks, and one
  // allocation each instead of eight is a few seconds less at 100,000 SKUs.
  const buffer = new ArrayBuffer(n * 49);
  const float = (k: number) => new Float64Array(buffer, k * 8 * n, n);
  new Float64Array(buffer, 0, 5 * n).fill(NaN);
  return {
    day: new Int32Array(buffer, 40 * n, n),
    flags: new Uint8Array(buffer, 48 * n, n),
    units: float(0),
    price: float(1),
    competitor: float(2),
    onHand: float(3),
    onOrder: float(4),
    nextReceipt: new Int32Array(buffer, 44 * n, n).fill(-1),
  };
}

/** The first packing: every column at full width (8 + 49 bytes a day). */
const V1 = 1;
/**
 * The packing written now: each column at the narrowest width that keeps every value
 * exactly, so a month (about 450 bytes) fits in its B-tree page without an overflow page.
 */
const V2 = 2;
const F64 = ["units", "price", "competitor", "onHand", "onOrder"] as const;

/** How a v2 column is stored: nothing (all unknown), 16- or 32-bit integers or cents, or raw. */
const NONE = 0, INT16 = 1, INT32 = 2, CENTS16 = 3, CENTS32 = 4, RAW = 5;
/** Bytes per value of each mode. */
const WIDTH: readonly number[] = [0, 2, 4, 2, 4, 8];
/** The 16- and 32-bit integer that stands for an unknown value (NaN, or no receipt). */
const NA16 = -32768, NA32 = -2147483648;
/** v2 header: version, day count, first day (int32), one mode byte per column. */
const V2_HEAD = 2 + 4 + F64.length + 1;

/** The narrowest exact mode of a float column. */
function floatMode(a: Float64Array): number {
  let known = false, i16 = true, i32 = true, c16 = true, c32 = true;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (Number.isNaN(v)) continue;
    known = true;
    if (Object.is(v, -0)) return RAW;
    if (Number.isInteger(v)) {
      if (v < -32767 || v > 32767) i16 = false;
      if (v < -2147483647 || v > 2147483647) i32 = false;
    } else i16 = i32 = false;
    const c = Math.round(v * 100);
    if (Object.is(c / 100, v)) {
      if (c < -32767 || c > 32767) c16 = false;
      if (c < -2147483647 || c > 2147483647) c32 = false;
    } else c16 = c32 = false;
    if (!i32 && !c32) return RAW;
  }
  if (!known) return NONE;
  return i16 ? INT16 : c16 ? CENTS16 : i32 ? INT32 : c32 ? CENTS32 : RAW;
}

/** The mode of the next-receipt column: none, 16-bit offsets from the first day, or raw. */
function receiptMode(a: Int32Array, first: number): number {
  let known = false, i16 = true;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === -1) continue;
    known = true;
    const d = a[i] - first;
    if (d < -32767 || d > 32767) i16 = false;
  }
  return !known ? NONE : i16 ? INT16 : INT32;
}

/** Whether a block's days fit v2: at most 255, ascending, within 255 days of the first. */
function fitsV2(b: Block): boolean {
  const n = b.day.length;
  if (n > 255) return false;
  for (let i = 1; i < n; i++) if (!(b.day[i] > b.day[i - 1])) return false;
  return n === 0 || b.day[n - 1] - b.day[0] <= 255;
}

function encodeV1(b: Block): Uint8Array {
  const n = b.day.length;
  const out = new Uint8Array(8 + n * (8 * F64.length + 4 + 4 + 1));
  const view = new DataView(out.buffer);
  view.setUint8(0, V1);
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

function encodeV2(b: Block): Uint8Array {
  const n = b.day.length;
  const first = n ? b.day[0] : 0;
  const modes = [...F64.map((c) => floatMode(b[c])), receiptMode(b.nextReceipt, first)];
  const out = new Uint8Array(V2_HEAD + 2 * n + modes.reduce((s, m) => s + WIDTH[m] * n, 0));
  const view = new DataView(out.buffer);
  out[0] = V2;
  out[1] = n;
  view.setInt32(2, first, true);
  out.set(modes, 6);
  let at = V2_HEAD;
  for (let i = 0; i < n; i++) out[at + i] = b.day[i] - first;
  at += n;
  out.set(b.flags.subarray(0, n), at);
  at += n;
  F64.forEach((c, k) => {
    const a = b[c], mode = modes[k];
    for (let i = 0; i < n && mode !== NONE; i++) {
      const v = a[i], na = Number.isNaN(v);
      if (mode === INT16) view.setInt16(at + 2 * i, na ? NA16 : v, true);
      else if (mode === INT32) view.setInt32(at + 4 * i, na ? NA32 : v, true);
      else if (mode === CENTS16) view.setInt16(at + 2 * i, na ? NA16 : Math.round(v * 100), true);
      else if (mode === CENTS32) view.setInt32(at + 4 * i, na ? NA32 : Math.round(v * 100), true);
      else view.setFloat64(at + 8 * i, v, true);
    }
    at += WIDTH[mode] * n;
  });
  const r = b.nextReceipt, mode = modes[F64.length];
  for (let i = 0; i < n && mode !== NONE; i++) {
    if (mode === INT16) view.setInt16(at + 2 * i, r[i] === -1 ? NA16 : r[i] - first, true);
    else view.setInt32(at + 4 * i, r[i], true);
  }
  return out;
}

/**
 * Packs a block. Each column is kept at the narrowest width that holds its values
 * exactly (integers and cent amounts in 16 or 32 bits, other numbers as they are), so a
 * month is about 450 bytes and stays inside its page of the store; a block whose days
 * do not fit that form (more than 255, or spread over more than 255 days) is packed at
 * full width. {@linkcode decodeBlock} gives back every value bit for bit.
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
 * assert.ok(encodeBlock(b).byteLength < 30);
 * ```
 */
export function encodeBlock(b: Block): Uint8Array {
  return fitsV2(b) ? encodeV2(b) : encodeV1(b);
}

/** Where a packed block's columns start, checked against its length. */
interface Layout {
  version: typeof V1 | typeof V2;
  /** Days. */
  n: number;
  /** v2: the first day, the column modes and where each column starts. */
  first: number;
  modes: number[];
  starts: number[];
}

/** The layout of a packed block; throws `RangeError` when the bytes are not one. */
function layoutOf(bytes: Uint8Array): Layout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes.byteLength ? bytes[0] : 0;
  if (version === V1 && bytes.byteLength >= 8) {
    const n = view.getUint32(4, true);
    if (bytes.byteLength !== 8 + n * (8 * F64.length + 9)) {
      throw new RangeError(`Cannot read a history block: ${n} days do not fit ${bytes.byteLength}`);
    }
    return { version, n, first: 0, modes: [], starts: [] };
  }
  if (version === V2 && bytes.byteLength >= V2_HEAD) {
    const n = bytes[1];
    const modes = [...bytes.subarray(6, V2_HEAD)];
    const starts: number[] = [];
    let at = V2_HEAD + 2 * n;
    for (const m of modes) {
      if (!(m < WIDTH.length) || (starts.length === F64.length && (m === CENTS16 || m > INT32))) {
        throw new RangeError(`Cannot read a history block: unknown column mode ${m}`);
      }
      starts.push(at);
      at += WIDTH[m] * n;
    }
    if (bytes.byteLength !== at) {
      throw new RangeError(`Cannot read a history block: ${n} days do not fit ${bytes.byteLength}`);
    }
    return { version, n, first: view.getInt32(2, true), modes, starts };
  }
  throw new RangeError(`Cannot read a history block of ${bytes.byteLength} bytes`);
}

/** The day number of row `i` of a packed block. */
function dayAt(bytes: Uint8Array, view: DataView, l: Layout, i: number): number {
  return l.version === V1
    ? view.getInt32(8 + l.n * 8 * F64.length + 4 * i, true)
    : l.first + bytes[V2_HEAD + i];
}

/** Unpacks rows [lo, hi) of a packed block into `out` from row `at`. */
function unpackInto(bytes: Uint8Array, l: Layout, lo: number, hi: number, out: Block, at: number) {
  const { n } = l;
  if (l.version === V1) {
    const bytesOf = (a: Float64Array | Int32Array | Uint8Array) =>
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
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
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = lo; i < hi; i++) out.day[at + i - lo] = l.first + bytes[V2_HEAD + i];
  out.flags.set(bytes.subarray(V2_HEAD + n + lo, V2_HEAD + n + hi), at);
  F64.forEach((c, k) => {
    const a = out[c], mode = l.modes[k], s = l.starts[k];
    if (mode === NONE) return; // the output's columns start unknown (NaN)
    for (let i = lo; i < hi; i++) {
      let v: number;
      if (mode === INT16) v = (v = view.getInt16(s + 2 * i, true)) === NA16 ? NaN : v;
      else if (mode === INT32) v = (v = view.getInt32(s + 4 * i, true)) === NA32 ? NaN : v;
      else if (mode === CENTS16) {
        v = (v = view.getInt16(s + 2 * i, true)) === NA16 ? NaN : v / 100;
      } else if (mode === CENTS32) {
        v = (v = view.getInt32(s + 4 * i, true)) === NA32 ? NaN : v / 100;
      } else v = view.getFloat64(s + 8 * i, true);
      a[at + i - lo] = v;
    }
  });
  const mode = l.modes[F64.length], s = l.starts[F64.length];
  for (let i = lo; i < hi && mode !== NONE; i++) {
    if (mode === INT16) {
      const d = view.getInt16(s + 2 * i, true);
      out.nextReceipt[at + i - lo] = d === NA16 ? -1 : l.first + d;
    } else out.nextReceipt[at + i - lo] = view.getInt32(s + 4 * i, true);
  }
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
  const l = layoutOf(bytes);
  const b = emptyBlock(l.n);
  unpackInto(bytes, l, 0, l.n, b, 0);
  return b;
}

/**
 * Whether a packed block is in the full-width packing of the first stores (see
 * {@linkcode encodeBlock}): such a block is re-packed by migration 14.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyBlock, encodeBlock, isFullWidthBlock } from "./block.ts";
 *
 * assert.equal(isFullWidthBlock(encodeBlock(emptyBlock(1))), false);
 * ```
 */
export function isFullWidthBlock(bytes: Uint8Array): boolean {
  return layoutOf(bytes).version === V1;
}

/**
 * The days within [fromDay, toDay) of several packed blocks (in day order, as
 * {@linkcode encodeBlock} writes them), unpacked into one block: only each block's days
 * in the span are unpacked. The same as concatenating {@linkcode decodeBlock} of each
 * and keeping the days in the span.
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
  const runs: { bytes: Uint8Array; l: Layout; lo: number; hi: number }[] = [];
  let total = 0;
  for (const bytes of parts) {
    const l = layoutOf(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let lo = 0, hi = l.n;
    while (lo < l.n && dayAt(bytes, view, l, lo) < fromDay) lo++;
    while (hi > lo && dayAt(bytes, view, l, hi - 1) >= toDay) hi--;
    if (hi > lo) {
      runs.push({ bytes, l, lo, hi });
      total += hi - lo;
    }
  }
  const out = emptyBlock(total);
  let at = 0;
  for (const { bytes, l, lo, hi } of runs) {
    unpackInto(bytes, l, lo, hi, out, at);
    at += hi - lo;
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
