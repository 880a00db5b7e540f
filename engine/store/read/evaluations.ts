/**
 * Read-only queries of evaluations and their verdicts.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { EvaluationRecord, VerdictLine } from "../../schema/evaluation.ts";
import { rows } from "./_rows.ts";

const parse = (r: Record<string, unknown>) => ({ ...r, summary: JSON.parse(String(r.summary)) });

/** Stored evaluations, newest first; of one model's settings with `modelVersion`. */
export function readEvaluations(
  db: DatabaseSync,
  options: { modelVersion?: string; limit?: number } = {},
): EvaluationRecord[] {
  const raw = options.modelVersion === undefined
    ? statement(db, "SELECT * FROM evaluations ORDER BY id DESC LIMIT ?").all(options.limit ?? -1)
    : statement(db, "SELECT * FROM evaluations WHERE model_version = ? ORDER BY id DESC LIMIT ?")
      .all(options.modelVersion, options.limit ?? -1);
  return rows(EvaluationRecord, "evaluation", raw, parse);
}

/** The latest evaluation of a model, or null: its verdict is the one the daily run applies. */
export function readLatestEvaluation(
  db: DatabaseSync,
  modelVersion: string,
): EvaluationRecord | null {
  return readEvaluations(db, { modelVersion, limit: 1 })[0] ?? null;
}

/** The SKUs an evaluation's verdict leaves to the rule, by SKU. */
export function readVerdictLines(db: DatabaseSync, evaluationId: number): VerdictLine[] {
  const raw = statement(
    db,
    `SELECT sku, category, reason_code, detail FROM evaluation_verdicts
     WHERE evaluation_id = ? ORDER BY sku`,
  ).all(evaluationId);
  return rows(VerdictLine, "evaluation verdict", raw);
}
