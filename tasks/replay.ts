/** `deno task replay`: recompute a run's decisions and compare its output digest. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openReadOnly } from "../engine/store/queries.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { modelOfVersion } from "../engine/registry/load.ts";
import { EXIT, Flags, log, main, parseTask } from "./_cli.ts";

const USAGE = `Usage: deno task replay --run RUN_ID [--db PATH] [--json]

Recomputes a past run's decisions from its stored snapshots, the overrides it saw, its
pricing settings and its model, and compares the output digest with the stored one.

  --run RUN_ID   the run to replay, e.g. 2025-12-31#1 (see the summary of deno task daily)
  --db PATH      the store (default data/pricing.db); opened read-only
  --json         print exactly one JSON object on stdout
  -h, --help     this text

Exit codes: 0 the replay matches, 1 it does not, 2 bad usage or unknown run.`;

let json = false;
await main("replay", () => json, () => {
  const args = parseTask({
    name: "replay",
    usage: USAGE,
    schema: z.object({ run: z.string().min(1, { error: "is required" }), db: Flags.db }),
    flags: { run: { type: "string" }, db: { type: "string" } },
  }, Deno.args);
  json = args.json;
  if (!existsSync(args.flags.db)) throw new RangeError(`no store at ${args.flags.db}`);
  const db = openReadOnly(args.flags.db);
  const report = replayRun(db, args.flags.run, (v) => modelOfVersion(db, v));
  db.close();
  if (json) console.log(JSON.stringify(report));
  else {
    log(
      report.match
        ? `Run ${report.run_id} (${report.run_date}): replay matches, ${report.decisions} decisions, digest ${report.stored_digest}`
        : `Run ${report.run_id} (${report.run_date}): replay DIFFERS: stored ${report.stored_digest}, replayed ${report.replayed_digest}; SKUs: ${
          report.differing_skus.join(", ")
        }`,
    );
  }
  return report.match ? EXIT.ok : EXIT.failure;
});
