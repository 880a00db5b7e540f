/**
 * Migration 11: the evaluations of a model on the store's own data (`deno task
 * evaluate`: rolling-origin forecast accuracy and price response, stored whole)
 * and their verdicts: the SKUs the model should leave to the rule, with the
 * reason code and the evidence. The daily run applies the latest verdict of its
 * model. Both tables are append-only. (Version 9 belongs to other work.)
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";
import { isoDate, plainText, skuCode } from "./_checks.ts";

/** The tables this migration makes append-only. */
const AUDIT = ["evaluations", "evaluation_verdicts"];

/** Migration 11: `evaluations` and `evaluation_verdicts`. */
export const evaluations: Migration = {
  auditTables: AUDIT,
  version: 11,
  name: "evaluations of a model on the store's data and their verdicts",
  sql: `
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  -- The registered model whose settings were evaluated (its verdict applies to it).
  model_version TEXT NOT NULL CHECK (length(model_version) >= 1),
  period TEXT NOT NULL CHECK (period IN ('day', 'week')),
  from_date TEXT NOT NULL CHECK (${isoDate("from_date")}),
  to_date TEXT NOT NULL CHECK (${isoDate("to_date")}),
  periods INTEGER NOT NULL CHECK (periods >= 1),
  -- The evaluation's figures (what deno task evaluate --json prints, verdict aside).
  summary TEXT NOT NULL CHECK (json_valid(summary)),
  actor TEXT NOT NULL CHECK (${plainText("actor", 100)}),
  recorded_at TEXT
) STRICT;
CREATE INDEX evaluations_by_model ON evaluations (model_version, id);

-- A SKU the evaluation's model should leave to the rule, and why.
CREATE TABLE evaluation_verdicts (
  id INTEGER PRIMARY KEY,
  evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
  sku TEXT NOT NULL CHECK (${skuCode("sku")}),
  category TEXT NOT NULL,
  reason_code TEXT NOT NULL CHECK (reason_code IN ('ML_WORSE_THAN_NAIVE', 'ML_UNTRUSTED_PRICE_RESPONSE')),
  detail TEXT NOT NULL CHECK (${plainText("detail", 1000)}),
  UNIQUE (evaluation_id, sku)
) STRICT;
${appendOnly("evaluations", [["id"]])}
${appendOnly("evaluation_verdicts", [["id"], ["evaluation_id", "sku"]])}
`,
};
