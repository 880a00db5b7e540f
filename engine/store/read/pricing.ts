/**
 * Read-only queries of pricing: overrides with their revocations and a run's
 * decisions.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import type { Infer } from "../../schema/common.ts";
import { Decision, OverrideRecord } from "../../schema/pricing.ts";
import { flag, rows } from "./_rows.ts";

/** Options of {@linkcode readOverrides}. */
export interface ReadOverridesOptions {
  /** Only overrides whose window [effective_from, expires_at) contains this date. */
  activeOn?: string;
  /** Only overrides and revocations recorded up to these ids (what a past run saw). */
  upTo?: { overrideId: number; revocationId: number };
}

/**
 * Overrides with their revocation, if any, by id.
 *
 * @param db The store.
 * @param options `activeOn`: only those whose window contains that date, revoked or not;
 * `upTo`: only overrides and revocations recorded up to those ids (what a past run saw).
 * @returns The overrides.
 *
 * @example Usage
 * ```ts
 * import { readOverrides } from "./pricing.ts";
 * import { openStore } from "../db.ts";
 * import { appendOverride } from "../write/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const override = {
 *   kind: "PRICE_FREEZE", scope: "sku", target: "A1", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal",
 * } as const;
 * appendOverride(db, override, null);
 * assert.equal(readOverrides(db, { activeOn: "2025-01-31" }).length, 1);
 * assert.equal(readOverrides(db, { activeOn: "2025-02-01" }).length, 0); // expires_at is exclusive
 * db.close();
 * ```
 */
export function readOverrides(
  db: DatabaseSync,
  options: ReadOverridesOptions = {},
): OverrideRecord[] {
  const maxO = options.upTo?.overrideId ?? Number.MAX_SAFE_INTEGER;
  const maxR = options.upTo?.revocationId ?? Number.MAX_SAFE_INTEGER;
  const raw = statement(
    db,
    `SELECT o.*, r.id AS revocation_id, r.actor AS revoked_by, r.reason AS revoke_reason
     FROM overrides o LEFT JOIN override_revocations r ON r.override_id = o.id AND r.id <= ?
     WHERE o.id <= ? AND (? IS NULL OR (o.effective_from <= ? AND ? < o.expires_at))
     ORDER BY o.id`,
  ).all(maxR, maxO, options.activeOn ?? null, options.activeOn ?? null, options.activeOn ?? null);
  return rows(OverrideRecord, "override", raw);
}

/**
 * The highest override and revocation ids recorded so far: what a run records, so
 * that its replay sees the same overrides (see {@linkcode readOverrides}'s `upTo`).
 *
 * @param db The store.
 * @returns Both ids, 0 when none is recorded.
 *
 * @example Usage
 * ```ts
 * import { overrideWatermark } from "./pricing.ts";
 * import { openStore } from "../db.ts";
 * import { appendOverride } from "../write/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * assert.deepEqual(overrideWatermark(db), { overrideId: 0, revocationId: 0 });
 * appendOverride(db, {
 *   kind: "PRICE_FREEZE", scope: "sku", target: "A1", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal",
 * }, null);
 * assert.deepEqual(overrideWatermark(db), { overrideId: 1, revocationId: 0 });
 * db.close();
 * ```
 */
export function overrideWatermark(db: DatabaseSync): { overrideId: number; revocationId: number } {
  const o = statement(db, "SELECT coalesce(max(id), 0) AS m FROM overrides").get();
  const r = statement(db, "SELECT coalesce(max(id), 0) AS m FROM override_revocations").get();
  return { overrideId: Number(o?.m ?? 0), revocationId: Number(r?.m ?? 0) };
}

/**
 * The decisions of a run, by SKU.
 *
 * @param db The store.
 * @param runId The run.
 * @returns Its decisions (none for an unknown run).
 * @throws {TypeError} When a stored decision fails {@linkcode Decision}.
 *
 * @example Usage
 * ```ts
 * import { readDecisions } from "./pricing.ts";
 * import { openStore } from "../db.ts";
 * import { appendDecisions } from "../write/pricing.ts";
 * import { appendRunStart } from "../write/runs.ts";
 * import type { Decision } from "../../schema/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const decision: Decision = {
 *   run_id: "run-1", run_date: "2025-01-08", sku: "A1", strategy: "rule", override_id: null,
 *   override_kind: null, snapshot_id: "0".repeat(64), model_version: null, previous_price: 2.99,
 *   price: 3.09, expected_units: 9.5, expected_revenue: 29.36, expected_profit: 15.11,
 *   infeasible: false, conflict: null, binding: [], reason_codes: ["COST_PLUS"], explanation: {},
 * };
 * appendDecisions(db, [decision]);
 * assert.deepEqual(readDecisions(db, "run-1")[0].reason_codes, ["COST_PLUS"]);
 * db.close();
 * ```
 */
export function readDecisions(db: DatabaseSync, runId: string): Decision[] {
  const raw = statement(db, "SELECT * FROM decisions WHERE run_id = ? ORDER BY sku").all(runId);
  return rows(Decision, "decision", raw, (r) => ({
    ...r,
    infeasible: flag(r.infeasible),
    binding: JSON.parse(String(r.binding)),
    reason_codes: JSON.parse(String(r.reason_codes)),
    explanation: JSON.parse(String(r.explanation)),
  }));
}

const /** @ignore */ _DecidedPrice = Decision.pick({ sku: true, price: true });
/** A run's price per SKU (what a market answers to), by SKU. */
export const DecidedPrice: typeof _DecidedPrice = _DecidedPrice;
/** The type {@linkcode DecidedPrice} parses to. */
export type DecidedPrice = Infer<typeof DecidedPrice>;

/**
 * The prices a run decided, by SKU: {@linkcode readDecisions} without the cost of
 * reading and checking the explanations.
 *
 * @param db The store.
 * @param runId The run.
 * @returns Each SKU's price.
 *
 * @example Usage
 * ```ts
 * import { readDecidedPrices } from "./pricing.ts";
 * import { openStore } from "../db.ts";
 * import { appendDecisions } from "../write/pricing.ts";
 * import { appendRunStart } from "../write/runs.ts";
 * import type { Decision } from "../../schema/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendRunStart(db, {
 *   runId: "run-1", runDate: "2025-01-08", attempt: 1, codeVersion: "dev", configHash: "c0",
 *   recordedAt: null, details: {},
 * });
 * const decision: Decision = {
 *   run_id: "run-1", run_date: "2025-01-08", sku: "A1", strategy: "rule", override_id: null,
 *   override_kind: null, snapshot_id: "0".repeat(64), model_version: null, previous_price: 2.99,
 *   price: 3.09, expected_units: 9.5, expected_revenue: 29.36, expected_profit: 15.11,
 *   infeasible: false, conflict: null, binding: [], reason_codes: ["COST_PLUS"], explanation: {},
 * };
 * appendDecisions(db, [decision]);
 * assert.deepEqual(readDecidedPrices(db, "run-1"), [{ sku: "A1", price: 3.09 }]);
 * db.close();
 * ```
 */
export function readDecidedPrices(db: DatabaseSync, runId: string): DecidedPrice[] {
  const raw = statement(db, "SELECT sku, price FROM decisions WHERE run_id = ? ORDER BY sku").all(
    runId,
  );
  return rows(DecidedPrice, "decided price", raw);
}

/**
 * The price this engine last decided for `sku` in a succeeded run dated after `after` and
 * before `before`, with its run date; null when there is none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore, readLastDecidedPrice } from "../../mod.ts";
 *
 * const db = openStore(":memory:");
 * assert.equal(readLastDecidedPrice(db, "A1", "2025-01-01", "2025-02-01"), null);
 * ```
 */
export function readLastDecidedPrice(
  db: DatabaseSync,
  sku: string,
  after: string,
  before: string,
): { run_date: string; price: number } | null {
  const r = statement(
    db,
    `SELECT d.run_date, d.price FROM decisions d
     JOIN v_runs r ON r.run_id = d.run_id AND r.status = 'succeeded'
     WHERE d.sku = ? AND d.run_date > ? AND d.run_date < ?
     ORDER BY d.run_date DESC LIMIT 1`,
  ).get(sku, after, before);
  return r ? { run_date: String(r.run_date), price: Number(r.price) } : null;
}
