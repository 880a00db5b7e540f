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

/** The lines among the snapshots, in the order of their first SKU. */
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

/** The prices (cents, ascending) every member's guardrails and ending allow. */
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

/** The cents `[lo, hi]` a key-value item's band allows against its competitor price, or null. */
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
