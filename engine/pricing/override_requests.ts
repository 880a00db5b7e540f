/**
 * Override requests as pricing ops type them: record an intent (freeze or
 * force rules, for a SKU, a category or everything, until a date), revoke one,
 * list them. The first day defaults to the store's next run date, never to the
 * wall clock: an override is resolved when a run executes, for that run's date.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type {
  OverrideKind,
  OverrideRecord,
  OverrideRequest,
  OverrideScope,
} from "../schema/pricing.ts";
import { defaultRunDate, readCatalogBefore, readOverrides } from "../store/queries.ts";
import { appendOverride, appendRevocation, transaction } from "../store/writer.ts";
import { isInForce } from "./overrides.ts";
import { InputError } from "../util/errors.ts";

/** What pricing ops ask for. */
export interface OverrideIntent {
  /** Freeze the last price, or price by the rules. */
  kind: OverrideKind;
  /** What it covers: one SKU, a category or all SKUs. */
  scope: OverrideScope;
  /** The SKU or category; null for scope "all". */
  target: string | null;
  /** First run date it applies to. Default: the store's next run date. */
  from?: string;
  /** First run date it no longer applies to (exclusive). */
  until: string;
  /** Who asks (recorded). */
  actor: string;
  /** Why (recorded). */
  reason: string;
}

/**
 * Records an override and returns it as stored. Throws `RangeError` when the
 * SKU or category is not in the catalog in force before `until`, or when the
 * window is empty; `TypeError` when a field is malformed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, openStore } from "../mod.ts";
 * import { recordOverride } from "./override_requests.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * const intent = {
 *   kind: "PRICE_FREEZE" as const, scope: "sku" as const, target: "A1", from: "2025-02-01",
 *   until: "2025-02-08", actor: "ops", reason: "supplier promotion",
 * };
 * const stored = recordOverride(db, intent, null);
 * assert.equal(stored.id, 1);
 * assert.equal(stored.expires_at, "2025-02-08");
 * assert.throws(() => recordOverride(db, { ...intent, target: "Z9" }, null), /no such sku/);
 * assert.throws(() => recordOverride(db, { ...intent, until: "2025-02-01" }, null), /not after/);
 * db.close();
 * ```
 */
export function recordOverride(
  db: DatabaseSync,
  intent: OverrideIntent,
  recordedAt: string | null,
): OverrideRecord {
  const from = intent.from ?? defaultRunDate(db);
  const what = `${intent.kind} for ${
    intent.scope === "all" ? "all SKUs" : `${intent.scope} ${intent.target}`
  }`;
  if (intent.until <= from) {
    throw new InputError(
      `Cannot record ${what}: it would end on ${intent.until}, not after its first day ${from}`,
    );
  }
  if (intent.scope !== "all" && intent.target !== null) {
    const catalog = readCatalogBefore(db, intent.until);
    const known = intent.scope === "sku"
      ? catalog.some((c) => c.sku === intent.target)
      : catalog.some((c) => c.category === intent.target);
    if (!known) {
      throw new InputError(
        `Cannot record ${what}: no such ${intent.scope} in the catalog before ${intent.until}`,
      );
    }
  }
  const request: OverrideRequest = {
    kind: intent.kind,
    scope: intent.scope,
    target: intent.scope === "all" ? null : intent.target,
    effective_from: from,
    expires_at: intent.until,
    actor: intent.actor,
    reason: intent.reason,
  };
  return transaction(db, () => {
    const id = appendOverride(db, request, recordedAt);
    return overrideById(db, id);
  });
}

/**
 * Revokes override `id` and returns it as stored, revocation included.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, openStore } from "../mod.ts";
 * import { recordOverride, revokeOverride } from "./override_requests.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * const { id } = recordOverride(db, {
 *   kind: "FORCE_RULE_BASED", scope: "category", target: "snacks", from: "2025-02-01",
 *   until: "2025-03-01", actor: "ops", reason: "model under review",
 * }, null);
 * const request = { override_id: id, actor: "ops", reason: "review done" };
 * const revoked = revokeOverride(db, request, null);
 * assert.equal(revoked.revoked_by, "ops");
 * assert.equal(revoked.revoke_reason, "review done");
 * db.close();
 * ```
 */
export function revokeOverride(
  db: DatabaseSync,
  request: { override_id: number; actor: string; reason: string },
  recordedAt: string | null,
): OverrideRecord {
  return transaction(db, () => {
    appendRevocation(db, request, recordedAt);
    return overrideById(db, request.override_id);
  });
}

/** Options of {@linkcode listOverrides}. */
export interface ListOverridesOptions {
  /** Only the overrides that would apply on this run date (in their window, not revoked). */
  activeOn?: string;
}

/**
 * Every override by id, or those that would apply on `activeOn`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCatalog, openStore } from "../mod.ts";
 * import { listOverrides, recordOverride } from "./override_requests.ts";
 *
 * const db = openStore(":memory:");
 * appendCatalog(db, [{
 *   sku: "A1", effective_date: "2025-01-01", category: "snacks", unit_cost: 1, floor_price: 1.5,
 *   ceiling_price: 3, min_margin: 0.1, max_daily_change: 0.1, price_ending: "any", active: true,
 * }]);
 * recordOverride(db, {
 *   kind: "PRICE_FREEZE", scope: "all", target: null, from: "2025-02-01", until: "2025-02-03",
 *   actor: "ops", reason: "stock count",
 * }, null);
 * assert.equal(listOverrides(db).length, 1);
 * assert.equal(listOverrides(db, { activeOn: "2025-02-02" }).length, 1);
 * assert.equal(listOverrides(db, { activeOn: "2025-02-03" }).length, 0); // expired
 * db.close();
 * ```
 */
export function listOverrides(
  db: DatabaseSync,
  options: ListOverridesOptions = {},
): OverrideRecord[] {
  const all = readOverrides(db, { activeOn: options.activeOn });
  return options.activeOn === undefined
    ? all
    : all.filter((o) => isInForce(o, options.activeOn as string));
}

function overrideById(db: DatabaseSync, id: number): OverrideRecord {
  const found = readOverrides(db, {
    upTo: { overrideId: id, revocationId: Number.MAX_SAFE_INTEGER },
  })
    .find((o) => o.id === id);
  if (!found) throw new InputError(`Cannot read override ${id}: no such override`);
  return found;
}
