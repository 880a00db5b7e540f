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
  strategy: "ml" | "rule" | "static" | "oracle";
  /** Profit against static in percent, with its 95% bootstrap interval (null for static). */
  profit_vs_static_pct: number | null;
  profit_vs_static_lo: number | null;
  profit_vs_static_hi: number | null;
}

/** A backtest to store: its key fields, the whole report and one row per strategy. */
export interface NewBacktest {
  scenario: string;
  seed: number;
  skus: number;
  days: number;
  fromDate: string;
  toDate: string;
  mlOracleCapture: number | null;
  report: Record<string, unknown>;
  strategies: readonly NewBacktestStrategy[];
  /** Daily prices of a sample of SKUs per strategy (the backtests page's price paths). */
  pricePaths?: readonly BacktestPricePath[];
}

/**
 * Appends a backtest and its strategies (call inside a transaction), keyed by the
 * sha256 of the report; a report already stored changes nothing, except that its price
 * paths are added when it was stored without any. Returns the id and whether it was new.
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
        ml_oracle_capture, report, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
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
