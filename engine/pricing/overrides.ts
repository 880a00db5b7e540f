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

/** Whether `o` applies to any SKU on `date` (in its window and not revoked). */
export function isInForce(o: OverrideRecord, date: string): boolean {
  return o.revocation_id === null && o.effective_from <= date && date < o.expires_at;
}

/** Whether `o` covers a SKU of a category, regardless of dates. */
export function covers(o: OverrideRecord, sku: string, category: string): boolean {
  return o.scope === "all" || (o.scope === "sku" && o.target === sku) ||
    (o.scope === "category" && o.target === category);
}

/** Resolves overrides once per run date; `forSku` then answers per SKU. */
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
