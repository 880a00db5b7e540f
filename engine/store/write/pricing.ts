/**
 * Writes of pricing: override requests, their revocations and a run's decisions.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { parseInput } from "../../schema/common.ts";
import { type Decision, OverrideRequest, RevocationRequest } from "../../schema/pricing.ts";
import { canonicalJson } from "../../util/hash.ts";
import { InputError } from "../../util/errors.ts";

/**
 * Records an override request. It is intent: runs resolve it for their own date.
 *
 * @param db A connection open for writing.
 * @param request The override.
 * @param recordedAt Wall-clock time supplied by the caller, or null.
 * @returns The override's id.
 * @throws {TypeError} When `request` fails {@linkcode OverrideRequest} (the message names the
 * field).
 *
 * @example Usage
 * ```ts
 * import { appendOverride } from "./pricing.ts";
 * import { openStore } from "../db.ts";
 * import { readOverrides } from "../read/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const id = appendOverride(db, {
 *   kind: "PRICE_FREEZE", scope: "sku", target: "A1", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal",
 * }, null);
 * assert.equal(readOverrides(db, { activeOn: "2025-01-10" })[0].id, id);
 * db.close();
 * ```
 */
export function appendOverride(
  db: DatabaseSync,
  request: OverrideRequest,
  recordedAt: string | null,
): number {
  const o = parseInput(OverrideRequest, request, "record the override");
  const r = statement(
    db,
    `INSERT INTO overrides (kind, scope, target, effective_from, expires_at, actor, reason, recorded_at)
     VALUES (?,?,?,?,?,?,?,?)`,
  ).run(o.kind, o.scope, o.target, o.effective_from, o.expires_at, o.actor, o.reason, recordedAt);
  return Number(r.lastInsertRowid);
}

/**
 * Records the revocation of an override: the runs executed afterwards no longer see it.
 *
 * @param db A connection open for writing.
 * @param request Which override, who revokes it and why.
 * @param recordedAt Wall-clock time supplied by the caller, or null.
 * @returns The revocation's id.
 * @throws {TypeError} When `request` fails {@linkcode RevocationRequest}.
 * @throws {RangeError} When the override does not exist or is revoked already.
 *
 * @example Usage
 * ```ts
 * import { appendOverride, appendRevocation } from "./pricing.ts";
 * import { openStore } from "../db.ts";
 * import { readOverrides } from "../read/pricing.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const id = appendOverride(db, {
 *   kind: "PRICE_FREEZE", scope: "sku", target: "A1", effective_from: "2025-01-08",
 *   expires_at: "2025-02-01", actor: "ann", reason: "supplier deal",
 * }, null);
 * appendRevocation(db, { override_id: id, actor: "ann", reason: "deal ended" }, null);
 * assert.equal(readOverrides(db)[0].revoked_by, "ann");
 * assert.throws(
 *   () => appendRevocation(db, { override_id: id, actor: "bob", reason: "again" }, null),
 *   RangeError,
 * );
 * db.close();
 * ```
 */
export function appendRevocation(
  db: DatabaseSync,
  request: RevocationRequest,
  recordedAt: string | null,
): number {
  const r = parseInput(RevocationRequest, request, "revoke the override");
  const existing = statement(
    db,
    "SELECT o.id, v.id AS revoked FROM overrides o LEFT JOIN override_revocations v ON v.override_id = o.id WHERE o.id = ?",
  ).get(r.override_id);
  if (!existing) throw new InputError(`Cannot revoke override ${r.override_id}: no such override`);
  if (existing.revoked !== null) {
    throw new InputError(
      `Cannot revoke override ${r.override_id}: already revoked (revocation ${existing.revoked})`,
    );
  }
  const out = statement(
    db,
    "INSERT INTO override_revocations (override_id, actor, reason, recorded_at) VALUES (?,?,?,?)",
  ).run(r.override_id, r.actor, r.reason, recordedAt);
  return Number(out.lastInsertRowid);
}

/**
 * Appends a run's decisions, one per SKU.
 *
 * @param db A connection open for writing.
 * @param decisions The decisions; their run must exist.
 * @throws {Error} SQLite's constraint error when the run is unknown or a SKU is decided twice.
 *
 * @example Usage
 * ```ts
 * import { appendDecisions } from "./pricing.ts";
 * import { appendRunStart } from "./runs.ts";
 * import { openStore } from "../db.ts";
 * import { readDecisions } from "../read/pricing.ts";
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
 * assert.deepEqual(readDecisions(db, "run-1"), [decision]);
 * db.close();
 * ```
 */
export function appendDecisions(db: DatabaseSync, decisions: readonly Decision[]): void {
  const stmt = statement(
    db,
    `INSERT INTO decisions (run_id, run_date, sku, strategy, override_id, override_kind, snapshot_id,
      model_version, previous_price, price, expected_units, expected_revenue, expected_profit,
      infeasible, conflict, binding, reason_codes, explanation)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  for (const d of decisions) {
    stmt.run(
      d.run_id,
      d.run_date,
      d.sku,
      d.strategy,
      d.override_id,
      d.override_kind,
      d.snapshot_id,
      d.model_version,
      d.previous_price,
      d.price,
      d.expected_units,
      d.expected_revenue,
      d.expected_profit,
      d.infeasible ? 1 : 0,
      d.conflict,
      canonicalJson(d.binding),
      canonicalJson(d.reason_codes),
      canonicalJson(d.explanation),
    );
  }
}

/**
 * Records a succeeded run's forecasts compactly in `decision_pairs` (run date, SKU, its
 * snapshot's category, strategy, expected units): what the daily monitoring joins to the
 * actuals. Called when the run seals, with every decision of the run (by SKU) and its snapshots;
 * a decision without a snapshot of its SKU is left out, as the join of the two tables
 * would leave it out.
 *
 * @param db The store.
 * @param snapshots The run's snapshots (their features give the category).
 * @param decisions The run's decisions.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../db.ts";
 * import { appendDecisionPairs } from "./pricing.ts";
 *
 * const db = openStore(":memory:");
 * appendDecisionPairs(
 *   db,
 *   [{ sku: "A1", features: { category: "snacks" } }],
 *   [{ run_date: "2025-01-06", sku: "A1", strategy: "ml", expected_units: 4.5 }],
 * );
 * assert.deepEqual(
 *   { ...db.prepare("SELECT * FROM decision_pairs").get() },
 *   { run_date: "2025-01-06", sku: "A1", category: "snacks", strategy: "ml", expected_units: 4.5 },
 * );
 * ```
 */
export function appendDecisionPairs(
  db: DatabaseSync,
  snapshots: readonly { sku: string; features: { category?: unknown } }[],
  decisions: readonly Pick<Decision, "run_date" | "sku" | "strategy" | "expected_units">[],
): void {
  const category = new Map(snapshots.map((s) => [s.sku, s.features.category]));
  const stmt = statement(
    db,
    `INSERT INTO decision_pairs (run_date, sku, category, strategy, expected_units)
     VALUES (?,?,?,?,?)`,
  );
  for (const d of decisions) {
    if (!category.has(d.sku)) continue;
    const c = category.get(d.sku);
    stmt.run(d.run_date, d.sku, typeof c === "string" ? c : null, d.strategy, d.expected_units);
  }
}
