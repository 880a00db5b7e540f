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
  kind: OverrideKind;
  scope: OverrideScope;
  /** The SKU or category; null for scope "all". */
  target: string | null;
  /** First run date it applies to. Default: the store's next run date. */
  from?: string;
  /** First run date it no longer applies to (exclusive). */
  until: string;
  actor: string;
  reason: string;
}

/**
 * Records an override and returns it as stored. Throws `RangeError` when the
 * SKU or category is not in the catalog in force before `until`, or when the
 * window is empty; `TypeError` when a field is malformed.
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

/** Revokes override `id` and returns it as stored, revocation included. */
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

/** Every override by id, or those that would apply on `activeOn`. */
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
