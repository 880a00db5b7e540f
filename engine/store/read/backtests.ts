/**
 * Read-only queries of stored backtests and their strategies.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import type { Infer } from "../../schema/common.ts";
import { BacktestPricePath, StrategyTotals } from "../../schema/backtest.ts";
import { rows } from "./_rows.ts";

const /** @ignore */ _BacktestStrategyRow = StrategyTotals.extend({
  backtest_id: z.string(),
  strategy: z.enum(["ml", "rule", "static", "oracle"]),
  profit_vs_static_pct: z.number().nullable(),
  profit_vs_static_lo: z.number().nullable(),
  profit_vs_static_hi: z.number().nullable(),
});
/** A stored backtest strategy's headline metrics. */
export const BacktestStrategyRow: typeof _BacktestStrategyRow = _BacktestStrategyRow;
/** The type {@linkcode BacktestStrategyRow} parses to. */
export type BacktestStrategyRow = Infer<typeof BacktestStrategyRow>;

const /** @ignore */ _BacktestRow = z.object({
  backtest_id: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  skus: z.number().int(),
  days: z.number().int(),
  from_date: z.string(),
  to_date: z.string(),
  ml_oracle_capture: z.number().nullable(),
  /**
   * The registered model ML priced with, fixed (no retraining); null when ML trained its own,
   * absent in a store older than schema version 10.
   */
  ml_model: z.string().nullable().optional(),
  recorded_at: z.string().nullable(),
  report: z.record(z.string(), z.unknown()).optional(),
  strategies: z.array(BacktestStrategyRow),
});
/** A stored backtest (the report only when asked for). */
export const BacktestRow: typeof _BacktestRow = _BacktestRow;
/** The type {@linkcode BacktestRow} parses to. */
export type BacktestRow = Infer<typeof BacktestRow>;

/**
 * Stored backtests, the latest stored first, each with its strategies (static, rule,
 * ml, oracle). A store older than the backtest tables (a read-only store cannot
 * migrate) has none.
 *
 * @param db The store.
 * @param options `backtestId`, `scenario` or `mlModel` (the registered model ML priced
 * with): only those; `withReport`: include each whole report (default false: they are large).
 * @returns The backtests.
 *
 * @example Usage
 * ```ts
 * import { readBacktests } from "./backtests.ts";
 * import { openStore, transaction } from "../db.ts";
 * import { appendBacktest } from "../write/backtests.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const { backtest_id } = transaction(db, () =>
 *   appendBacktest(db, {
 *     scenario: "default", seed: 1, skus: 2, days: 7, fromDate: "2025-01-01", toDate: "2025-01-07",
 *     mlOracleCapture: null, report: { note: "a tiny example" }, strategies: [],
 *   }, null));
 * assert.equal(readBacktests(db, { scenario: "default" })[0].backtest_id, backtest_id);
 * assert.equal(readBacktests(db)[0].report, undefined);
 * assert.deepEqual(readBacktests(db, { withReport: true })[0].report, { note: "a tiny example" });
 * assert.deepEqual(readBacktests(db, { scenario: "regime-shift" }), []);
 * // A backtest of a registered model is found by the model's version.
 * transaction(db, () =>
 *   appendBacktest(db, {
 *     scenario: "default", seed: 1, skus: 2, days: 7, fromDate: "2025-01-01", toDate: "2025-01-07",
 *     mlOracleCapture: null, report: { ml_model: "gbdt-1" }, strategies: [], mlModel: "gbdt-1",
 *   }, null));
 * assert.deepEqual(readBacktests(db, { mlModel: "gbdt-1" }).map((b) => b.ml_model), ["gbdt-1"]);
 * db.close();
 * ```
 */
export function readBacktests(
  db: DatabaseSync,
  options: { backtestId?: string; scenario?: string; mlModel?: string; withReport?: boolean } = {},
): BacktestRow[] {
  // A store opened read-only (the site) may predate the backtest tables (migration 5).
  const stored = statement(
    db,
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backtests'",
  ).get();
  if (!stored) return [];
  // ... or the model column (migration 10).
  const withModel = statement(
    db,
    "SELECT 1 FROM pragma_table_info('backtests') WHERE name = 'ml_model'",
  ).get();
  if (options.mlModel && !withModel) return [];
  const where: string[] = [];
  const args: string[] = [];
  if (options.backtestId) (where.push("backtest_id = ?"), args.push(options.backtestId));
  if (options.scenario) (where.push("scenario = ?"), args.push(options.scenario));
  if (options.mlModel) (where.push("ml_model = ?"), args.push(options.mlModel));
  const raw = statement(
    db,
    `SELECT backtest_id, scenario, seed, skus, days, from_date, to_date, ml_oracle_capture,
       recorded_at${withModel ? ", ml_model" : ""}${options.withReport ? ", report" : ""}
     FROM backtests ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY rowid DESC`,
  ).all(...args);
  const order = "CASE strategy WHEN 'static' THEN 0 WHEN 'rule' THEN 1 WHEN 'ml' THEN 2 ELSE 3 END";
  const strategies = statement(
    db,
    `SELECT * FROM backtest_strategies WHERE backtest_id = ? ORDER BY ${order}`,
  );
  return rows(BacktestRow, "backtest", raw, (r) => ({
    ...r,
    ...(r.report === undefined ? {} : { report: JSON.parse(String(r.report)) }),
    strategies: strategies.all(String(r.backtest_id)).map((s) => ({ ...s })),
  }));
}

/**
 * The price paths stored with a backtest, by SKU then strategy (none on a store without them).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBacktestPricePaths } from "./backtests.ts";
 * import { openStore, transaction } from "../db.ts";
 * import { appendBacktest, type NewBacktest } from "../write/backtests.ts";
 *
 * const totals = {
 *   revenue: 1000, profit: 300, units: 400, lost_units: 0, stockout_days: 0, avg_margin: 0.3,
 *   price_changes: 0, profit_vs_static_pct: null, profit_vs_static_lo: null,
 *   profit_vs_static_hi: null,
 * };
 * const path = { sku: "A1", category: "snacks", from_date: "2025-01-01", prices: [2.49, null] };
 * const backtest: NewBacktest = {
 *   scenario: "default", seed: 1, skus: 1, days: 2, fromDate: "2025-01-01", toDate: "2025-01-02",
 *   mlOracleCapture: null, report: { note: "a tiny example" },
 *   strategies: [{ ...totals, strategy: "static" }, { ...totals, strategy: "rule" }],
 *   pricePaths: [{ ...path, strategy: "rule" }, { ...path, strategy: "static" }],
 * };
 * const db = openStore(":memory:");
 * const { backtest_id } = transaction(db, () => appendBacktest(db, backtest, null));
 * const paths = readBacktestPricePaths(db, backtest_id);
 * assert.deepEqual(paths.map((p) => p.strategy), ["static", "rule"]);
 * assert.deepEqual(paths[0].prices, [2.49, null]);
 * assert.deepEqual(readBacktestPricePaths(db, "no such backtest"), []);
 * db.close();
 * ```
 */
export function readBacktestPricePaths(db: DatabaseSync, backtestId: string): BacktestPricePath[] {
  const stored = statement(
    db,
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backtest_price_paths'",
  ).get();
  if (!stored) return [];
  const order = "CASE strategy WHEN 'static' THEN 0 WHEN 'rule' THEN 1 WHEN 'ml' THEN 2 ELSE 3 END";
  const raw = statement(
    db,
    `SELECT sku, category, strategy, from_date, prices FROM backtest_price_paths
     WHERE backtest_id = ? ORDER BY sku, ${order}`,
  ).all(backtestId);
  return rows(
    BacktestPricePath,
    "backtest price path",
    raw,
    (r) => ({ ...r, prices: JSON.parse(String(r.prices)) }),
  );
}
