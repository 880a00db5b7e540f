/**
 * The backtest benchmark: how long ML vs rule vs static vs oracle take on the
 * real daily pipeline, as `deno task backtest` runs them (2 workers), per
 * strategy, with static (the pipeline and the market, nothing to learn or
 * optimise) as the baseline measured in the same run, and
 * the time of the target size (1,000 SKUs × 365 days × 4 strategies):
 * measured when asked for, otherwise extrapolated linearly in SKU-days and
 * labelled so.
 *
 * @module
 */
import { loadScenario } from "../sim/scenario.ts";
import { runBacktestParallel } from "../sim/backtest/parallel.ts";
import { BACKTEST_STRATEGIES } from "../sim/backtest/strategies.ts";

/** Options of {@linkcode benchBacktest}. */
export interface BacktestBenchOptions {
  skus: number;
  days: number;
  /** Warm-up history days. Default: the scenario's (730). */
  warmupDays?: number;
  say: (message: string) => void;
}

/** The target size. */
export const BACKTEST_TARGET = { skus: 1_000, days: 365, strategies: 4 } as const;

/** Times every strategy of a `default` backtest of the given size. */
export async function benchBacktest(o: BacktestBenchOptions): Promise<Record<string, unknown>> {
  const scenario = await loadScenario("default");
  const config = { scenario, seed: 1, skus: o.skus, days: o.days, warmupDays: o.warmupDays };
  const seconds: Record<string, number> = {};
  o.say(`backtest: ${o.skus} SKUs x ${o.days} days x 4 strategies in 2 workers`);
  const t = performance.now();
  await runBacktestParallel(config, {
    workers: 2,
    onStrategyDone: (s, sec) => (seconds[s] = Math.round(sec * 1000) / 1000),
  });
  const wall = (performance.now() - t) / 1000;
  const total = Object.values(seconds).reduce((a, b) => a + b, 0);
  const skuDays = o.skus * o.days * BACKTEST_STRATEGIES.length;
  const atTarget = o.skus === BACKTEST_TARGET.skus && o.days === BACKTEST_TARGET.days;
  const targetSkuDays = BACKTEST_TARGET.skus * BACKTEST_TARGET.days * BACKTEST_TARGET.strategies;
  return {
    backtest: {
      skus: o.skus,
      days: o.days,
      strategies: BACKTEST_STRATEGIES.length,
      seconds: Math.round(wall * 10) / 10,
      workers: 2,
      per_strategy_seconds: seconds,
      ms_per_sku_day: Math.round((1000 * total / skuDays) * 100) / 100,
      ratios_vs_static: Object.fromEntries(
        Object.entries(seconds).map(([k, v]) => [k, Math.round((v / seconds.static) * 100) / 100]),
      ),
      target_1000x365x4_minutes: Math.round((wall * targetSkuDays / skuDays) / 6) / 10,
      target_measured: atTarget,
      target_note: atTarget
        ? "measured at the target size"
        : "extrapolated linearly in SKU-days from this run; --backtest-size 1000x365 measures it",
    },
  };
}
