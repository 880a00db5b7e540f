/**
 * Read-only queries of decisions beyond a whole run's: without their
 * explanations (lists), a page of a run's decisions, one decision, and one SKU's
 * decisions over time.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import type { Infer } from "../../schema/common.ts";
import { Decision } from "../../schema/pricing.ts";
import { flag, rows } from "./_rows.ts";

const /** @ignore */ _DecisionSummary = Decision.omit({ explanation: true });
/** A decision without its explanation (what lists of decisions show). */
export const DecisionSummary: typeof _DecisionSummary = _DecisionSummary;
/** The type {@linkcode DecisionSummary} parses to. */
export type DecisionSummary = Infer<typeof DecisionSummary>;

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

/**
 * The decisions of a SKU by succeeded runs dated in [from, to), by run date, with explanations.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../../mod.ts";
 * import { readSkuDecisions } from "./decisions.ts";
 *
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [{ sku: "A1", ...terms }, { sku: "B2", ...terms }]);
 * const day = { date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false };
 * appendSales(db, [{ sku: "A1", ...day }, { sku: "B2", ...day }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const [decision] = readSkuDecisions(db, "A1");
 * assert.equal(decision.run_id, run.run_id);
 * assert.equal(decision.strategy, "rule"); // no approved model
 * assert.ok(decision.explanation);
 * assert.deepEqual(readSkuDecisions(db, "A1", { from: "2025-02-02" }), []);
 * db.close();
 * ```
 */
export function readSkuDecisions(
  db: DatabaseSync,
  sku: string,
  options: SkuDecisionsOptions = {},
): Decision[] {
  return rows(Decision, "decision", skuDecisionRows(db, sku, options, true), decisionRow);
}

/**
 * {@linkcode readSkuDecisions} without the explanations.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../../mod.ts";
 * import { readSkuDecisionSummaries } from "./decisions.ts";
 *
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [{ sku: "A1", ...terms }, { sku: "B2", ...terms }]);
 * const day = { date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false };
 * appendSales(db, [{ sku: "A1", ...day }, { sku: "B2", ...day }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const [summary] = readSkuDecisionSummaries(db, "B2", { to: "2025-02-02" });
 * assert.equal(summary.run_date, "2025-02-01");
 * assert.equal("explanation" in summary, false);
 * db.close();
 * ```
 */
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

/**
 * One decision with its explanation, or null when run `runId` did not price `sku`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../../mod.ts";
 * import { readDecision } from "./decisions.ts";
 *
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [{ sku: "A1", ...terms }, { sku: "B2", ...terms }]);
 * const day = { date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false };
 * appendSales(db, [{ sku: "A1", ...day }, { sku: "B2", ...day }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * assert.equal(readDecision(db, run.run_id, "A1")?.sku, "A1");
 * assert.equal(readDecision(db, run.run_id, "Z9"), null);
 * db.close();
 * ```
 */
export function readDecision(db: DatabaseSync, runId: string, sku: string): Decision | null {
  const raw = statement(
    db,
    `SELECT ${SUMMARY_COLUMNS}, d.explanation FROM decisions d WHERE d.run_id = ? AND d.sku = ?`,
  ).all(runId, sku);
  return rows(Decision, "decision", raw, decisionRow)[0] ?? null;
}

/** Options of {@linkcode readDecisionPage}. */
export interface DecisionPageOptions {
  /** Decisions to skip (by SKU). Default 0. */
  offset?: number;
  /** Most decisions on the page. Default 100. */
  limit?: number;
  /** Only decisions of this strategy (`ml`, `rule` or `static`). Default: every strategy. */
  strategy?: string;
  /** Only SKUs whose code contains this text (case-insensitive). */
  sku?: string;
}

/**
 * A page of a run's decisions by SKU, without explanations, and how many match in all.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, appendSales, openStore, runDaily } from "../../mod.ts";
 * import { readDecisionPage } from "./decisions.ts";
 *
 * const db = openStore(":memory:");
 * const terms = {
 *   effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any" as const,
 *   active: true,
 * };
 * appendCatalog(db, [{ sku: "A1", ...terms }, { sku: "B2", ...terms }]);
 * const day = { date: "2025-01-31", units: 3, revenue: 6, shelf_price: 2, promo: false };
 * appendSales(db, [{ sku: "A1", ...day }, { sku: "B2", ...day }]);
 * const run = runDaily(db, { runDate: "2025-02-01", model: null });
 * const page = readDecisionPage(db, run.run_id, { offset: 1, limit: 1 });
 * assert.equal(page.total, 2);
 * assert.deepEqual(page.decisions.map((d) => d.sku), ["B2"]);
 * assert.equal(readDecisionPage(db, run.run_id, { sku: "a" }).total, 1);
 * assert.equal(readDecisionPage(db, run.run_id, { strategy: "ml" }).total, 0);
 * db.close();
 * ```
 */
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
