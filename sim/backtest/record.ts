/**
 * A report as the store keeps it for the site: key fields, the whole report and
 * one row of headline metrics per strategy.
 *
 * @module
 */
import type { BacktestPricePath } from "../../engine/schema/backtest.ts";
import type { NewBacktest } from "../../engine/store/writer.ts";
import type { BacktestReport } from "./report.ts";
import type { BacktestStrategy } from "./strategies.ts";

/** The store record of a report, with the price paths to keep beside it (see `pricePaths`). */
export function backtestRecord(
  r: BacktestReport,
  pricePaths: readonly BacktestPricePath[] = [],
): NewBacktest {
  return {
    pricePaths,
    scenario: r.scenario,
    seed: r.seed,
    skus: r.skus,
    days: r.days,
    fromDate: r.from,
    toDate: r.to,
    mlOracleCapture: r.ml_oracle_capture,
    mlModel: r.ml_model ?? null,
    report: r as unknown as Record<string, unknown>,
    strategies: (Object.keys(r.strategies) as BacktestStrategy[]).map((name) => {
      const s = r.strategies[name]!;
      const d = r.vs_static[name]?.profit ?? null;
      return {
        strategy: name,
        revenue: s.revenue,
        profit: s.profit,
        units: s.units,
        lost_units: s.lost_units,
        stockout_days: s.stockout_days,
        avg_margin: s.avg_margin,
        price_changes: s.price_changes,
        profit_vs_static_pct: d?.pct ?? null,
        profit_vs_static_lo: d?.pct_ci95[0] ?? null,
        profit_vs_static_hi: d?.pct_ci95[1] ?? null,
      };
    }),
  };
}
