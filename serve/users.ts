/**
 * The operations server's users and their bearer tokens: adding a user with a
 * role, issuing a token (shown once; only its sha256 is stored), revoking a
 * user's tokens, and checking a presented token against the stored hashes in
 * constant time.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Role, TokenRecord, UserRecord } from "../engine/schema/users.ts";
import { readTokens, readUsers } from "../engine/store/queries.ts";
import { InputError } from "../engine/util/errors.ts";
import {
  appendTokenRevocation,
  appendUser,
  appendUserToken,
  type Recorded,
  transaction,
} from "../engine/store/writer.ts";

/** A token as issued: `pw_` and 43 base64url characters (32 random bytes). */
const TOKEN = /^pw_[A-Za-z0-9_-]{43}$/;

/** A new random bearer token. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return `pw_${btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

/** The sha256 (hex) of a token: what the store keeps. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A user and the token just issued to them (the only time it is shown). */
export interface IssuedToken {
  user: UserRecord;
  token: string;
}

/** Adds user `name` with `role` and issues their first token. */
export function addUser(
  db: DatabaseSync,
  user: { name: string; role: Role },
  by: Recorded,
): IssuedToken {
  return transaction(db, () => {
    const id = appendUser(db, user, by);
    const token = newToken();
    appendUserToken(db, id, tokenHash(token), by);
    return { user: readUsers(db, { name: user.name })[0], token };
  });
}

/** Issues another token to an existing user. */
export function issueToken(db: DatabaseSync, name: string, by: Recorded): IssuedToken {
  return transaction(db, () => {
    const user = readUsers(db, { name })[0];
    if (!user) throw new InputError(`Cannot issue a token to ${name}: no such user`);
    const token = newToken();
    appendUserToken(db, user.id, tokenHash(token), by);
    return { user: readUsers(db, { name })[0], token };
  });
}

/** Revokes every live token of user `name`; returns how many. */
export function revokeUserTokens(
  db: DatabaseSync,
  name: string,
  reason: string,
  by: Recorded,
): { user: UserRecord; revoked: number } {
  if (!reason.trim()) throw new InputError(`Cannot revoke the tokens of ${name}: give a reason`);
  return transaction(db, () => {
    const user = readUsers(db, { name })[0];
    if (!user) throw new InputError(`Cannot revoke the tokens of ${name}: no such user`);
    const live = readTokens(db, { live: true, userId: user.id });
    for (const t of live) appendTokenRevocation(db, t.token_id, reason, by);
    return { user: readUsers(db, { name })[0], revoked: live.length };
  });
}

/**
 * The live token record matching `token`, or null. Every live hash is compared, in
 * constant time, whatever matches first: the time taken says nothing about the token.
 */
export function verifyToken(db: DatabaseSync, token: string): TokenRecord | null {
  const wellFormed = TOKEN.test(token);
  const bytes = new TextEncoder();
  const presented = bytes.encode(tokenHash(token));
  let found: TokenRecord | null = null;
  for (const t of readTokens(db, { live: true })) {
    if (timingSafeEqual(bytes.encode(t.token_sha256), presented) && wellFormed) found = t;
  }
  return found;
}
