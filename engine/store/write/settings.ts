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

/** Records the whole setting of one scope from a date on; returns its id. */
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
