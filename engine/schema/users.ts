/** The people who may use the operations server, their roles and their tokens. @module */
import { z } from "zod";

/**
 * What a user may do on the operations server: a `viewer` reads; an `operator`
 * also records and revokes overrides; an `approver` also approves and rejects
 * models. Each role includes the ones before it.
 */
export const Role = z.enum(["viewer", "operator", "approver"]);
export type Role = z.infer<typeof Role>;

/** A user's name: what the audit records as the actor of what they do. */
export const UserName = z.string().trim().regex(/^[A-Za-z0-9._@-]{1,64}$/, {
  error: (issue) =>
    `expected a user name of 1-64 letters, digits, '.', '_', '@' or '-', got ${
      JSON.stringify(issue.input)
    }`,
});

/** A user as stored, with how many live (not revoked) tokens they hold. */
export const UserRecord = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  role: Role,
  actor: z.string(),
  recorded_at: z.string().nullable(),
  tokens: z.number().int().min(0),
  live_tokens: z.number().int().min(0),
});
export type UserRecord = z.infer<typeof UserRecord>;

/** A token as stored: its sha256, never the token. */
export const TokenRecord = z.object({
  token_id: z.number().int().positive(),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  user_id: z.number().int().positive(),
  name: z.string(),
  role: Role,
  issued_at: z.string().nullable(),
  revoked: z.boolean(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;
