/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction;
 * `schema_migrations` records which ran. Never edit a shipped migration: add one.
 * Each migration lives in its own file under `migrations/`.
 *
 * @module
 */
import { inputs } from "./migrations/001_inputs.ts";
import { pricing } from "./migrations/002_pricing.ts";
import { registry } from "./migrations/003_registry.ts";
import { monitoring } from "./migrations/004_monitoring.ts";
import { backtests } from "./migrations/005_backtests.ts";
export { appendOnly } from "./migrations/_append_only.ts";

/** One schema change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Tables whose rows can never change once written. */
export const AUDIT_TABLES = [
  "catalog",
  "sales",
  "inventory",
  "competitor_prices",
  "sim_config",
  "feature_snapshots",
  "runs",
  "run_events",
  "overrides",
  "override_revocations",
  "decisions",
  "models",
  "model_events",
  "monitoring_runs",
  "forecast_accuracy",
  "drift_metrics",
  "data_quality_issues",
  "alerts",
  "alert_events",
  "retrain_requests",
  "retrain_request_events",
  "backtests",
  "backtest_strategies",
] as const;

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [inputs, pricing, registry, monitoring, backtests];
