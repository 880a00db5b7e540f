/**
 * Writes of stored backtests and their per-strategy rows.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { canonicalJson, sha256Hex } from "../../util/hash.ts";
import { BacktestPricePath, type StrategyTotals } from "../../schema/backtest.ts";
import { parseOrThrow } from "../../schema/common.ts";

/** One strategy's headline metrics in a stored backtest. */
export interface NewBacktestStrategy extends StrategyTotals {
  /** The strategy; `oracle` optimizes on the simulator's true demand. */
  strategy: "ml" | "rule" | "static" | "oracle";
  /** Profit against static in percent (null for static). */
  profit_vs_static_pct: number | null;
  /** Lower end of its 95% bootstrap interval (null for static). */
  profit_vs_static_lo: number | null;
  /** Upper end of its 95% bootstrap interval (null for static). */
  profit_vs_static_hi: number | null;
}

/** A backtest to store: its key fields, the whole report and one row per strategy. */
export interface NewBacktest {
  /** The simulator scenario's name. */
  scenario: string;
  /** The simulator's seed. */
  seed: number;
  /** SKUs simulated. */
  skus: number;
  /** Days priced. */
  days: number;
  /** First priced day, `YYYY-MM-DD`. */
  fromDate: string;
  /** Last priced day, `YYYY-MM-DD`. */
  toDate: string;
  /** The share of the oracle's profit gain over static that ML captured, or null. */
  mlOracleCapture: number | null;
  /** The whole report; its sha256 is the backtest's id. */
  report: Record<string, unknown>;
  /** One row per strategy. */
  strategies: readonly NewBacktestStrategy[];
  /** Daily prices of a sample of SKUs per strategy (the backtests page's price paths). */
  pricePaths?: readonly BacktestPricePath[];
  /** The registered model ML priced with, fixed (no retraining). Default null: ML trained its own. */
  mlModel?: string | null;
}

/**
 * Stores a backtest and its strategies, keyed by the sha256 of the report's
 * canonical JSON: a report already stored changes nothing, except that its price
 * paths are added when it was stored without any. Call it inside a
 * transaction, so that a backtest is stored with all its strategies or not at all.
 *
 * @param db A connection open for writing.
 * @param b The backtest.
 * @param recordedAt Wall-clock time supplied by the caller, or null.
 * @returns The backtest's id and whether this call stored it.
 *
 * @example Usage
 * ```ts
 * import { appendBacktest, type NewBacktest } from "./backtests.ts";
 * import { openStore, transaction } from "../db.ts";
 * import { readBacktests } from "../read/backtests.ts";
 * import assert from "node:assert/strict";
 *
 * const totals = {
 *   revenue: 1000, profit: 300, units: 400, lost_units: 0, stockout_days: 0, avg_margin: 0.3,
 *   price_changes: 0,
 * };
 * const backtest: NewBacktest = {
 *   scenario: "default", seed: 1, skus: 2, days: 7, fromDate: "2025-01-01", toDate: "2025-01-07",
 *   mlOracleCapture: null, report: { note: "a tiny example" },
 *   strategies: [{
 *     ...totals, strategy: "static", profit_vs_static_pct: null, profit_vs_static_lo: null,
 *     profit_vs_static_hi: null,
 *   }],
 * };
 * const db = openStore(":memory:");
 * const first = transaction(db, () => appendBacktest(db, backtest, null));
 * const again = transaction(db, () => appendBacktest(db, backtest, null));
 * assert.deepEqual([first.stored, again.stored], [true, false]);
 * assert.equal(readBacktests(db)[0].strategies[0].profit, 300);
 * db.close();
 * ```
 */
export function appendBacktest(
  db: DatabaseSync,
  b: NewBacktest,
  recordedAt: string | null,
): { backtest_id: string; stored: boolean } {
  const id = sha256Hex(canonicalJson(b.report));
  {
    if (statement(db, "SELECT 1 FROM backtests WHERE backtest_id = ?").get(id)) {
      const paths = statement(db, "SELECT 1 FROM backtest_price_paths WHERE backtest_id = ?");
      if (!paths.get(id)) appendPricePaths(db, id, b.pricePaths ?? []);
      return { backtest_id: id, stored: false };
    }
    statement(
      db,
      `INSERT INTO backtests (backtest_id, scenario, seed, skus, days, from_date, to_date,
        ml_oracle_capture, report, recorded_at, ml_model) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
    ).run(
      id,
      b.scenario,
      b.seed,
      b.skus,
      b.days,
      b.fromDate,
      b.toDate,
      b.mlOracleCapture,
      canonicalJson(b.report),
      recordedAt,
      b.mlModel ?? null,
    );
    const insert = statement(
      db,
      `INSERT INTO backtest_strategies (backtest_id, strategy, revenue, profit, units, lost_units,
        stockout_days, avg_margin, price_changes, profit_vs_static_pct, profit_vs_static_lo,
        profit_vs_static_hi) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const s of b.strategies) {
      insert.run(
        id,
        s.strategy,
        s.revenue,
        s.profit,
        s.units,
        s.lost_units,
        s.stockout_days,
        s.avg_margin,
        s.price_changes,
        s.profit_vs_static_pct,
        s.profit_vs_static_lo,
        s.profit_vs_static_hi,
      );
    }
    appendPricePaths(db, id, b.pricePaths ?? []);
    return { backtest_id: id, stored: true };
  }
}

function appendPricePaths(
  db: DatabaseSync,
  backtestId: string,
  paths: readonly BacktestPricePath[],
): void {
  const insert = statement(
    db,
    `INSERT INTO backtest_price_paths (backtest_id, sku, category, strategy, from_date, prices)
     VALUES (?,?,?,?,?,?)`,
  );
  paths.forEach((raw, i) => {
    const p = parseOrThrow(
      BacktestPricePath,
      raw,
      `store price path ${i + 1} of backtest ${backtestId.slice(0, 12)}`,
    );
    insert.run(backtestId, p.sku, p.category, p.strategy, p.from_date, JSON.stringify(p.prices));
  });
}
