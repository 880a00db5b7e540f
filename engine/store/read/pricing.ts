/**
 * Read-only queries of pricing: overrides with their revocations and a run's
 * decisions.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import type { z } from "zod";
import { Decision, OverrideRecord } from "../../schema/pricing.ts";
import { flag, rows } from "./_rows.ts";

/** Options of {@linkcode readOverrides}. */
export interface ReadOverridesOptions {
  /** Only overrides whose window [effective_from, expires_at) contains this date. */
  activeOn?: string;
  /** Only overrides and revocations recorded up to these ids (what a past run saw). */
  upTo?: { overrideId: number; revocationId: number };
}

/** Overrides with their revocation, if any, by id. */
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

/** The highest override and revocation ids recorded so far (0 when none). */
export function overrideWatermark(db: DatabaseSync): { overrideId: number; revocationId: number } {
  const o = statement(db, "SELECT coalesce(max(id), 0) AS m FROM overrides").get();
  const r = statement(db, "SELECT coalesce(max(id), 0) AS m FROM override_revocations").get();
  return { overrideId: Number(o?.m ?? 0), revocationId: Number(r?.m ?? 0) };
}

/** The decisions of a run, by SKU. */
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

/** A run's price per SKU (what a market answers to), by SKU. */
export const DecidedPrice = Decision.pick({ sku: true, price: true });
export type DecidedPrice = z.infer<typeof DecidedPrice>;

/** The prices a run decided, by SKU: `readDecisions` without the explanations' cost. */
export function readDecidedPrices(db: DatabaseSync, runId: string): DecidedPrice[] {
  const raw = statement(db, "SELECT sku, price FROM decisions WHERE run_id = ? ORDER BY sku").all(
    runId,
  );
  return rows(DecidedPrice, "decided price", raw);
}
