/**
 * One strategy's backtest: build the warm-up store (the same for every strategy:
 * same scenario, seed and size give the same store), then run the real daily
 * pipeline day by day, the simulator answering each day's prices.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DemandModel } from "../../engine/demand/model.ts";
import { runDates } from "../../engine/pipeline/run_dates.ts";
import { modelOfRecord } from "../../engine/registry/load.ts";
import type { ModelRecord } from "../../engine/schema/models.ts";
import { emptyStrategyCounts } from "../../engine/pricing/strategies.ts";
import { StrategyName } from "../../engine/schema/pricing.ts";
import { openStore } from "../../engine/store/db.ts";
import { appendPricingSettings, transaction } from "../../engine/store/writer.ts";
import type { PricingRules } from "../../engine/schema/rules.ts";
import { addDays } from "../../engine/util/date.ts";
import { createMarket, type Market } from "../market.ts";
import type { Scenario } from "../scenario.ts";
import { writeSimulatedStore } from "../store.ts";
import { createRecorder, type Outcomes } from "./recorder.ts";
import { oracleRules } from "./oracle.ts";
import { productRetrainPolicy, retrainEvery, type RetrainPolicy } from "./retrain.ts";
import { type BacktestStrategy, strategySetup } from "./strategies.ts";
import { InputError } from "../../engine/util/errors.ts";

/** What a backtest is run on. */
export interface BacktestConfig {
  scenario: Scenario;
  seed: number;
  /** Default: the scenario's. */
  skus?: number;
  /** Days of warm-up history. Default: the scenario's `historyDays`. */
  warmupDays?: number;
  /** Backtest days after the warm-up. Default 180. */
  days?: number;
  /**
   * Retrain the ML model every N days instead of by the product's policy (ignored when
   * `retrainPolicy` is given). Default: the product's policy (monitoring's retrain requests).
   */
  retrainEvery?: number;
  retrainPolicy?: RetrainPolicy;
  /**
   * A registered model the ML strategy prices with, fixed: no training and no retraining
   * (`retrainEvery` and `retrainPolicy` are then ignored); the other strategies are as ever.
   * Plain data, so parallel workers receive it too. Default: ML trains its own.
   */
  model?: ModelRecord;
  /**
   * The store's objective and business rules over the backtest days, written into every
   * strategy's store as its pricing settings (actor "backtest"), so the daily run resolves
   * them as in production. Default: none (profit, no rules).
   */
  rules?: PricingRules;
}

/** What one strategy's backtest produced. */
export interface StrategyRun {
  strategy: BacktestStrategy;
  outcomes: Outcomes;
  /** Model versions that priced, in order (oracle: its pseudo-version). */
  models: string[];
  /** Decisions per daily-run strategy over all days (e.g. ML's rule fallbacks). */
  decisions: { ml: number; rule: number; static: number };
  infeasible: number;
}

/** Options of {@linkcode runStrategy}. */
export interface RunOptions {
  /** Store path; default ":memory:". Must not exist yet. */
  path?: string;
  /** Called after each day with (days done, days). */
  onDay?: (done: number, total: number) => void;
  /** Called with what the harness is doing (e.g. "training"). */
  onStage?: (stage: string) => void;
  /**
   * A fixed demand model for an ML-priced strategy instead of its own (no training):
   * e.g. a candidate from a notebook, or a test's model that replays known prices.
   */
  model?: DemandModel;
}

/** The market of a backtest config (the same for every strategy). */
export function backtestMarket(config: BacktestConfig): Market {
  return createMarket({
    scenario: config.scenario,
    seed: config.seed,
    skus: config.skus,
    historyDays: config.warmupDays,
  });
}

/** Writes the warm-up store: the simulated catalog and history, nothing else. */
export function openWarmupStore(config: BacktestConfig, path = ":memory:"): DatabaseSync {
  const db = openStore(path);
  writeSimulatedStore(db, {
    scenario: config.scenario,
    seed: config.seed,
    skus: config.skus,
    historyDays: config.warmupDays,
  });
  return db;
}

/**
 * Writes the backtest's pricing settings into a strategy's store from the first backtest
 * day: the rules for the store, and for the oracle on store-traffic markets each traffic
 * category's index held at the market's tolerance (see `oracleRules`).
 */
export function writeBacktestSettings(
  db: DatabaseSync,
  market: Market,
  strategy: BacktestStrategy,
  rules: PricingRules | undefined,
  from: string,
): void {
  const base = { effective_from: from, actor: BACKTEST_SETTINGS_ACTOR };
  transaction(db, () => {
    if (rules && Object.keys(rules).length) {
      appendPricingSettings(db, {
        ...base,
        scope: "store",
        target: null,
        settings: rules,
        reason: "backtest: the objective and rules under test",
      }, null);
    }
    if (strategy !== "oracle") return;
    for (const { category, settings } of oracleRules(market, rules)) {
      appendPricingSettings(db, {
        ...base,
        scope: "category",
        target: category,
        settings,
        reason:
          "backtest oracle: the category's price index held at the market's traffic tolerance",
      }, null);
    }
  });
}

/** The actor of the pricing settings a backtest writes. */
export const BACKTEST_SETTINGS_ACTOR = "backtest";

/** Runs one strategy over the backtest days on its own copy of the warm-up store. */
export function runStrategy(
  strategy: BacktestStrategy,
  config: BacktestConfig,
  options: RunOptions = {},
): StrategyRun {
  const setup = strategySetup(strategy);
  const days = config.days ?? 180;
  const fixed = options.model ??
    (strategy === "ml" && config.model ? modelOfRecord(config.model) : undefined);
  if (!Number.isInteger(days) || days < 1) {
    throw new InputError(`Cannot backtest ${days} days: expected a whole number >= 1`);
  }
  const stage = options.onStage ?? (() => {});
  stage("warm-up store");
  const market = backtestMarket(config);
  const db = openWarmupStore(config, options.path);
  try {
    const from = addDays(market.startDate, market.historyDays);
    writeBacktestSettings(db, market, strategy, config.rules, from);
    const recorder = createRecorder(db, market, { from, days });
    const byProduct = !config.retrainPolicy && config.retrainEvery === undefined;
    const policy = config.retrainPolicy ??
      (byProduct ? productRetrainPolicy() : retrainEvery(config.retrainEvery!));
    let model: DemandModel | null = null;
    const models: string[] = [];
    const decisions = emptyStrategyCounts();
    let infeasible = 0;
    runDates(db, {
      from,
      days,
      model: (db, runDate, day) => {
        const next = fixed ?? setup.model(db, market, {
          runDate,
          day,
          current: model,
          policy,
          seed: config.seed,
          memory: () => recorder.memory,
        });
        if (next && next !== model) {
          stage(`model ${next.version}`);
          models.push(next.version);
        }
        return model = next;
      },
      pricing: { defaultStrategy: setup.pricing },
      recordActuals: recorder.recordActuals,
      // The product's policy reads the retrain requests the monitoring stage opens; a fixed
      // model is never retrained.
      monitoring: byProduct && strategy === "ml" && !fixed ? {} : undefined,
      onRun: (summary, day) => {
        for (const k of StrategyName.options) decisions[k] += summary.strategies[k];
        infeasible += summary.infeasible;
        options.onDay?.(day + 1, days);
      },
    });
    transaction(db, () => recorder.recordDay(db, addDays(from, days - 1)));
    return { strategy, outcomes: recorder.outcomes, models, decisions, infeasible };
  } finally {
    db.close();
  }
}
