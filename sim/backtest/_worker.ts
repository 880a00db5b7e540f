/**
 * A worker that runs one strategy's backtest (see `parallel.ts`). It receives
 * the config as plain data and answers with day counts and the StrategyRun.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type BacktestConfig, runStrategy } from "./run.ts";
import type { BacktestStrategy } from "./strategies.ts";

/** What the worker is asked. */
export interface WorkerRequest {
  strategy: BacktestStrategy;
  config: BacktestConfig;
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { strategy, config } = e.data;
  try {
    const started = performance.now();
    const run = runStrategy(strategy, config, {
      onDay: (done) => self.postMessage({ type: "day", done }),
    });
    self.postMessage({ type: "done", run, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    self.postMessage({ type: "error", message: String((error as Error)?.stack ?? error) });
  }
};
