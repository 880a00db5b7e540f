/**
 * The run lock. A run holds the store's write lock (BEGIN IMMEDIATE) from its
 * first read to its commit, so a second concurrent run of the same store fails
 * fast instead of waiting or interleaving; SQLite releases the lock if the
 * process dies, so a crash never leaves a stale lock behind.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { isBusyError, rollback } from "../store/db.ts";
import { LockHeldError } from "../util/errors.ts";

/** Thrown when another run holds the store (defined with the engine's other errors). */
export { LockHeldError };

/**
 * Runs `fn` holding the write lock in one transaction; commits if it returns, rolls back if it
 * throws. Throws {@linkcode LockHeldError} when another connection holds the lock.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendCalendarDays, LockHeldError, openStore, readClosedDays } from "../mod.ts";
 * import { withRunLock } from "./lock.ts";
 *
 * const dir = Deno.makeTempDirSync();
 * const db = openStore(`${dir}/store.db`);
 * const close = (date: string) =>
 *   appendCalendarDays(db, [{ date, status: "closed", reason: "stock count" }]);
 * withRunLock(db, "2025-02-01", () => close("2025-01-06"));
 * assert.throws(() =>
 *   withRunLock(db, "2025-02-01", () => {
 *     close("2025-01-13");
 *     throw new Error("the run failed");
 *   }), /the run failed/);
 * assert.deepEqual(readClosedDays(db, "2025-01-01", "2025-02-01"), ["2025-01-06"]);
 * const other = openStore(`${dir}/store.db`);
 * other.exec("BEGIN IMMEDIATE");
 * assert.throws(() => withRunLock(db, "2025-02-01", () => close("2025-01-20")), LockHeldError);
 * other.exec("ROLLBACK");
 * other.close();
 * db.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function withRunLock<T>(db: DatabaseSync, runDate: string, fn: () => T): T {
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if (isBusyError(error)) throw new LockHeldError(`run ${runDate}`, { cause: error });
    throw error;
  }
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (error) {
    rollback(db);
    throw error;
  }
}
