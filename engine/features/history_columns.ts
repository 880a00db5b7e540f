/**
 * One SKU's joined history as growable columns: appending a day is amortised
 * O(1) and a date range is a zero-copy view. Views stay valid: rows are only
 * appended past the end, and rewriting a stored day copies the columns first.
 *
 * @module
 */
import type { SkuHistory } from "../elasticity/estimate.ts";
import { lowerBound } from "../util/lower_bound.ts";

type Column = keyof SkuHistory;

const COLUMNS: readonly Column[] = ["day", "units", "price", "promo", "censored", "competitor"];

function allocate(capacity: number): SkuHistory {
  return {
    day: new Int32Array(capacity),
    units: new Float64Array(capacity),
    price: new Float64Array(capacity),
    promo: new Uint8Array(capacity),
    censored: new Uint8Array(capacity),
    competitor: new Float64Array(capacity),
  };
}

/** Index of the first day >= `day` in the first `length` entries of a sorted column. */
export function lowerBoundDay(days: Int32Array, day: number, length = days.length): number {
  return lowerBound(length, (i) => days[i] < day);
}

let instances = 0;

/** A growable, date-ordered {@linkcode SkuHistory}. */
export class HistoryColumns {
  #data: SkuHistory = allocate(16);
  #length = 0;
  readonly #id = ++instances;
  /** Bumped whenever stored rows are dropped, so a row position can hold new content. */
  #epoch = 0;

  /** Days stored. */
  get length(): number {
    return this.#length;
  }

  /** The last stored day number, or -Infinity when empty. */
  get lastDay(): number {
    return this.#length ? this.#data.day[this.#length - 1] : -Infinity;
  }

  /** Drops every stored day >= `day`, copying the columns so earlier views keep their rows. */
  truncateFrom(day: number): void {
    const keep = lowerBoundDay(this.#data.day, day, this.#length);
    if (keep === this.#length) return;
    this.#epoch++;
    const next = allocate(Math.max(16, this.#data.day.length));
    for (const c of COLUMNS) next[c].set(this.#data[c].subarray(0, keep));
    this.#data = next;
    this.#length = keep;
  }

  /** Appends the rows of `h`, whose days must all come after {@linkcode lastDay}. */
  append(h: SkuHistory): void {
    const n = h.day.length;
    if (n === 0) return;
    if (h.day[0] <= this.lastDay) {
      throw new RangeError(
        `Cannot append day ${h.day[0]} to a history that ends on day ${this.lastDay}`,
      );
    }
    if (this.#length + n > this.#data.day.length) {
      const next = allocate(Math.max(2 * this.#data.day.length, this.#length + n));
      for (const c of COLUMNS) next[c].set(this.#data[c].subarray(0, this.#length));
      this.#data = next;
    }
    for (const c of COLUMNS) this.#data[c].set(h[c], this.#length);
    this.#length += n;
  }

  /**
   * An identity of the rows `between(fromDay, toDay)` gives now: the same key later
   * (in this process) means the same rows, since stored rows only change by being
   * dropped (which changes the key) and appends go past the end.
   */
  key(fromDay: number, toDay: number): string {
    const [lo, hi] = this.#range(fromDay, toDay);
    return `${this.#id}.${this.#epoch}.${lo}.${hi}`;
  }

  #range(fromDay: number, toDay: number): [number, number] {
    const lo = lowerBoundDay(this.#data.day, fromDay, this.#length);
    return [lo, Math.max(lo, lowerBoundDay(this.#data.day, toDay, this.#length))];
  }

  /** The days in [fromDay, toDay) as zero-copy views. */
  between(fromDay: number, toDay: number): SkuHistory {
    const d = this.#data;
    const [lo, hi] = this.#range(fromDay, toDay);
    return {
      day: d.day.subarray(lo, hi),
      units: d.units.subarray(lo, hi),
      price: d.price.subarray(lo, hi),
      promo: d.promo.subarray(lo, hi),
      censored: d.censored.subarray(lo, hi),
      competitor: d.competitor.subarray(lo, hi),
    };
  }
}
