/**
 * Which override, if any, governs a SKU on a run date. Overrides are intent:
 * they are resolved when a run executes, for that run's date.
 *
 * Rules: an override applies on date D when effective_from <= D < expires_at
 * and it has not been revoked. The most specific scope wins (sku, then
 * category, then all); at equal scope PRICE_FREEZE beats FORCE_RULE_BASED;
 * at equal scope and kind the most recently recorded wins.
 *
 * @module
 */
import type { OverrideKind, OverrideRecord, OverrideScope } from "../schema/pricing.ts";

const SCOPE_RANK: Record<OverrideScope, number> = { sku: 0, category: 1, all: 2 };
const KIND_RANK: Record<OverrideKind, number> = { PRICE_FREEZE: 0, FORCE_RULE_BASED: 1 };

/**
 * Whether an override applies on a date: `effective_from <= date < expires_at` and
 * not revoked.
 *
 * @param o The override.
 * @param date The date, `YYYY-MM-DD`.
 * @returns True when it is in force.
 *
 * @example Usage
 * ```ts
 * import { isInForce } from "./overrides.ts";
 * import type { OverrideRecord } from "../schema/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const freeze: OverrideRecord = {
 *   id: 1, kind: "PRICE_FREEZE", scope: "category", target: "snacks", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal", recorded_at: null,
 *   revocation_id: null, revoked_by: null, revoke_reason: null,
 * };
 * assert.equal(isInForce(freeze, "2025-01-08"), true);
 * assert.equal(isInForce(freeze, "2025-02-01"), false);
 * assert.equal(isInForce({ ...freeze, revocation_id: 1 }, "2025-01-08"), false);
 * ```
 */
export function isInForce(o: OverrideRecord, date: string): boolean {
  return o.revocation_id === null && o.effective_from <= date && date < o.expires_at;
}

/**
 * Whether an override covers a SKU, regardless of dates.
 *
 * @param o The override.
 * @param sku The SKU.
 * @param category The SKU's category.
 * @returns True when the scope is `all`, or names the SKU or its category.
 *
 * @example Usage
 * ```ts
 * import { covers } from "./overrides.ts";
 * import type { OverrideRecord } from "../schema/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const freeze: OverrideRecord = {
 *   id: 1, kind: "PRICE_FREEZE", scope: "category", target: "snacks", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal", recorded_at: null,
 *   revocation_id: null, revoked_by: null, revoke_reason: null,
 * };
 * assert.equal(covers(freeze, "A1", "snacks"), true);
 * assert.equal(covers(freeze, "A1", "drinks"), false);
 * ```
 */
export function covers(o: OverrideRecord, sku: string, category: string): boolean {
  return o.scope === "all" || (o.scope === "sku" && o.target === sku) ||
    (o.scope === "category" && o.target === category);
}

/**
 * Resolves overrides once for a run date: `inForce` lists those in force, most
 * specific first, and `forSku` gives the one that governs a SKU: the most specific
 * scope (SKU, then category, then all); at equal scope `PRICE_FREEZE` before
 * `FORCE_RULE_BASED`; then the most recently recorded.
 *
 * @param overrides The overrides a run sees.
 * @param date The run date, `YYYY-MM-DD`.
 * @returns `forSku(sku, category)` (null when none governs it) and `inForce`.
 *
 * @example Usage
 * ```ts
 * import { overrideResolver } from "./overrides.ts";
 * import type { OverrideRecord } from "../schema/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const freeze: OverrideRecord = {
 *   id: 1, kind: "PRICE_FREEZE", scope: "category", target: "snacks", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal", recorded_at: null,
 *   revocation_id: null, revoked_by: null, revoke_reason: null,
 * };
 * const forceRule: OverrideRecord = {
 *   ...freeze, id: 2, kind: "FORCE_RULE_BASED", scope: "sku", target: "A1",
 * };
 * const resolve = overrideResolver([freeze, forceRule], "2025-01-10");
 * assert.equal(resolve.forSku("A1", "snacks")?.id, 2); // the SKU scope wins
 * assert.equal(resolve.forSku("B2", "snacks")?.id, 1);
 * assert.equal(resolve.forSku("C3", "drinks"), null);
 * ```
 */
export function overrideResolver(
  overrides: readonly OverrideRecord[],
  date: string,
): { forSku(sku: string, category: string): OverrideRecord | null; inForce: OverrideRecord[] } {
  const inForce = overrides.filter((o) => isInForce(o, date)).sort((a, b) =>
    SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope] || KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    b.id - a.id
  );
  return {
    inForce,
    forSku: (sku, category) => inForce.find((o) => covers(o, sku, category)) ?? null,
  };
}
