/**
 * Read-only queries of the operations server's users and their tokens (the
 * sha256 of each, never a token).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { TokenRecord, UserRecord } from "../../schema/users.ts";
import { flag, rows } from "./_rows.ts";

/**
 * Users by name, with how many tokens they were issued and how many are not revoked.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readUsers } from "./users.ts";
 * import { openStore } from "../db.ts";
 * import { appendTokenRevocation, appendUser, appendUserToken } from "../write/users.ts";
 *
 * const db = openStore(":memory:");
 * const by = { actor: "admin", recordedAt: null };
 * const ann = appendUser(db, { name: "ann", role: "approver" }, by);
 * appendUser(db, { name: "bob", role: "viewer" }, by);
 * appendUserToken(db, ann, "a".repeat(64), by);
 * appendTokenRevocation(db, appendUserToken(db, ann, "b".repeat(64), by), "rotated", by);
 * assert.deepEqual(readUsers(db).map((u) => u.name), ["ann", "bob"]);
 * const [user] = readUsers(db, { name: "ann" });
 * assert.deepEqual([user.tokens, user.live_tokens], [2, 1]);
 * db.close();
 * ```
 */
export function readUsers(db: DatabaseSync, options: { name?: string } = {}): UserRecord[] {
  const raw = statement(
    db,
    `SELECT u.id, u.name, u.role, u.actor, u.recorded_at,
       (SELECT count(*) FROM v_user_tokens t WHERE t.user_id = u.id) AS tokens,
       (SELECT count(*) FROM v_user_tokens t WHERE t.user_id = u.id AND NOT t.revoked) AS live_tokens
     FROM users u WHERE ? IS NULL OR u.name = ? ORDER BY u.name`,
  ).all(options.name ?? null, options.name ?? null);
  return rows(UserRecord, "user", raw);
}

/**
 * Tokens (their sha256) with user and role, by id; `live` leaves out the revoked ones.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTokens } from "./users.ts";
 * import { openStore } from "../db.ts";
 * import { appendTokenRevocation, appendUser, appendUserToken } from "../write/users.ts";
 *
 * const db = openStore(":memory:");
 * const by = { actor: "admin", recordedAt: null };
 * const ann = appendUser(db, { name: "ann", role: "operator" }, by);
 * const bob = appendUser(db, { name: "bob", role: "viewer" }, by);
 * const old = appendUserToken(db, ann, "a".repeat(64), by);
 * appendUserToken(db, bob, "b".repeat(64), by);
 * appendTokenRevocation(db, old, "rotated", by);
 * assert.equal(readTokens(db).length, 2);
 * assert.deepEqual(readTokens(db, { live: true }).map((t) => t.name), ["bob"]);
 * assert.deepEqual(readTokens(db, { userId: ann }).map((t) => t.revoked), [true]);
 * db.close();
 * ```
 */
export function readTokens(
  db: DatabaseSync,
  options: { live?: boolean; userId?: number } = {},
): TokenRecord[] {
  const raw = statement(
    db,
    `SELECT * FROM v_user_tokens WHERE (? = 0 OR NOT revoked) AND (? IS NULL OR user_id = ?)
     ORDER BY token_id`,
  ).all(options.live ? 1 : 0, options.userId ?? null, options.userId ?? null);
  return rows(TokenRecord, "user token", raw, (r) => ({ ...r, revoked: flag(r.revoked) }));
}
