/**
 * The engine's public surface, the door a notebook or a script imports:
 * schemas, the store and its read-only queries, features, elasticities,
 * pricing, the daily pipeline, the model registry, demand models, utilities
 * and the real-data loader.
 *
 * @module
 */
export * from "./schema/mod.ts";
export * from "./store/mod.ts";
export * from "./features/mod.ts";
export * from "./elasticity/mod.ts";
export * from "./pricing/guardrails.ts";
export * from "./pricing/inventory.ts";
export * from "./pricing/optimizer.ts";
export * from "./pricing/override_requests.ts";
export * from "./pricing/overrides.ts";
export * from "./pricing/price_ending.ts";
export * from "./pricing/rule.ts";
export * from "./pricing/strategies.ts";
export * from "./pricing/objectives.ts";
export * from "./pricing/rules.ts";
export * from "./pricing/lines.ts";
export * from "./pricing/category_solver.ts";
export * from "./pricing/portfolio.ts";
export * from "./pricing/settings_requests.ts";
export * from "./pricing/groups.ts";
export * from "./pipeline/mod.ts";
export * from "./registry/mod.ts";
export * from "./demand/model.ts";
export * from "./demand/features.ts";
export type { TrainingRow } from "./demand/rolling.ts";
export type { PriceResponse } from "./demand/learned_model.ts";
export type { GbdtTrainOptions, LossName } from "./demand/gbdt/mod.ts";
export * from "./util/mod.ts";
export * from "./data/frat.ts";
export * from "./ingest/mod.ts";
export * from "./data/real_store.ts";
export * from "./data/frat_store.ts";
export * from "./data/orange_juice.ts";
