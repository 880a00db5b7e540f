/**
 * The daily run and what orchestrates it: its lock, the monitoring stage,
 * digests, price export, replay, retraining on request, and runs over
 * consecutive dates.
 *
 * @module
 */
export * from "./daily.ts";
export * from "./lock.ts";
export * from "./monitor.ts";
export * from "./digest.ts";
export * from "./export.ts";
export * from "./replay.ts";
export * from "./retrain.ts";
export * from "./run_dates.ts";
export * from "./preconditions.ts";
export * from "./chain.ts";
export * from "./verify.ts";
export * from "./due.ts";
