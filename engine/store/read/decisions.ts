/**
 * Read-only queries of decisions beyond a whole run's: without their
 * explanations (lists), a page of a run's decisions, one decision, and one SKU's
 * decisions over time.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { z } from "zod";
import { statement } from "../db.ts";
import { Decision } from "../../schema/pricing.ts";
import { flag, rows } from "./_rows.ts";

/** A decision without its explanation (what lists of decisions show). */
export const DecisionSummary = Decision.omit({ explanation: true });
export type DecisionSummary = z.infer<typeof DecisionSummary>;

const SUMMARY_COLUMNS = `d.run_id, d.run_date, d.sku, d.strategy, d.override_id, d.override_kind,
  d.snapshot_id, d.model_version, d.previous_price, d.price, d.expected_units, d.expected_revenue,
  d.expected_profit, d.infeasible, d.conflict, d.binding, d.reason_codes`;

const decisionRow = (r: Record<string, unknown>) => ({
  ...r,
  infeasible: flag(r.infeasible),
  binding: JSON.parse(String(r.binding)),
  reason_codes: JSON.parse(String(r.reason_codes)),
  ...(r.explanation === undefined ? {} : { explanation: JSON.parse(String(r.explanation)) }),
});

/** Options of {@linkcode readSkuDecisions}. */
export interface SkuDecisionsOptions {
  /** Run dates from (inclusive). Default: the first. */
  from?: string;
  /** Run dates before (exclusive). Default: no end. */
  to?: string;
}

/** The decisions of a SKU by succeeded runs dated in [from, to), by run date, with explanations. */
export function readSkuDecisions(
  db: DatabaseSync,
  sku: string,
  options: SkuDecisionsOptions = {},
): Decision[] {
  return rows(Decision, "decision", skuDecisionRows(db, sku, options, true), decisionRow);
}

/** {@linkcode readSkuDecisions} without the explanations. */
export function readSkuDecisionSummaries(
  db: DatabaseSync,
  sku: string,
  options: SkuDecisionsOptions = {},
): DecisionSummary[] {
  return rows(DecisionSummary, "decision", skuDecisionRows(db, sku, options, false), decisionRow);
}

function skuDecisionRows(
  db: DatabaseSync,
  sku: string,
  options: SkuDecisionsOptions,
  explanation: boolean,
): Record<string, unknown>[] {
  return statement(
    db,
    `SELECT ${SUMMARY_COLUMNS}${explanation ? ", d.explanation" : ""} FROM decisions d
     WHERE d.sku = ? AND d.run_date >= ? AND d.run_date < ?
       AND (SELECT e.event FROM run_events e WHERE e.run_id = d.run_id ORDER BY e.id DESC LIMIT 1)
         = 'succeeded'
     ORDER BY d.run_date`,
  ).all(sku, options.from ?? "0000-01-01", options.to ?? "9999-12-31");
}

/** One decision with its explanation, or null when run `runId` did not price `sku`. */
export function readDecision(db: DatabaseSync, runId: string, sku: string): Decision | null {
  const raw = statement(
    db,
    `SELECT ${SUMMARY_COLUMNS}, d.explanation FROM decisions d WHERE d.run_id = ? AND d.sku = ?`,
  ).all(runId, sku);
  return rows(Decision, "decision", raw, decisionRow)[0] ?? null;
}

/** Options of {@linkcode readDecisionPage}. */
export interface DecisionPageOptions {
  offset?: number;
  /** Default 100. */
  limit?: number;
  strategy?: string;
  /** Only SKUs whose code contains this text (case-insensitive). */
  sku?: string;
}

/** A page of a run's decisions by SKU, without explanations, and how many match in all. */
export function readDecisionPage(
  db: DatabaseSync,
  runId: string,
  options: DecisionPageOptions = {},
): { total: number; decisions: DecisionSummary[] } {
  const where = `WHERE d.run_id = ? AND (? IS NULL OR d.strategy = ?)
    AND (? IS NULL OR instr(lower(d.sku), lower(?)) > 0)`;
  const args = [
    runId,
    options.strategy ?? null,
    options.strategy ?? null,
    options.sku ?? null,
    options.sku ?? null,
  ];
  const total = Number(
    statement(db, `SELECT count(*) AS n FROM decisions d ${where}`).get(...args)?.n ?? 0,
  );
  const raw = statement(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM decisions d ${where} ORDER BY d.sku LIMIT ? OFFSET ?`,
  ).all(...args, options.limit ?? 100, options.offset ?? 0);
  return { total, decisions: rows(DecisionSummary, "decision", raw, decisionRow) };
}
