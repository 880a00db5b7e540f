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

/** Users by name, with how many tokens they were issued and how many are not revoked. */
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

/** Tokens (their sha256) with user and role, by id; `live` leaves out the revoked ones. */
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
