/**
 * The backtest harness: ML vs rule vs static vs the oracle on a simulated market
 * that answers to price, each strategy running the real daily pipeline from the
 * same warm-up store with common random numbers.
 *
 * @module
 */
export { type BacktestOptions, orderStrategies, reportOf, runBacktest } from "./backtest.ts";
export {
  type BacktestConfig,
  backtestMarket,
  openWarmupStore,
  type RunOptions,
  runStrategy,
  type StrategyRun,
} from "./run.ts";
export { BACKTEST_STRATEGIES, type BacktestStrategy, strategySetup } from "./strategies.ts";
export { createRecorder, type Outcomes, type Recorder } from "./recorder.ts";
export { ORACLE_VERSION, oracleModel, oraclePrice, trueObjective } from "./oracle.ts";
export {
  BACKTEST_ACTOR,
  retrainAndApprove,
  type RetrainContext,
  retrainEvery,
  type RetrainPolicy,
} from "./retrain.ts";
export { type BacktestReport, buildReport, type StrategyReport } from "./report.ts";
export { reportMarkdown, rulesText } from "./markdown.ts";
export {
  bootstrapSkus,
  captureShare,
  type Difference,
  difference,
  percentile,
  totalInterval,
} from "./bootstrap.ts";
export {
  type DailySeries,
  dailySeries,
  type SkuTotals,
  skuTotals,
  type StrategyTotals,
  strategyTotals,
} from "./metrics.ts";
export { backtestRecord } from "./record.ts";
export { type PricePathOptions, pricePaths, samplePricePathSkus } from "./price_paths.ts";
export {
  inWorker,
  type ParallelOptions,
  runBacktestParallel,
  runStrategiesParallel,
} from "./parallel.ts";
export { reportHtml } from "./html.ts";
export { type RuleMetrics, ruleMetrics } from "./rule_metrics.ts";
export {
  runSuite,
  SUITE_SCENARIOS,
  SUITE_SETTINGS,
  type SuiteOptions,
  type SuiteReport,
  type SuiteRow,
  type SuiteSetting,
  type SuiteTarget,
  suiteTargets,
} from "./suite.ts";
export { suiteMarkdown } from "./suite_markdown.ts";
export { holdCurve, ORACLE_HORIZON_DAYS, type OracleOptions, oracleRules } from "./oracle.ts";
export { BACKTEST_SETTINGS_ACTOR, writeBacktestSettings } from "./run.ts";
