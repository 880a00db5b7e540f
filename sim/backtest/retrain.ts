/**
 * When and how the ML strategy's model is renewed inside a backtest. The policy
 * is a function. The default is the product's own: the daily run's monitoring
 * stage opens a retrain request after sustained drift or forecast degradation
 * (engine/monitoring/retrain.ts), and the backtest answers it with a candidate
 * that the actor `backtest` approves, where production waits for a person. A
 * fixed schedule (every N days) is the alternative. Approvals are recorded in the
 * store's registry like any other.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { DemandModel } from "../../engine/demand/model.ts";
import { trainCandidate } from "../../engine/registry/train.ts";
import { approveModel } from "../../engine/registry/approval.ts";
import { championModel } from "../../engine/registry/load.ts";
import { readRetrainRequests } from "../../engine/store/queries.ts";
import { InputError } from "../../engine/util/errors.ts";

/** The actor that registers and approves models inside a backtest. */
export const BACKTEST_ACTOR = "backtest";

/** What a retrain policy is told before a run. */
export interface RetrainContext {
  runDate: string;
  /** Index of the backtest day (0 = first). */
  day: number;
  /** The champion pricing now (null before the first model). */
  champion: DemandModel | null;
}

/** Returns why a new model should be trained before this run, or null to keep the champion. */
export type RetrainPolicy = (db: DatabaseSync, ctx: RetrainContext) => string | null;

/**
 * The product's policy: the first model before the first run, then a new one
 * whenever the monitoring stage has an open retrain request for the champion.
 * Needs the runs to include the monitoring stage.
 */
export function productRetrainPolicy(): RetrainPolicy {
  return (db, ctx) => {
    if (!ctx.champion) return "backtest: first model, trained on the warm-up history";
    const open = readRetrainRequests(db, { modelVersion: ctx.champion.version })
      .find((r) => r.status === "open");
    return open
      ? `backtest: answers retrain request ${open.id} opened on ${open.run_date} (${open.rule})`
      : null;
  };
}

/** Trains before the first run, then every `days` days. */
export function retrainEvery(days: number): RetrainPolicy {
  if (!Number.isInteger(days) || days < 1) {
    throw new InputError(`Cannot retrain every ${days} days: expected a whole number >= 1`);
  }
  return (_db, ctx) =>
    !ctx.champion
      ? "backtest: first model, trained on the warm-up history"
      : ctx.day > 0 && ctx.day % days === 0
      ? `backtest: scheduled retrain every ${days} days`
      : null;
}

/**
 * Trains a gbdt candidate on the store's latest history, approves it as `backtest`
 * and returns the new champion (the old one when training found it already registered).
 */
export function retrainAndApprove(
  db: DatabaseSync,
  reason: string,
  options: { seed?: number } = {},
): DemandModel {
  const r = trainCandidate(db, {
    kind: "gbdt",
    seed: options.seed ?? 0,
    actor: BACKTEST_ACTOR,
    recordedAt: null,
    source: "backtest",
  });
  if (r.status === "registered") {
    const m = r.metrics;
    // The backtest's policy approves every retrained candidate (production waits for a
    // person, and approval refuses one worse than naive or the champion without --force).
    approveModel(db, r.version, {
      force: true,
      actor: BACKTEST_ACTOR,
      reason:
        `${reason}; holdout WAPE ${m.candidate.wape} vs seasonal-naive ${m.seasonal_naive.wape}`,
      recordedAt: null,
    });
  }
  const champion = championModel(db);
  if (!champion) throw new Error(`Cannot price with ${r.version}: no champion after approval`);
  return champion;
}
