/**
 * Migration 10: where a model came from and what it was judged on. Every model
 * records what registered it (`source`: a notebook's path, a task, the backtest)
 * and the data scientist's `note`; a stored backtest names the registered model
 * its ML strategy priced with, fixed (`ml_model`), so that the registry can show
 * each model's backtests. Columns are appended; existing rows keep NULL (no
 * provenance was recorded before).
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { plainText } from "./_checks.ts";

/** Migration 10: `models.source`, `models.note` and `backtests.ml_model`. */
export const provenance: Migration = {
  auditTables: [],
  version: 10,
  name: "model provenance and the backtests of a registered model",
  sql: `
ALTER TABLE models ADD COLUMN source TEXT
  CHECK (source IS NULL OR (length(source) >= 1 AND ${plainText("source", 200)}));
ALTER TABLE models ADD COLUMN note TEXT
  CHECK (note IS NULL OR (length(note) >= 1 AND ${plainText("note", 2000)}));
ALTER TABLE backtests ADD COLUMN ml_model TEXT
  CHECK (ml_model IS NULL OR length(ml_model) >= 1);
CREATE INDEX backtests_by_ml_model ON backtests (ml_model);
`,
};
