/**
 * The backtest report: totals, differences against static with bootstrap
 * intervals, ML's share of the oracle's uplift, a breakdown by category and
 * per-day series. Built only from the runs and the config (no clock), so the
 * same seed gives the same bytes.
 *
 * @module
 */
import { addDays } from "../../engine/util/date.ts";
import { roundNoNegativeZero } from "../../engine/util/round.ts";
import type { Market } from "../market.ts";
import { bootstrapSkus, captureShare, type Difference, difference } from "./bootstrap.ts";
import {
  type DailySeries,
  dailySeries,
  type SkuTotals,
  skuTotals,
  type StrategyTotals,
  strategyTotals,
} from "./metrics.ts";
import type { StrategyRun } from "./run.ts";
import type { BacktestStrategy } from "./strategies.ts";
import type { PricingRules } from "../../engine/schema/rules.ts";
import { type RuleMetrics, ruleMetrics } from "./rule_metrics.ts";

/** One strategy in the report. */
export interface StrategyReport extends StrategyTotals, RuleMetrics {
  models: string[];
  decisions: StrategyRun["decisions"];
  infeasible: number;
}

/** The report of a backtest. */
export interface BacktestReport {
  scenario: string;
  description: string;
  seed: number;
  skus: number;
  days: number;
  warmup_days: number;
  from: string;
  to: string;
  retrain: string;
  /** The registered model ML priced with, fixed (absent when ML trained its own). */
  ml_model?: string;
  /** The objective and rules every strategy's store priced under (null: profit, none). */
  rules: PricingRules | null;
  /** What the oracle capture is measured on: the objective's total. */
  capture_metric: "profit" | "revenue";
  strategies: Partial<Record<BacktestStrategy, StrategyReport>>;
  /** Strategy − static over SKUs, with 95% bootstrap intervals. */
  vs_static: Partial<Record<BacktestStrategy, { profit: Difference; revenue: Difference }>>;
  /** (ML − static) / (oracle − static) of `capture_metric`; null without all three. */
  ml_oracle_capture: number | null;
  ml_oracle_capture_ci95: [number, number] | null;
  /** Share of SKUs on which the row strategy earns more profit than the column one. */
  sku_wins: Record<string, number>;
  by_category: Record<string, Partial<Record<BacktestStrategy, { skus: number; profit: number }>>>;
  series: Partial<Record<BacktestStrategy, DailySeries>>;
}

/** What the report says about the setup. */
export interface ReportContext {
  market: Market;
  days: number;
  retrain: string;
  /** The registered model ML priced with, fixed; default none (ML trained its own). */
  mlModel?: string;
  /** The rules under test. Default none. */
  rules?: PricingRules | null;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
}

/** Builds the report of the runs (in the order given). */
export function buildReport(runs: readonly StrategyRun[], ctx: ReportContext): BacktestReport {
  const { market, days } = ctx;
  const from = addDays(market.startDate, market.historyDays);
  const dates = Array.from({ length: days }, (_, d) => addDays(from, d));
  const per = new Map<BacktestStrategy, SkuTotals>();
  for (const r of runs) per.set(r.strategy, skuTotals(r.outcomes));
  const weights = bootstrapSkus(market.skus.length, {
    seed: market.seed,
    resamples: ctx.resamples ?? 1000,
  });
  const report: BacktestReport = {
    scenario: market.scenario.name,
    description: market.scenario.description,
    seed: market.seed,
    skus: market.skus.length,
    days,
    warmup_days: market.historyDays,
    from,
    to: dates[dates.length - 1],
    retrain: ctx.retrain,
    ...(ctx.mlModel === undefined ? {} : { ml_model: ctx.mlModel }),
    rules: ctx.rules ?? null,
    capture_metric: ctx.rules?.objective === "revenue" ? "revenue" : "profit",
    strategies: {},
    vs_static: {},
    ml_oracle_capture: null,
    ml_oracle_capture_ci95: null,
    sku_wins: {},
    by_category: {},
    series: {},
  };
  for (const r of runs) {
    report.strategies[r.strategy] = {
      ...strategyTotals(r.outcomes),
      ...ruleMetrics(r.outcomes, market, ctx.rules),
      models: r.models,
      decisions: r.decisions,
      infeasible: r.infeasible,
    };
    report.series[r.strategy] = dailySeries(r.outcomes, dates);
  }
  const base = per.get("static");
  if (base) {
    for (const r of runs) {
      if (r.strategy === "static") continue;
      const t = per.get(r.strategy)!;
      report.vs_static[r.strategy] = {
        profit: difference(t.profit, base.profit, weights),
        revenue: difference(t.revenue, base.revenue, weights),
      };
    }
  }
  const ml = per.get("ml");
  const oracle = per.get("oracle");
  if (base && ml && oracle) {
    const m = report.capture_metric;
    const c = captureShare(ml[m], base[m], oracle[m], weights);
    report.ml_oracle_capture = c?.share ?? null;
    report.ml_oracle_capture_ci95 = c?.ci95 ?? null;
  }
  for (const a of runs) {
    for (const b of runs) {
      if (a === b) continue;
      const pa = per.get(a.strategy)!.profit;
      const pb = per.get(b.strategy)!.profit;
      let wins = 0;
      for (let i = 0; i < pa.length; i++) if (pa[i] > pb[i] + 1e-9) wins++;
      report.sku_wins[`${a.strategy}>${b.strategy}`] = roundNoNegativeZero(wins / pa.length, 4);
    }
  }
  const categories = [...new Set(market.skus.map((p) => p.category))].sort();
  for (const c of categories) {
    const row: BacktestReport["by_category"][string] = {};
    for (const r of runs) {
      const t = per.get(r.strategy)!;
      let profit = 0;
      let skus = 0;
      for (const p of market.skus) {
        if (p.category !== c) continue;
        profit += t.profit[p.index];
        skus++;
      }
      row[r.strategy] = { skus, profit: roundNoNegativeZero(profit, 2) };
    }
    report.by_category[c] = row;
  }
  return report;
}
