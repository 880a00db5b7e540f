/**
 * Price lines: SKUs of a family share one price per size, and within a family of
 * several sizes (a ladder) the price per unit of size does not rise with size.
 * This module finds the lines among a run's snapshots, the prices a group of
 * SKUs can share (every member's guardrails and ending), a common safe price
 * when they share none, the key-value-item band on candidates, and the ladder
 * repair that keeps unit prices in order when guardrails alone would not.
 *
 * @module
 */
import type { FeatureSnapshot } from "../schema/features.ts";
import type { IndexBand } from "../schema/rules.ts";
import { type ConstraintName, priceBounds, violations } from "./guardrails.ts";
import { endingPricesBetween, endsWith, nextEnding } from "./price_ending.ts";
import { guardrailsOf } from "./strategies.ts";

/** SKUs that share one price: a family's members of one size, or a lone SKU. */
export interface PriceGroup {
  /** Snapshot positions of the members, by SKU. */
  members: number[];
  /** The members' pack size, or null when they have none. */
  size: number | null;
}

/** A line: a lone SKU, a family of one size, or a ladder of sizes. */
export interface PriceLine {
  /** The family, or the SKU of a lone SKU. */
  id: string;
  /** The family, or null for a lone SKU. */
  family: string | null;
  /** The category it is priced in (a family's: its first SKU's). */
  category: string;
  /** By ascending size; a ladder's groups all have a size. */
  groups: PriceGroup[];
  /** True when the line is a family's two or more sizes. */
  ladder: boolean;
}

/**
 * The lines among the snapshots, in the order of their first SKU.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { priceLines } from "./lines.ts";
 *
 * const snapshot: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.1, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * const lines = priceLines([
 *   snapshot,
 *   { ...snapshot, sku: "J1", family: "juice", size: 1 },
 *   { ...snapshot, sku: "J2", family: "juice", size: 2 },
 * ]);
 * assert.deepEqual(lines.map((l) => [l.id, l.ladder]), [["A1", false], ["juice", true]]);
 * assert.deepEqual(lines[1].groups, [{ members: [1], size: 1 }, { members: [2], size: 2 }]);
 * ```
 */
export function priceLines(snapshots: readonly FeatureSnapshot[]): PriceLine[] {
  const byFamily = new Map<string, number[]>();
  const lines: PriceLine[] = [];
  const order: (string | number)[] = [];
  snapshots.forEach((s, i) => {
    if (s.family === undefined) {
      order.push(i);
      return;
    }
    let list = byFamily.get(s.family);
    if (!list) {
      byFamily.set(s.family, list = []);
      order.push(s.family);
    }
    list.push(i);
  });
  for (const key of order) {
    if (typeof key === "number") {
      const s = snapshots[key];
      lines.push({
        id: s.sku,
        family: null,
        category: s.category,
        groups: [{ members: [key], size: s.size ?? null }],
        ladder: false,
      });
      continue;
    }
    const members = byFamily.get(key)!;
    const sizes = [...new Set(members.map((i) => snapshots[i].size ?? null))];
    const sized = sizes.filter((x): x is number => x !== null).sort((a, b) => a - b);
    const category = snapshots[members[0]].category;
    const groups: PriceGroup[] = sized.map((size) => ({
      members: members.filter((i) => snapshots[i].size === size),
      size,
    }));
    const sizeless: PriceGroup[] = sizes.includes(null)
      ? [{ members: members.filter((i) => snapshots[i].size === undefined), size: null }]
      : [];
    if (sized.length >= 2) {
      // A ladder of its sizes; members without a size share one price beside it.
      lines.push({ id: key, family: key, category, groups, ladder: true });
      if (sizeless.length) {
        lines.push({
          id: `${key}/sizeless`,
          family: key,
          category,
          groups: sizeless,
          ladder: false,
        });
      }
    } else {
      lines.push({
        id: key,
        family: key,
        category,
        groups: [...groups, ...sizeless],
        ladder: false,
      });
    }
  }
  return lines;
}

/**
 * The prices (cents, ascending) every member's guardrails and ending allow.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { commonCandidates } from "./lines.ts";
 *
 * const snapshot: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.1, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * // 2.99 ± 10%, ending in 9; the second SKU's ceiling is 3.09
 * const other = { ...snapshot, sku: "A2", ceiling_price: 3.09 };
 * assert.deepEqual(commonCandidates([snapshot, other]), [279, 289, 299, 309]);
 * assert.deepEqual(commonCandidates([snapshot, { ...other, ceiling_price: 2.5 }]), []);
 * ```
 */
export function commonCandidates(members: readonly FeatureSnapshot[]): number[] {
  let lo = 1;
  let hi = Infinity;
  for (const s of members) {
    const b = priceBounds(guardrailsOf(s));
    lo = Math.max(lo, b.lo);
    hi = Math.min(hi, b.hi);
  }
  if (!(lo <= hi)) return [];
  return endingPricesBetween(lo, hi, members[0].price_ending)
    .filter((c) => members.every((s) => endsWith(c, s.price_ending)));
}

/** A price members share when no compliant one exists, and what it breaks per member. */
export interface CommonSafePrice {
  /** The shared price, in cents. */
  cents: number;
  /** Per member, the guardrails the price breaks. */
  relaxed: ConstraintName[][];
}

/**
 * The price a group keeps when its members share no compliant price, relaxing in the
 * order `safePrice` does: the ending (the cent in every member's range nearest their
 * mean price), then the daily change (floors, margins and ceilings only), then the
 * ceiling (the highest floor or margin bound). Floors and margins are never relaxed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { commonSafePrice } from "./lines.ts";
 *
 * const snapshot: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.1, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * // 2.09 ± 10% and 2.99 ± 10% do not meet: the daily change gives way, then the ending
 * const safe = commonSafePrice([{ ...snapshot, last_price: 2.09 }, snapshot]);
 * assert.equal(safe.cents, 254);
 * assert.deepEqual(safe.relaxed, [
 *   ["max_change_up", "price_ending"],
 *   ["max_change_down", "price_ending"],
 * ]);
 * ```
 */
export function commonSafePrice(members: readonly FeatureSnapshot[]): CommonSafePrice {
  const bounds = members.map((s) => priceBounds(guardrailsOf(s)));
  const mean = Math.round(
    (100 * members.reduce((a, s) => a + s.last_price, 0)) / Math.max(members.length, 1),
  );
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  const lo = Math.max(...bounds.map((b) => b.lo));
  const hi = Math.min(...bounds.map((b) => b.hi));
  let cents: number;
  if (lo <= hi) {
    cents = clamp(mean, lo, hi);
  } else {
    const lo2 = Math.max(...bounds.map((b) => Math.max(b.lower.floor, b.lower.min_margin)));
    const hi2 = Math.min(...bounds.map((b) => b.upper.ceiling));
    cents = lo2 <= hi2 ? clamp(mean, lo2, hi2) : lo2;
  }
  return {
    cents,
    relaxed: members.map((s) => violations(cents / 100, guardrailsOf(s))),
  };
}

/**
 * The cents `[lo, hi]` a key-value item's band allows against its competitor price, or null.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FeatureSnapshot } from "../schema/features.ts";
 * import { kviRange } from "./lines.ts";
 *
 * const snapshot: FeatureSnapshot = {
 *   run_date: "2025-01-08", sku: "A1", category: "snacks", last_price: 2.99,
 *   last_sales_date: "2025-01-07", unit_cost: 1.5, floor_price: 1.99, ceiling_price: 4.99,
 *   min_margin: 0.2, max_daily_change: 0.1, price_ending: "9", on_hand: 120, on_order: 0,
 *   next_receipt_date: null, days_of_cover: 12, units_7: 70, units_28: 280, units_90: 900,
 *   trend_ratio: 1, dow_profile: [1, 1, 1, 1, 1, 1, 1], price_rel_28: 1,
 *   competitor_price: 3.09, competitor_index: 0.968, stockout_days_28: 0, base_units: 10,
 *   base_price: 2.99, history_days: 400, elasticity: -1.8, elasticity_se: 0.2,
 *   elasticity_raw: -1.9, elasticity_category: -1.7, elasticity_as_of: "2025-01-05",
 * };
 * // the competitor asks 3.09
 * assert.deepEqual(kviRange({ ...snapshot, key_value_item: true }, [0.95, 1]), [294, 309]);
 * assert.equal(kviRange(snapshot, [0.95, 1]), null); // not a key-value item
 * ```
 */
export function kviRange(s: FeatureSnapshot, band: IndexBand | null): [number, number] | null {
  if (!band || !s.key_value_item || s.competitor_price === null) return null;
  return [
    Math.ceil(band[0] * s.competitor_price * 100 - 1e-6),
    Math.floor(band[1] * s.competitor_price * 100 + 1e-6),
  ];
}

/**
 * Candidates restricted to a band `[lo, hi]`: those inside it, or, when none is, the one
 * nearest it (then `held` is false).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { withinBand } from "./lines.ts";
 *
 * const candidates = [279, 289, 299, 309];
 * assert.deepEqual(withinBand(candidates, [285, 300]), { cents: [289, 299], held: true });
 * assert.deepEqual(withinBand([279, 289], [300, 310]), { cents: [289], held: false });
 * ```
 */
export function withinBand(
  cents: readonly number[],
  range: [number, number],
): { cents: number[]; held: boolean } {
  const inside = cents.filter((c) => c >= range[0] && c <= range[1]);
  if (inside.length) return { cents: inside, held: true };
  const gap = (c: number) => (c < range[0] ? range[0] - c : c - range[1]);
  let best = cents[0];
  for (const c of cents) if (gap(c) < gap(best)) best = c;
  return { cents: [best], held: false };
}

/**
 * Makes a ladder solvable: walking from the largest size to the smallest, each size
 * needs a candidate whose unit price is at least the larger size's least one; where
 * none is, the lowest price with the ending that reaches it is added (beyond the
 * size's guardrails, so it breaks its ceiling or daily change). Returns the candidate
 * lists (ascending) and, per group, the cents added that way.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { repairLadder } from "./lines.ts";
 *
 * // The size-2 pack costs at least 2.29, 1.145 a unit: the single needs 1.19.
 * const repaired = repairLadder([
 *   { cents: [99, 109], size: 1, ending: "9" },
 *   { cents: [229, 249], size: 2, ending: "9" },
 * ]);
 * assert.deepEqual(repaired, { cents: [[99, 109, 119], [229, 249]], added: [119, null] });
 * ```
 */
export function repairLadder(
  groups: readonly { cents: number[]; size: number; ending: FeatureSnapshot["price_ending"] }[],
): { cents: number[][]; added: (number | null)[] } {
  const cents = groups.map((g) => g.cents.slice());
  const added: (number | null)[] = groups.map(() => null);
  let unit = 0;
  for (let k = groups.length - 1; k >= 0; k--) {
    const g = groups[k];
    const reach = cents[k].find((c) => c / g.size >= unit - 1e-9);
    if (reach !== undefined) {
      unit = reach / g.size;
      continue;
    }
    const c = nextEnding(Math.ceil(unit * g.size - 1e-9), g.ending);
    cents[k].push(c);
    cents[k].sort((a, b) => a - b);
    added[k] = c;
    unit = c / g.size;
  }
  return { cents, added };
}
