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
import { pricingRules } from "./migrations/009_pricing_rules.ts";
export { appendOnly } from "./migrations/_append_only.ts";

/** One schema change. */
export interface Migration {
  version: number;
  name: string;
  /** Tables the migration creates append-only (UPDATE and DELETE refused by triggers). */
  auditTables: readonly string[];
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  inputs,
  pricing,
  registry,
  monitoring,
  backtests,
  pricingRules,
];

/** Tables whose rows can never change once written: every migration's audit tables. */
export const AUDIT_TABLES: readonly string[] = MIGRATIONS.flatMap((m) => m.auditTables);
