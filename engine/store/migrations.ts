/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction;
 * `schema_migrations` records which ran. Never edit a shipped migration: add one.
 * Each migration lives in its own file under `migrations/`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { inputs } from "./migrations/001_inputs.ts";
import { pricing } from "./migrations/002_pricing.ts";
import { registry } from "./migrations/003_registry.ts";
import { monitoring } from "./migrations/004_monitoring.ts";
import { backtests } from "./migrations/005_backtests.ts";
import { contract } from "./migrations/006_contract.ts";
import { integrity } from "./migrations/007_integrity.ts";
import { users } from "./migrations/008_users.ts";
import { pricingRules } from "./migrations/009_pricing_rules.ts";
import { provenance } from "./migrations/010_provenance.ts";
import { evaluations } from "./migrations/011_evaluations.ts";
import { history } from "./migrations/012_history.ts";
import { sizeCheck } from "./migrations/013_size_check.ts";
import { packedHistory } from "./migrations/014_packed_history.ts";
import { decisionPairs } from "./migrations/015_decision_pairs.ts";
import { historyByMonth } from "./migrations/016_history_by_month.ts";
import { forecastPairDays } from "./migrations/017_forecast_pair_days.ts";
import { inputsByDate } from "./migrations/018_inputs_by_date.ts";
export { appendOnly } from "./migrations/_append_only.ts";

/** One schema change. */
export interface Migration {
  /** Its number: migrations run in ascending order, each once. */
  version: number;
  /** A short name, recorded in `schema_migrations`. */
  name: string;
  /** Tables the migration creates append-only (UPDATE and DELETE refused by triggers). */
  auditTables: readonly string[];
  /** The statements, run in one transaction. */
  sql: string;
  /**
   * Run with foreign-key enforcement off (to rebuild a table other tables refer to);
   * `PRAGMA foreign_key_check` must find nothing before it commits. Default false.
   */
  foreignKeysOff?: boolean;
  /**
   * A step in code after `sql`, in the same transaction: for a change SQL cannot make
   * (e.g. re-packing stored values).
   */
  run?: (db: DatabaseSync) => void;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  inputs,
  pricing,
  registry,
  monitoring,
  backtests,
  contract,
  integrity,
  users,
  pricingRules,
  provenance,
  evaluations,
  history,
  sizeCheck,
  packedHistory,
  decisionPairs,
  historyByMonth,
  forecastPairDays,
  inputsByDate,
];

/** Tables whose rows can never change once written: every migration's audit tables. */
export const AUDIT_TABLES: readonly string[] = MIGRATIONS.flatMap((m) => m.auditTables);
