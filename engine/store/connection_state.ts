/**
 * State kept per open connection, built from rows read through it (the
 * incremental readers' caches). A rollback of the connection drops all of it:
 * rows read inside the rolled-back transaction may no longer exist.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

const states = new WeakMap<DatabaseSync, Map<string, unknown>>();

/**
 * The state named `key` of connection `db`, created by `create` on first use
 * and after every rollback.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { connectionState } from "./connection_state.ts";
 *
 * const db = new DatabaseSync(":memory:");
 * const a = connectionState(db, "counter", () => ({ n: 0 }));
 * a.n++;
 * assert.equal(connectionState(db, "counter", () => ({ n: 0 })).n, 1);
 * ```
 */
export function connectionState<T>(db: DatabaseSync, key: string, create: () => T): T {
  let byKey = states.get(db);
  if (!byKey) states.set(db, byKey = new Map());
  if (!byKey.has(key)) byKey.set(key, create());
  return byKey.get(key) as T;
}

/**
 * Forgets every state of `db` (called when a transaction of `db` rolls back).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { connectionState, dropConnectionState } from "./connection_state.ts";
 *
 * const db = new DatabaseSync(":memory:");
 * connectionState(db, "counter", () => ({ n: 0 })).n = 5;
 * dropConnectionState(db);
 * assert.equal(connectionState(db, "counter", () => ({ n: 0 })).n, 0);
 * ```
 */
export function dropConnectionState(db: DatabaseSync): void {
  states.delete(db);
}
