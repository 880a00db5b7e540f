/**
 * Writes of evaluations and their verdicts.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { canonicalJson } from "../../util/hash.ts";
import type { VerdictLine } from "../../schema/evaluation.ts";

/** An evaluation to store. */
export interface NewEvaluation {
  /** The registered model whose settings were evaluated. */
  modelVersion: string;
  /** The store's pricing period. */
  period: "day" | "week";
  /** First evaluated period. */
  fromDate: string;
  /** Last evaluated period. */
  toDate: string;
  /** Periods evaluated. */
  periods: number;
  /** Its figures. */
  summary: Record<string, unknown>;
  /** The SKUs its verdict leaves to the rule. */
  verdicts: readonly VerdictLine[];
  /** Who evaluated. */
  actor: string;
  /** Wall-clock time supplied by the caller, or null. */
  recordedAt: string | null;
}

/**
 * Appends an evaluation and its verdict lines; call it inside a transaction.
 *
 * @param db A connection open for writing.
 * @param e The evaluation.
 * @returns Its id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendEvaluation, openStore, readLatestEvaluation, transaction } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * const id = transaction(db, () =>
 *   appendEvaluation(db, {
 *     modelVersion: "gbdt-1", period: "week", fromDate: "2020-04-09", toDate: "2020-10-01",
 *     periods: 26, summary: { wape: { model: 0.3 } }, actor: "ann", recordedAt: null,
 *     verdicts: [{
 *       sku: "S002-B01", category: "premium", reason_code: "ML_UNTRUSTED_PRICE_RESPONSE",
 *       detail: "sign agreement 0.4 on 8 moves",
 *     }],
 *   }));
 * assert.equal(readLatestEvaluation(db, "gbdt-1")?.id, id);
 * ```
 */
export function appendEvaluation(db: DatabaseSync, e: NewEvaluation): number {
  const r = statement(
    db,
    `INSERT INTO evaluations (model_version, period, from_date, to_date, periods, summary, actor, recorded_at)
     VALUES (?,?,?,?,?,?,?,?)`,
  ).run(
    e.modelVersion,
    e.period,
    e.fromDate,
    e.toDate,
    e.periods,
    canonicalJson(e.summary),
    e.actor,
    e.recordedAt,
  );
  const id = Number(r.lastInsertRowid);
  const insert = statement(
    db,
    `INSERT INTO evaluation_verdicts (evaluation_id, sku, category, reason_code, detail)
     VALUES (?,?,?,?,?)`,
  );
  for (const v of e.verdicts) insert.run(id, v.sku, v.category, v.reason_code, v.detail);
  return id;
}
