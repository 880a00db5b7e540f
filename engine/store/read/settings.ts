/**
 * Read-only queries of the store's pricing settings.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { PricingSettingsRecord } from "../../schema/rules.ts";
import { rows } from "./_rows.ts";

/**
 * Every pricing setting effective on or before `options.effectiveOn` (all of them without
 * it), in the order recorded. An empty list in a store older than the settings table.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../db.ts";
 * import { appendPricingSettings } from "../writer.ts";
 * import { readPricingSettings } from "./settings.ts";
 *
 * const db = openStore(":memory:");
 * const request = {
 *   scope: "store" as const, target: null, effective_from: "2025-02-01",
 *   settings: { objective: "revenue" as const }, actor: "ops", reason: "grow the basket",
 * };
 * appendPricingSettings(db, request, null);
 * appendPricingSettings(db, { ...request, effective_from: "2025-03-01", settings: {} }, null);
 * assert.equal(readPricingSettings(db).length, 2);
 * const inForce = readPricingSettings(db, { effectiveOn: "2025-02-15" });
 * assert.deepEqual(inForce.map((r) => [r.id, r.settings]), [[1, { objective: "revenue" }]]);
 * db.close();
 * ```
 */
export function readPricingSettings(
  db: DatabaseSync,
  options: { effectiveOn?: string } = {},
): PricingSettingsRecord[] {
  const exists = statement(
    db,
    "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'pricing_settings'",
  ).get();
  if (!exists) return [];
  const raw = options.effectiveOn === undefined
    ? statement(db, "SELECT * FROM pricing_settings ORDER BY id").all()
    : statement(db, "SELECT * FROM pricing_settings WHERE effective_from <= ? ORDER BY id")
      .all(options.effectiveOn);
  return rows(
    PricingSettingsRecord,
    "pricing settings",
    raw,
    (r) => ({ ...r, settings: JSON.parse(String(r.settings)) }),
  );
}
