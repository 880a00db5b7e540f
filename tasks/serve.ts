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
import { InputError } from "../engine/util/errors.ts";
import { DEFAULT_DB, defineTask, Flags, log, runMain } from "./_cli.ts";

/** `deno task serve`. */
export const task = defineTask({
  name: "serve",
  about:
    "Serves the built site (deno task site:build) and a JSON API over the store: health, alerts, runs, pricing status, SKU history, decisions with their explanations, models and overrides (GET /api/..., the OpenAPI document at /api/openapi.json). Signed-in users record intent: operators record and revoke overrides, approvers approve or reject models, each an appended row with the user as actor, never a price. Tokens: deno task users add NAME --role ROLE. Stops on SIGINT or SIGTERM.",
  flags: z.object({
    db: Flags.db(`the store (default ${DEFAULT_DB}); it must exist`).default(DEFAULT_DB),
    port: Flags.whole("port (default 8080; 0 picks a free one)", { min: 0, max: 65535 })
      .default(8080),
    host: z.string().min(1).meta({
      arg: "HOST",
      help: "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
    }).default("127.0.0.1"),
    site: z.string().min(1).meta({
      arg: "DIR",
      help: "the built site (default site/dist; the API alone when it does not exist)",
    }).default("site/dist"),
  }),
  exitCodes: "Exit codes: 0 stopped, 1 failure, 2 bad usage (no store, port in use).",
  async run({ flags: f, json }) {
    if (!existsSync(f.db)) {
      throw new InputError(
        `Cannot serve: no store at --db ${f.db} (run deno task daily to create the demo store, or pass --db PATH)`,
      );
    }
    const site = existsSync(f.site) ? resolve(f.site) : null;
    if (!site) {
      log(`serve: no built site at ${f.site}: serving the API only (deno task site:build)`);
    }
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
        throw new InputError(
          `Cannot serve: --port ${f.port} on ${f.host} is in use (pick another with --port)`,
          { cause: error },
        );
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
  },
});

if (import.meta.main) await runMain(task);
