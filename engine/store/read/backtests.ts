/**
 * Read-only queries of stored backtests and their strategies.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import { BacktestPricePath, StrategyTotals } from "../../schema/backtest.ts";
import { rows } from "./_rows.ts";

/** A stored backtest strategy's headline metrics. */
export const BacktestStrategyRow = StrategyTotals.extend({
  backtest_id: z.string(),
  strategy: z.enum(["ml", "rule", "static", "oracle"]),
  profit_vs_static_pct: z.number().nullable(),
  profit_vs_static_lo: z.number().nullable(),
  profit_vs_static_hi: z.number().nullable(),
});
export type BacktestStrategyRow = z.infer<typeof BacktestStrategyRow>;

/** A stored backtest (the report only when asked for). */
export const BacktestRow = z.object({
  backtest_id: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  skus: z.number().int(),
  days: z.number().int(),
  from_date: z.string(),
  to_date: z.string(),
  ml_oracle_capture: z.number().nullable(),
  recorded_at: z.string().nullable(),
  report: z.record(z.string(), z.unknown()).optional(),
  strategies: z.array(BacktestStrategyRow),
});
export type BacktestRow = z.infer<typeof BacktestRow>;

/** Stored backtests, latest first, each with its strategies; `withReport` adds the report. */
export function readBacktests(
  db: DatabaseSync,
  options: { backtestId?: string; scenario?: string; withReport?: boolean } = {},
): BacktestRow[] {
  // A store opened read-only (the site) may predate the backtest tables (migration 5).
  const stored = statement(
    db,
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backtests'",
  ).get();
  if (!stored) return [];
  const where: string[] = [];
  const args: string[] = [];
  if (options.backtestId) (where.push("backtest_id = ?"), args.push(options.backtestId));
  if (options.scenario) (where.push("scenario = ?"), args.push(options.scenario));
  const raw = statement(
    db,
    `SELECT backtest_id, scenario, seed, skus, days, from_date, to_date, ml_oracle_capture,
       recorded_at${options.withReport ? ", report" : ""}
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

/** The price paths stored with a backtest, by SKU then strategy (none on a store without them). */
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
