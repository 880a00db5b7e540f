/**
 * The store's writers, one file per domain under `write/`, and `transaction`.
 * Every write is an INSERT: the audit tables refuse UPDATE and DELETE through
 * triggers.
 *
 * @module
 */
export { transaction } from "./db.ts";
export * from "./write/inputs.ts";
export * from "./write/runs.ts";
export * from "./write/pricing.ts";
export * from "./write/models.ts";
export * from "./write/monitoring.ts";
export * from "./write/backtests.ts";
export * from "./write/imports.ts";
export * from "./write/users.ts";
export * from "./write/settings.ts";
export * from "./write/evaluations.ts";
