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

/**
 * Stored evaluations, newest first; of one model's settings with `modelVersion`.
 *
 * @param db The store.
 * @param options `modelVersion`: only that model's; `limit`: at most that many.
 * @returns The evaluations, newest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendEvaluation, openStore, readEvaluations, transaction } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const add = (version: string) =>
 *   transaction(db, () =>
 *     appendEvaluation(db, {
 *       modelVersion: version, period: "week", fromDate: "2020-04-09", toDate: "2020-10-01",
 *       periods: 26, summary: { wape: { model: 0.3 } }, actor: "ann", recordedAt: null,
 *       verdicts: [{ sku: "B", category: "tea", reason_code: "ML_UNTRUSTED_PRICE_RESPONSE",
 *         detail: "sign agreement 0.4 on 8 moves" }],
 *     }));
 * add("gbdt-1");
 * add("gbdt-2");
 * assert.deepEqual(readEvaluations(db).map((e) => e.model_version), ["gbdt-2", "gbdt-1"]);
 * assert.equal(readEvaluations(db, { modelVersion: "gbdt-1" }).length, 1);
 * ```
 */
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

/**
 * The latest evaluation of a model, or null: its verdict is the one the daily run applies.
 *
 * @param db The store.
 * @param modelVersion The model.
 * @returns Its latest evaluation, or null when it has none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, readLatestEvaluation } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(readLatestEvaluation(db, "gbdt-1"), null);
 * ```
 */
export function readLatestEvaluation(
  db: DatabaseSync,
  modelVersion: string,
): EvaluationRecord | null {
  return readEvaluations(db, { modelVersion, limit: 1 })[0] ?? null;
}

/**
 * The SKUs an evaluation's verdict leaves to the rule, by SKU.
 *
 * @param db The store.
 * @param evaluationId The evaluation.
 * @returns Its verdict lines, by SKU.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendEvaluation, openStore, readVerdictLines, transaction } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const add = (version: string) =>
 *   transaction(db, () =>
 *     appendEvaluation(db, {
 *       modelVersion: version, period: "week", fromDate: "2020-04-09", toDate: "2020-10-01",
 *       periods: 26, summary: { wape: { model: 0.3 } }, actor: "ann", recordedAt: null,
 *       verdicts: [{ sku: "B", category: "tea", reason_code: "ML_UNTRUSTED_PRICE_RESPONSE",
 *         detail: "sign agreement 0.4 on 8 moves" }],
 *     }));
 * const id = add("gbdt-1");
 * assert.deepEqual(readVerdictLines(db, id).map((v) => [v.sku, v.reason_code]), [
 *   ["B", "ML_UNTRUSTED_PRICE_RESPONSE"],
 * ]);
 * ```
 */
export function readVerdictLines(db: DatabaseSync, evaluationId: number): VerdictLine[] {
  const raw = statement(
    db,
    `SELECT sku, category, reason_code, detail FROM evaluation_verdicts
     WHERE evaluation_id = ? ORDER BY sku`,
  ).all(evaluationId);
  return rows(VerdictLine, "evaluation verdict", raw);
}
