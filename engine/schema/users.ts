/** The people who may use the operations server, their roles and their tokens. @module */
import { z } from "zod";
import type { Infer } from "./common.ts";

const /** @ignore */ _Role = z.enum(["viewer", "operator", "approver"]);
/**
 * What a user may do on the operations server: a `viewer` reads; an `operator`
 * also records and revokes overrides; an `approver` also approves and rejects
 * models. Each role includes the ones before it.
 */
export const Role: typeof _Role = _Role;
/** The type {@linkcode Role} parses to. */
export type Role = Infer<typeof Role>;

const /** @ignore */ _UserName = z.string().trim().regex(/^[A-Za-z0-9._@-]{1,64}$/, {
  error: (issue) =>
    `expected a user name of 1-64 letters, digits, '.', '_', '@' or '-', got ${
      JSON.stringify(issue.input)
    }`,
});
/** A user's name: what the audit records as the actor of what they do. */
export const UserName: typeof _UserName = _UserName;

const /** @ignore */ _UserRecord = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  role: Role,
  actor: z.string(),
  recorded_at: z.string().nullable(),
  tokens: z.number().int().min(0),
  live_tokens: z.number().int().min(0),
});
/** A user as stored, with how many live (not revoked) tokens they hold. */
export const UserRecord: typeof _UserRecord = _UserRecord;
/** The type {@linkcode UserRecord} parses to. */
export type UserRecord = Infer<typeof UserRecord>;

const /** @ignore */ _TokenRecord = z.object({
  token_id: z.number().int().positive(),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  user_id: z.number().int().positive(),
  name: z.string(),
  role: Role,
  issued_at: z.string().nullable(),
  revoked: z.boolean(),
});
/** A token as stored: its sha256, never the token. */
export const TokenRecord: typeof _TokenRecord = _TokenRecord;
/** The type {@linkcode TokenRecord} parses to. */
export type TokenRecord = Infer<typeof TokenRecord>;
