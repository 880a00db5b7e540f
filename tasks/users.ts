/**
 * `deno task users`: who may sign in to the operations server (`deno task serve`)
 * and with which role; issues bearer tokens (shown once, stored only as sha256).
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { readUsers } from "../engine/store/queries.ts";
import { Role } from "../engine/schema/users.ts";
import { addUser, issueToken, revokeUserTokens } from "../serve/mod.ts";
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage:
  deno task users add NAME --role viewer|operator|approver [--by WHO] [--db PATH] [--json]
  deno task users token NAME [--by WHO] [--db PATH] [--json]
  deno task users revoke NAME --reason TEXT [--by WHO] [--db PATH] [--json]
  deno task users list [--db PATH] [--json]

add      adds a user and prints their first bearer token (once: the store keeps only its sha256)
token    issues another token to a user (e.g. one per machine)
revoke   revokes every token of a user; sessions signed in with them end
list     users, roles and how many live tokens each holds

Roles: viewer reads the API; operator also records and revokes overrides; approver also
approves and rejects models. The user's NAME is the actor the audit records.

  --role R       viewer, operator or approver (add)
  --by WHO       who adds or revokes (recorded; default "cli")
  --reason TEXT  why (revoke)
  --db PATH      the store (default data/pricing.db); it must exist
  --json         print exactly one JSON object on stdout
  -h, --help     this text

Use a token as "Authorization: Bearer TOKEN", or sign in on the site's Controls page.
Exit codes: 0 success, 1 failure, 2 bad usage or input (unknown user, name taken, ...).`;

const Schema = z.object({
  role: Role.optional(),
  by: z.string().trim().min(1).default("cli"),
  reason: z.string().optional(),
  db: Flags.db,
});

let json = false;
await main("users", () => json, () => {
  const args = parseTask({
    name: "users",
    usage: USAGE,
    schema: Schema,
    positionals: 2,
    flags: {
      role: { type: "string" },
      by: { type: "string" },
      reason: { type: "string" },
      db: { type: "string" },
    },
  }, Deno.args);
  json = args.json;
  const [command, name] = args.positionals;
  const f = args.flags;
  if (!existsSync(f.db)) throw new UsageError(`no store at ${f.db} (run deno task daily first)`);
  const by = { actor: f.by, recordedAt: new Date().toISOString() };
  const needName = () => {
    if (!name) throw new UsageError(`users ${command} needs a NAME\n\n${USAGE}`);
    return name;
  };
  const db = openStore(f.db, { busyTimeoutMs: 5_000 });
  try {
    switch (command) {
      case "add": {
        if (!f.role) throw new UsageError("users add needs --role viewer|operator|approver");
        const r = addUser(db, { name: needName(), role: f.role }, by);
        return printToken(r.user.name, r.user.role, r.token);
      }
      case "token": {
        const r = issueToken(db, needName(), by);
        return printToken(r.user.name, r.user.role, r.token);
      }
      case "revoke": {
        if (!f.reason?.trim()) throw new UsageError("users revoke needs --reason TEXT");
        const r = revokeUserTokens(db, needName(), f.reason, by);
        if (json) {
          console.log(JSON.stringify({ status: "revoked", user: r.user, revoked: r.revoked }));
        }
        log(`Revoked ${r.revoked} token(s) of ${r.user.name}.`);
        return;
      }
      case "list": {
        const users = readUsers(db);
        if (json) console.log(JSON.stringify({ users }));
        else if (!users.length) log("No users: deno task users add NAME --role ROLE");
        for (const u of users) {
          log(
            `${u.name.padEnd(24)} ${
              u.role.padEnd(9)
            } ${u.live_tokens} live token(s) of ${u.tokens}`,
          );
        }
        return;
      }
      default:
        throw new UsageError(
          `${command ? `unknown command "${command}"` : "a command is required"}\n\n${USAGE}`,
        );
    }
  } finally {
    db.close();
  }
});

function printToken(name: string, role: string, token: string): void {
  if (json) console.log(JSON.stringify({ status: "issued", user: name, role, token }));
  else console.log(token);
  log(
    `Token for ${name} (${role}) printed above; it is not stored and cannot be shown again. ` +
      `Use it as "Authorization: Bearer TOKEN" or sign in on the site's Controls page.`,
  );
}
