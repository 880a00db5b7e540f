/**
 * The strategies a backtest compares, resolved in one place: which daily-run
 * strategy prices every SKU and which demand model it prices with.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DemandModel } from "../../engine/demand/model.ts";
import type { StrategyName } from "../../engine/schema/pricing.ts";
import type { Market, MarketMemory } from "../market.ts";
import { oracleModel } from "./oracle.ts";
import { retrainAndApprove, type RetrainPolicy } from "./retrain.ts";
import { InputError } from "../../engine/util/errors.ts";

/** A strategy of the backtest. */
export type BacktestStrategy = "ml" | "rule" | "static" | "oracle";

/** Every strategy, in report order. */
export const BACKTEST_STRATEGIES: readonly BacktestStrategy[] = ["static", "rule", "ml", "oracle"];

/** What a strategy needs from the harness before each run. */
export interface ModelContext {
  runDate: string;
  day: number;
  current: DemandModel | null;
  policy: RetrainPolicy;
  seed: number;
  /** The market's memory of the days simulated so far (null on memoryless markets). */
  memory: () => MarketMemory | null;
}

/** How one backtest strategy prices. */
export interface StrategySetup {
  /** The daily run's default strategy. */
  pricing: StrategyName;
  /** The model for the next run (null: none). */
  model(db: DatabaseSync, market: Market, ctx: ModelContext): DemandModel | null;
}

const SETUPS: Record<BacktestStrategy, StrategySetup> = {
  static: { pricing: "static", model: () => null },
  rule: { pricing: "rule", model: () => null },
  ml: {
    pricing: "ml",
    model(db, _market, ctx) {
      const reason = ctx.policy(db, {
        runDate: ctx.runDate,
        day: ctx.day,
        champion: ctx.current,
      });
      return reason ? retrainAndApprove(db, reason, { seed: ctx.seed }) : ctx.current;
    },
  },
  oracle: {
    pricing: "ml",
    model: (_db, market, ctx) => ctx.current ?? oracleModel(market, { memory: ctx.memory }),
  },
};

/** The setup of a strategy; RangeError for an unknown name. */
export function strategySetup(name: string): StrategySetup {
  const s = SETUPS[name as BacktestStrategy];
  if (!s) {
    throw new InputError(
      `Cannot backtest strategy "${name}": expected one of ${BACKTEST_STRATEGIES.join(", ")}`,
    );
  }
  return s;
}
