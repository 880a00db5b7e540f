/**
 * `deno task serve`: the built site and the operations API over a store, with
 * controls that record intent for signed-in users (see serve/).
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { startServer } from "../serve/mod.ts";
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task serve [--db PATH] [--port N] [--host HOST] [--site DIR] [--json]

Serves the built site (deno task site:build) and a JSON API over the store: health, alerts,
runs, pricing status, SKU history, decisions with their explanations, models and overrides
(GET /api/..., the OpenAPI document at /api/openapi.json). Signed-in users record intent:
operators record and revoke overrides, approvers approve or reject models, each an appended
row with the user as actor, never a price. Tokens: deno task users add NAME --role ROLE.

  --db PATH    the store (default data/pricing.db); it must exist
  --port N     port (default 8080; 0 picks a free one)
  --host HOST  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --site DIR   the built site (default site/dist; the API alone when it does not exist)
  --json       print one JSON object on stdout once listening ({"status":"listening","url",...})
  -h, --help   this text

Stops on SIGINT or SIGTERM. Exit codes: 0 stopped, 1 failure, 2 bad usage (no store, port in use).`;

const Schema = z.object({
  db: Flags.db,
  port: z.string().regex(/^\d+$/, { error: "--port expects a whole number" }).transform(Number)
    .refine((n) => n <= 65535, { error: "--port must be at most 65535" }).default(8080),
  host: z.string().min(1).default("127.0.0.1"),
  site: z.string().min(1).default("site/dist"),
});

let json = false;
await main("serve", () => json, async () => {
  const args = parseTask({
    name: "serve",
    usage: USAGE,
    schema: Schema,
    flags: {
      db: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      site: { type: "string" },
    },
  }, Deno.args);
  json = args.json;
  const f = args.flags;
  if (!existsSync(f.db)) {
    throw new UsageError(
      `no store at ${f.db} (run deno task daily to create the demo store, or pass --db PATH)`,
    );
  }
  const site = existsSync(f.site) ? resolve(f.site) : null;
  if (!site) log(`serve: no built site at ${f.site}: serving the API only (deno task site:build)`);
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => stop.abort());
  }
  let server;
  try {
    server = startServer({
      db: f.db,
      site,
      hostname: f.host,
      port: f.port,
      signal: stop.signal,
      onListen: () => {},
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(`port ${f.port} on ${f.host} is in use (pick another with --port)`);
    }
    throw error;
  }
  const url = `http://${server.addr.hostname}:${server.addr.port}/`;
  if (json) {
    console.log(
      JSON.stringify({ status: "listening", url, port: server.addr.port, db: f.db, site }),
    );
  }
  log(`serve: ${url} (store ${f.db}${site ? `, site ${site}` : ", API only"}); Ctrl-C stops`);
  await server.finished;
  log("serve: stopped");
});
