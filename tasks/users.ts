/**
 * `deno task users`: who may sign in to the operations server (`deno task serve`)
 * and with which role; issues bearer tokens (shown once, stored only as sha256).
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { readUsers } from "../engine/store/queries.ts";
import { Role } from "../engine/schema/users.ts";
import { InputError } from "../engine/util/errors.ts";
import { addUser, issueToken, revokeUserTokens } from "../serve/mod.ts";
import { DEFAULT_DB, defineCommands, defineTask, Flags, log, printable, runMain } from "./_cli.ts";

const DB = Flags.db(`the store (default ${DEFAULT_DB}); it must exist`).default(DEFAULT_DB);
const BY = Flags.text('who adds or revokes (recorded; default "cli")', "WHO").optional();
const NAME = { name: "NAME", help: "the user: the actor the audit records" };

function withStore<T>(path: string, fn: (db: DatabaseSync) => T): T {
  if (!existsSync(path)) {
    throw new InputError(
      `Cannot manage users: no store at --db ${path} (run deno task daily first)`,
    );
  }
  const db = openStore(path, { busyTimeoutMs: 5_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function printToken(json: boolean, name: string, role: string, token: string): void {
  if (json) console.log(JSON.stringify({ status: "issued", user: name, role, token }));
  else console.log(token);
  log(
    `Token for ${
      printable(name)
    } (${role}) printed above; it is not stored and cannot be shown again. ` +
      `Use it as "Authorization: Bearer TOKEN" or sign in on the site's Controls page.`,
  );
}

const add = defineTask({
  name: "users add",
  about:
    "Adds a user and prints their first bearer token (once: the store keeps only its sha256). Roles: viewer reads the API; operator also records and revokes overrides; approver also approves and rejects models.",
  positionals: [NAME],
  flags: z.object({
    role: Role.meta({ arg: "ROLE", help: "viewer, operator or approver" }),
    by: BY,
    db: DB,
  }),
  run({ flags: f, positionals: [name], json }) {
    const r = withStore(
      f.db,
      (db) =>
        addUser(db, { name, role: f.role }, {
          actor: f.by ?? "cli",
          recordedAt: new Date().toISOString(),
        }),
    );
    printToken(json, r.user.name, r.user.role, r.token);
  },
});

const token = defineTask({
  name: "users token",
  about: "Issues another token to a user (e.g. one per machine).",
  positionals: [NAME],
  flags: z.object({ by: BY, db: DB }),
  run({ flags: f, positionals: [name], json }) {
    const r = withStore(
      f.db,
      (db) => issueToken(db, name, { actor: f.by ?? "cli", recordedAt: new Date().toISOString() }),
    );
    printToken(json, r.user.name, r.user.role, r.token);
  },
});

const revoke = defineTask({
  name: "users revoke",
  about: "Revokes every token of a user; sessions signed in with them end.",
  positionals: [NAME],
  flags: z.object({ reason: Flags.text("why (recorded)", "TEXT"), by: BY, db: DB }),
  run({ flags: f, positionals: [name], json }) {
    const r = withStore(
      f.db,
      (db) =>
        revokeUserTokens(db, name, f.reason, {
          actor: f.by ?? "cli",
          recordedAt: new Date().toISOString(),
        }),
    );
    if (json) console.log(JSON.stringify({ status: "revoked", user: r.user, revoked: r.revoked }));
    log(`Revoked ${r.revoked} token(s) of ${printable(r.user.name)}.`);
  },
});

const list = defineTask({
  name: "users list",
  about: "Users, roles and how many live tokens each holds.",
  flags: z.object({ db: DB }),
  run({ flags: f, json }) {
    const users = withStore(f.db, readUsers);
    if (json) console.log(JSON.stringify({ users }));
    else if (!users.length) log("No users: deno task users add NAME --role ROLE");
    for (const u of users) {
      log(
        `${printable(u.name).padEnd(24)} ${
          u.role.padEnd(9)
        } ${u.live_tokens} live token(s) of ${u.tokens}`,
      );
    }
  },
});

/** `deno task users`. */
export const task = defineCommands({
  name: "users",
  about:
    'Who may sign in to the operations server (deno task serve) and with which role. Use a token as "Authorization: Bearer TOKEN", or sign in on the site\'s Controls page.',
  commands: { add, token, revoke, list },
});

if (import.meta.main) await runMain(task);
