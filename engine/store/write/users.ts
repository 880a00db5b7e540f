/**
 * Writes of the operations server's users: a user with a role, the sha256 of a
 * token issued to them (the token itself is never stored), and a token's
 * revocation.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { statement } from "../db.ts";
import { InputError } from "../../util/errors.ts";
import { parseInput } from "../../schema/common.ts";
import { Role, UserName } from "../../schema/users.ts";

/** Who records a change, and when (wall-clock time supplied by the caller). */
export interface Recorded {
  /** Who makes the change. */
  actor: string;
  /** Wall-clock time supplied by the caller, or null. */
  recordedAt: string | null;
}

/**
 * Appends a user; returns its id. Throws `InputError` when the name is taken.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendUser } from "./users.ts";
 * import { openStore } from "../db.ts";
 * import { readUsers } from "../read/users.ts";
 *
 * const db = openStore(":memory:");
 * const by = { actor: "admin", recordedAt: null };
 * const id = appendUser(db, { name: "ann", role: "approver" }, by);
 * assert.equal(readUsers(db, { name: "ann" })[0].id, id);
 * assert.throws(() => appendUser(db, { name: "ann", role: "viewer" }, by), /name is taken/);
 * db.close();
 * ```
 */
export function appendUser(
  db: DatabaseSync,
  user: { name: string; role: Role },
  by: Recorded,
): number {
  const name = parseInput(UserName, user.name, "add the user");
  const role = parseInput(Role, user.role, `add user ${name}`);
  if (statement(db, "SELECT 1 FROM users WHERE name = ?").get(name)) {
    throw new InputError(`Cannot add user ${name}: the name is taken (issue a token instead)`);
  }
  const r = statement(db, "INSERT INTO users (name, role, actor, recorded_at) VALUES (?,?,?,?)")
    .run(name, role, by.actor, by.recordedAt);
  return Number(r.lastInsertRowid);
}

/**
 * Appends the sha256 (64 hex digits) of a token issued to user `userId`; returns the token id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendUser, appendUserToken } from "./users.ts";
 * import { openStore } from "../db.ts";
 * import { readTokens } from "../read/users.ts";
 *
 * const db = openStore(":memory:");
 * const by = { actor: "admin", recordedAt: null };
 * const userId = appendUser(db, { name: "ann", role: "operator" }, by);
 * const tokenId = appendUserToken(db, userId, "c".repeat(64), by);
 * assert.deepEqual(readTokens(db).map((t) => [t.token_id, t.name]), [[tokenId, "ann"]]);
 * assert.throws(() => appendUserToken(db, userId, "not a hash", by), TypeError);
 * db.close();
 * ```
 */
export function appendUserToken(
  db: DatabaseSync,
  userId: number,
  tokenSha256: string,
  by: Recorded,
): number {
  if (!/^[0-9a-f]{64}$/.test(tokenSha256)) {
    throw new TypeError("Cannot store a token: expected its sha256 as 64 hex digits");
  }
  const r = statement(
    db,
    "INSERT INTO user_tokens (user_id, token_sha256, actor, recorded_at) VALUES (?,?,?,?)",
  ).run(userId, tokenSha256, by.actor, by.recordedAt);
  return Number(r.lastInsertRowid);
}

/**
 * Appends the revocation of token `tokenId`; returns the revocation id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendTokenRevocation, appendUser, appendUserToken } from "./users.ts";
 * import { openStore } from "../db.ts";
 * import { readTokens } from "../read/users.ts";
 *
 * const db = openStore(":memory:");
 * const by = { actor: "admin", recordedAt: null };
 * const userId = appendUser(db, { name: "ann", role: "viewer" }, by);
 * const tokenId = appendUserToken(db, userId, "d".repeat(64), by);
 * appendTokenRevocation(db, tokenId, "laptop lost", by);
 * assert.equal(readTokens(db)[0].revoked, true);
 * assert.deepEqual(readTokens(db, { live: true }), []);
 * db.close();
 * ```
 */
export function appendTokenRevocation(
  db: DatabaseSync,
  tokenId: number,
  reason: string,
  by: Recorded,
): number {
  const r = statement(
    db,
    "INSERT INTO user_token_revocations (token_id, actor, reason, recorded_at) VALUES (?,?,?,?)",
  ).run(tokenId, by.actor, reason, by.recordedAt);
  return Number(r.lastInsertRowid);
}
