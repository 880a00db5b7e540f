/**
 * Runs the strategies of a backtest in parallel workers. Each strategy is
 * independent (its own store built from the same seed, common random numbers
 * from the simulator), so the report is byte-identical to `runBacktest`'s; only
 * the wall time changes.
 *
 * @module
 */
import { type BacktestOptions, orderStrategies, reportOf } from "./backtest.ts";
import type { BacktestReport } from "./report.ts";
import type { BacktestConfig, StrategyRun } from "./run.ts";
import { BACKTEST_STRATEGIES, type BacktestStrategy } from "./strategies.ts";
import type { WorkerRequest } from "./_worker.ts";
import { InputError } from "../../engine/util/errors.ts";

/** Options of {@linkcode runBacktestParallel}. */
export interface ParallelOptions extends BacktestOptions {
  /** Workers at once. Default 2. */
  workers?: number;
  /** Seconds each strategy took in its worker. */
  onStrategyDone?: (strategy: BacktestStrategy, seconds: number) => void;
}

/** `runBacktest` with the strategies spread over workers. */
export async function runBacktestParallel(
  config: BacktestConfig,
  options: ParallelOptions = {},
): Promise<BacktestReport> {
  const runs = await runStrategiesParallel(config, options);
  options.onRuns?.(runs);
  return reportOf(runs, config);
}

/**
 * Runs the strategies of a backtest in parallel workers and returns each one's run (its
 * per-SKU, per-day outcomes included), in report order: for a notebook that looks past the
 * report (price paths, per-SKU gaps). `reportOf(runs, config)` gives the report.
 *
 * @param config What the backtest runs on (plain data: it is sent to the workers).
 * @param options Strategies, workers and progress callbacks.
 * @returns The runs, in report order (static, rule, ml, oracle).
 * @throws {TypeError} When `config.retrainPolicy` is given (a function cannot reach a worker).
 * @throws {RangeError} When `workers` is not a whole number >= 1 or a strategy is unknown.
 *
 * @example Usage
 * ```ts
 * import { runStrategiesParallel } from "./parallel.ts";
 * import { reportOf } from "./backtest.ts";
 * import { loadScenario } from "../scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const config = { scenario: await loadScenario("default"), seed: 3, skus: 4, warmupDays: 60, days: 3 };
 * const runs = await runStrategiesParallel(config, { strategies: ["rule", "static"] });
 * assert.deepEqual(runs.map((r) => r.strategy), ["static", "rule"]);
 * assert.equal(runs[0].outcomes.price.length, 3); // [day][sku]
 * assert.equal(reportOf(runs, config).skus, 4);
 * ```
 */
export async function runStrategiesParallel(
  config: BacktestConfig,
  options: ParallelOptions = {},
): Promise<StrategyRun[]> {
  if (config.retrainPolicy) {
    throw new TypeError(
      "Cannot backtest in parallel with a retrainPolicy function: use runBacktest",
    );
  }
  const workers = options.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InputError(`Cannot backtest with ${workers} workers: expected a whole number >= 1`);
  }
  const strategies = orderStrategies(options.strategies ?? BACKTEST_STRATEGIES);
  const days = config.days ?? 180;
  const done = new Map<BacktestStrategy, number>();
  const report = () => {
    let sum = 0;
    for (const d of done.values()) sum += d;
    options.onProgress?.(sum, strategies.length * days);
  };
  const runs = new Map<BacktestStrategy, StrategyRun>();
  const queue = [...strategies];
  const next = async (): Promise<void> => {
    const strategy = queue.shift();
    if (!strategy) return;
    options.onStage?.(strategy, "started in a worker");
    const run = await inWorker({ strategy, config }, (d) => {
      done.set(strategy, d);
      report();
    });
    options.onStrategyDone?.(strategy, run.seconds);
    runs.set(strategy, run.run);
    return next();
  };
  await Promise.all(Array.from({ length: Math.min(workers, strategies.length) }, next));
  return strategies.map((s) => runs.get(s)!);
}

/** Runs one strategy of a config in a worker of its own. */
export function inWorker(
  request: WorkerRequest,
  onDay: (done: number) => void,
): Promise<{ run: StrategyRun; seconds: number }> {
  const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "day") onDay(m.done);
      else {
        worker.terminate();
        if (m.type === "done") resolve({ run: m.run, seconds: m.seconds });
        else {reject(
            new Error(`Backtest of ${request.strategy} failed in its worker: ${m.message}`),
          );}
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new Error(`Backtest of ${request.strategy} failed in its worker: ${e.message}`));
    };
    worker.postMessage(request);
  });
}
