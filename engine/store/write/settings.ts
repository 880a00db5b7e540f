/**
 * Writes of the store's pricing settings (objectives and business rules).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { parseInput } from "../../schema/common.ts";
import { PricingSettingsRequest } from "../../schema/rules.ts";
import { canonicalJson } from "../../util/hash.ts";

/**
 * Records the whole setting of one scope from a date on; returns its id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../db.ts";
 * import { appendPricingSettings } from "./settings.ts";
 *
 * const db = openStore(":memory:");
 * const request = {
 *   scope: "store" as const, target: null, effective_from: "2025-02-01",
 *   settings: { objective: "revenue" as const }, actor: "ops", reason: "grow the basket",
 * };
 * assert.equal(appendPricingSettings(db, request, null), 1);
 * const malformed = { ...request, target: "snacks" }; // the store scope names no target
 * assert.throws(() => appendPricingSettings(db, malformed, null), TypeError);
 * db.close();
 * ```
 */
export function appendPricingSettings(
  db: DatabaseSync,
  request: PricingSettingsRequest,
  recordedAt: string | null,
): number {
  const r = parseInput(PricingSettingsRequest, request, "record the pricing settings");
  const result = statement(
    db,
    `INSERT INTO pricing_settings (scope, target, effective_from, settings, actor, reason, recorded_at)
     VALUES (?,?,?,?,?,?,?)`,
  ).run(
    r.scope,
    r.target,
    r.effective_from,
    canonicalJson(r.settings),
    r.actor,
    r.reason,
    recordedAt,
  );
  return Number(result.lastInsertRowid);
}
