import assert from "node:assert/strict";
import type { OverrideRecord } from "../schema/pricing.ts";
import { overrideResolver } from "./overrides.ts";

let nextId = 1;
function o(partial: Partial<OverrideRecord>): OverrideRecord {
  return {
    id: nextId++,
    kind: "PRICE_FREEZE",
    scope: "all",
    target: null,
    effective_from: "2025-01-01",
    expires_at: "2025-02-01",
    actor: "ops",
    reason: "test",
    recorded_at: null,
    revocation_id: null,
    revoked_by: null,
    revoke_reason: null,
    ...partial,
  };
}

Deno.test("overrideResolver() prefers sku over category over all", () => {
  const all = o({ scope: "all", kind: "PRICE_FREEZE" });
  const cat = o({ scope: "category", target: "snacks", kind: "FORCE_RULE_BASED" });
  const sku = o({ scope: "sku", target: "A1", kind: "FORCE_RULE_BASED" });
  const r = overrideResolver([all, cat, sku], "2025-01-10");
  assert.equal(r.forSku("A1", "snacks")?.id, sku.id);
  assert.equal(r.forSku("A2", "snacks")?.id, cat.id);
  assert.equal(r.forSku("A3", "dairy")?.id, all.id);
});

Deno.test("overrideResolver() lets PRICE_FREEZE beat FORCE_RULE_BASED at equal scope", () => {
  const rule = o({ scope: "sku", target: "A1", kind: "FORCE_RULE_BASED" });
  const freeze = o({ scope: "sku", target: "A1", kind: "PRICE_FREEZE" });
  assert.equal(overrideResolver([freeze, rule], "2025-01-10").forSku("A1", "x")?.id, freeze.id);
});

Deno.test("an override applies from effective_from up to, not including, expires_at", () => {
  const x = o({
    scope: "sku",
    target: "A1",
    effective_from: "2025-01-05",
    expires_at: "2025-01-08",
  });
  const on = (d: string) => overrideResolver([x], d).forSku("A1", "c")?.id ?? null;
  assert.equal(on("2025-01-04"), null);
  assert.equal(on("2025-01-05"), x.id);
  assert.equal(on("2025-01-07"), x.id);
  assert.equal(on("2025-01-08"), null);
});

Deno.test("a revoked override no longer applies and the next one takes over", () => {
  const cat = o({ scope: "category", target: "c", kind: "FORCE_RULE_BASED" });
  const sku = o({ scope: "sku", target: "A1", revocation_id: 9, revoked_by: "ops" });
  assert.equal(overrideResolver([cat, sku], "2025-01-10").forSku("A1", "c")?.id, cat.id);
});
