/**
 * Migration 9: price lines in the catalog (family, size, key-value item), and the
 * store's pricing settings (objectives and business rules, per store and category).
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";

/** The tables this migration makes append-only. */
const AUDIT = ["pricing_settings"];

export const pricingRules: Migration = {
  auditTables: AUDIT,
  version: 9,
  name: "price lines in the catalog and the store's pricing settings",
  sql: `
-- Optional: existing rows and stores without price lines read as no family, no size, not a KVI.
ALTER TABLE catalog ADD COLUMN family TEXT CHECK (family IS NULL OR length(family) BETWEEN 1 AND 64);
ALTER TABLE catalog ADD COLUMN size REAL CHECK (size IS NULL OR size > 0);
ALTER TABLE catalog ADD COLUMN key_value_item INTEGER NOT NULL DEFAULT 0
  CHECK (key_value_item IN (0, 1));

-- The whole setting of one scope (the store, or a category) from effective_from on: the
-- latest row effective on a run date wins, per scope. settings is the canonical JSON of
-- the PricingRules schema; a run records the settings it resolved (run start details).
CREATE TABLE pricing_settings (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('store', 'category')),
  target TEXT,
  effective_from TEXT NOT NULL,
  settings TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT,
  CHECK ((scope = 'store') = (target IS NULL))
) STRICT;
CREATE INDEX pricing_settings_by_date ON pricing_settings (effective_from, id);
${appendOnly("pricing_settings", [["id"]])}
`,
};
