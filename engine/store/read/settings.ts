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
 * Every pricing setting effective on or before `date` (all of them without one), in the
 * order recorded. An empty list in a store older than the settings table.
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
