/**
 * Migration 15: `decision_pairs`, each succeeded run's forecasts in a compact
 * form (run date, SKU, category, strategy, expected units), so that the daily
 * monitoring reads its 30-day window of forecasts without parsing 30 days of
 * feature snapshots (at 100,000 SKUs, three million JSON documents a day). It
 * is derived from `decisions` and `feature_snapshots` (the audit tables) and is
 * written with them when a run seals; the runs already stored are filled in
 * here.
 *
 * @module
 */
import type { Migration } from "../migrations.ts";

export const decisionPairs: Migration = {
  auditTables: [],
  version: 15,
  name: "decision pairs: each succeeded run's forecasts, compact",
  sql: `
CREATE TABLE decision_pairs (
  run_date TEXT NOT NULL,
  sku TEXT NOT NULL,
  category TEXT,
  strategy TEXT NOT NULL,
  expected_units REAL NOT NULL,
  PRIMARY KEY (run_date, sku)
) WITHOUT ROWID, STRICT;
INSERT INTO decision_pairs (run_date, sku, category, strategy, expected_units)
SELECT d.run_date, d.sku, json_extract(f.features, '$.category'), d.strategy, d.expected_units
FROM v_runs r
JOIN decisions d ON d.run_id = r.run_id
JOIN feature_snapshots f ON f.run_date = d.run_date AND f.sku = d.sku
WHERE r.status = 'succeeded'
ORDER BY d.run_date, d.sku;
`,
};
