/**
 * A whole backtest: every requested strategy from the same warm-up store, then
 * the report.
 *
 * @module
 */
import { type BacktestReport, buildReport } from "./report.ts";
import { type BacktestConfig, backtestMarket, runStrategy, type StrategyRun } from "./run.ts";
import { BACKTEST_STRATEGIES, type BacktestStrategy, strategySetup } from "./strategies.ts";
import { addDays } from "../../engine/util/date.ts";
import { InputError } from "../../engine/util/errors.ts";
import { describeSettings } from "../../engine/registry/settings.ts";
import type { ModelRecord } from "../../engine/schema/models.ts";

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
  /** Called with every strategy's run before the report is built (e.g. to keep price paths). */
  onRuns?: (runs: readonly StrategyRun[]) => void;
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
  options.onRuns?.(runs);
  return reportOf(runs, config);
}

/** The report of runs made with `config`. */
export function reportOf(runs: readonly StrategyRun[], config: BacktestConfig): BacktestReport {
  const market = backtestMarket(config);
  const fixed = config.model && runs.some((r) => r.strategy === "ml") ? config.model : undefined;
  return buildReport(runs, {
    market,
    days: config.days ?? 180,
    rules: config.rules ?? null,
    mlModel: fixed?.version,
    retrain: fixed
      ? _fixedModel(fixed, addDays(market.startDate, market.historyDays))
      : config.retrainPolicy
      ? "retrained by the given policy"
      : config.retrainEvery === undefined
      ? "gbdt trained on the warm-up history, retrained when the monitoring stage opens a retrain request (the product's policy), approved by backtest"
      : `gbdt trained on the warm-up history, retrained every ${config.retrainEvery} days, approved by backtest`,
  });
}

/** Validates, de-duplicates and puts strategies in report order. */
export function orderStrategies(names: readonly string[]): BacktestStrategy[] {
  for (const n of names) strategySetup(n);
  if (!names.length) throw new InputError("Cannot backtest: no strategy given");
  return BACKTEST_STRATEGIES.filter((s) => names.includes(s));
}

/** How the report describes a fixed model, and whether its training reaches the backtest days. */
function _fixedModel(m: ModelRecord, from: string): string {
  const overlap = m.trained_to >= from
    ? `; its training window reaches into the backtest days (from ${from}): if it was trained on this same market, it has seen their demand`
    : "";
  return `registered model ${m.version} (${
    describeSettings(m)
  }; trained on ${m.trained_from} to ${m.trained_to}), fixed: no retraining${overlap}`;
}
