/**
 * Pricing groups: SKUs that must be priced together. A category's rules (its
 * price index, its objective's units floor) and a family's price lines couple
 * SKUs, so the smallest independent unit is a connected set of categories and
 * families. A run prices group by group (bounded memory), and a shard owns whole
 * groups, so any split gives the decisions of one run over every SKU.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** What grouping reads of a SKU. */
export interface GroupItem {
  /** The SKU. */
  sku: string;
  /** Its category. */
  category: string;
  /** Its price family, if any. */
  family?: string | null;
}

/** A set of SKUs priced together: the items' indexes, in input order. */
export interface PricingUnit {
  /** The smallest category of the unit: its stable name. */
  key: string;
  /** Indexes of its items, ascending. */
  members: number[];
}

/**
 * The connected units of categories and families: two SKUs are in one unit when they
 * share a category or a family, directly or through others. Units come in the order
 * of their first item.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pricingUnits } from "./groups.ts";
 *
 * const units = pricingUnits([
 *   { sku: "A", category: "tea" },
 *   { sku: "B", category: "coffee", family: "house" },
 *   { sku: "C", category: "tea", family: "house" },
 *   { sku: "D", category: "juice" },
 * ]);
 * assert.deepEqual(units.map((u) => [u.key, u.members]), [["coffee", [0, 1, 2]], ["juice", [3]]]);
 * ```
 */
export function pricingUnits(items: readonly GroupItem[]): PricingUnit[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    while (parent.get(x) !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const node = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
    return x;
  };
  const union = (a: string, b: string) => {
    const ra = find(node(a)), rb = find(node(b));
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const it of items) {
    node(`c:${it.category}`);
    if (it.family != null) union(`c:${it.category}`, `f:${it.family}`);
  }
  const units = new Map<string, PricingUnit>();
  const keyOf = new Map<string, string>();
  // A unit's key: its smallest category.
  for (const it of items) {
    const root = find(`c:${it.category}`);
    const k = keyOf.get(root);
    if (k === undefined || it.category < k) keyOf.set(root, it.category);
  }
  items.forEach((it, i) => {
    const root = find(`c:${it.category}`);
    let u = units.get(root);
    if (!u) units.set(root, u = { key: keyOf.get(root)!, members: [] });
    u.members.push(i);
  });
  return [...units.values()];
}

/**
 * Units packed into chunks of about `size` items (a unit larger than `size` is a chunk
 * of its own), each chunk's indexes ascending.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { chunkUnits } from "./groups.ts";
 *
 * const units = [{ key: "a", members: [0, 2] }, { key: "b", members: [1] }, { key: "c", members: [3, 4, 5] }];
 * assert.deepEqual(chunkUnits(units, 3), [[0, 1, 2], [3, 4, 5]]);
 * ```
 */
export function chunkUnits(units: readonly PricingUnit[], size: number): number[][] {
  const out: number[][] = [];
  let chunk: number[] = [];
  for (const u of units) {
    if (chunk.length && chunk.length + u.members.length > size) {
      out.push(chunk.sort((a, b) => a - b));
      chunk = [];
    }
    chunk.push(...u.members);
  }
  if (chunk.length) out.push(chunk.sort((a, b) => a - b));
  return out;
}

/**
 * The shard (0-based) a unit belongs to among `shards`: a stable hash of its key, so
 * every process and every day agree without coordination.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardOf } from "./groups.ts";
 *
 * assert.equal(shardOf("snacks", 1), 0);
 * assert.equal(shardOf("snacks", 3), shardOf("snacks", 3));
 * assert.ok(shardOf("snacks", 3) < 3);
 * ```
 */
export function shardOf(key: string, shards: number): number {
  const h = createHash("sha256").update(key).digest();
  return h.readUInt32BE(0) % shards;
}
