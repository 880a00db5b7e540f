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

/** Records an override request; returns its id. */
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

/** Records the revocation of an override; returns the revocation id. */
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

/** Appends a run's decisions. */
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
