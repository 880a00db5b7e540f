/**
 * A whole backtest: every requested strategy from the same warm-up store, then
 * the report.
 *
 * @module
 */
import { type BacktestReport, buildReport } from "./report.ts";
import { type BacktestConfig, backtestMarket, runStrategy, type StrategyRun } from "./run.ts";
import { BACKTEST_STRATEGIES, type BacktestStrategy, strategySetup } from "./strategies.ts";

/** Options of {@linkcode runBacktest}. */
export interface BacktestOptions {
  /** Default: every strategy (static, rule, ml, oracle). */
  strategies?: readonly BacktestStrategy[];
  /** Progress over every strategy's days: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** What the harness is doing, for logs. */
  onStage?: (strategy: BacktestStrategy, stage: string) => void;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
}

/** Runs each strategy in turn and reports. */
export function runBacktest(config: BacktestConfig, options: BacktestOptions = {}): BacktestReport {
  const strategies = orderStrategies(options.strategies ?? BACKTEST_STRATEGIES);
  const days = config.days ?? 180;
  const runs: StrategyRun[] = [];
  strategies.forEach((s, k) => {
    runs.push(runStrategy(s, config, {
      onDay: (done) => options.onProgress?.(k * days + done, strategies.length * days),
      onStage: (stage) => options.onStage?.(s, stage),
    }));
  });
  return reportOf(runs, config);
}

/** The report of runs made with `config`. */
export function reportOf(runs: readonly StrategyRun[], config: BacktestConfig): BacktestReport {
  return buildReport(runs, {
    market: backtestMarket(config),
    days: config.days ?? 180,
    rules: config.rules ?? null,
    retrain: config.retrainPolicy
      ? "retrained by the given policy"
      : config.retrainEvery === undefined
      ? "gbdt trained on the warm-up history, retrained when the monitoring stage opens a retrain request (the product's policy), approved by backtest"
      : `gbdt trained on the warm-up history, retrained every ${config.retrainEvery} days, approved by backtest`,
  });
}

/** Validates, de-duplicates and puts strategies in report order. */
export function orderStrategies(names: readonly string[]): BacktestStrategy[] {
  for (const n of names) strategySetup(n);
  if (!names.length) throw new RangeError("Cannot backtest: no strategy given");
  return BACKTEST_STRATEGIES.filter((s) => names.includes(s));
}
