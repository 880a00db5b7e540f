/** `deno task replay`: recompute a run's decisions and compare its output digest. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openReadOnly } from "../engine/store/queries.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { modelOfVersion } from "../engine/registry/load.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineTask, EXIT, Flags, log, printable, runMain } from "./_cli.ts";

/** `deno task replay`. */
export const task = defineTask({
  name: "replay",
  about:
    "Recomputes a past run's decisions from its stored snapshots, the overrides it saw, its pricing settings and its model, and compares the output digest with the stored one.",
  flags: z.object({
    run: Flags.text(
      "the run to replay, e.g. 2025-12-31#1 (see the summary of deno task daily)",
      "RUN_ID",
    ),
    db: Flags.db("the store (default data/pricing.db); opened read-only").default(
      "data/pricing.db",
    ),
  }),
  exitCodes:
    "Exit codes: 0 the replay matches, 1 it does not (or a failure), 2 bad usage or unknown run.",
  run({ flags, json }) {
    if (!existsSync(flags.db)) {
      throw new InputError(
        `no store at ${flags.db} (run deno task daily first, or pass --db PATH)`,
      );
    }
    const db = openReadOnly(flags.db);
    const report = (() => {
      try {
        return replayRun(db, flags.run, (v) => modelOfVersion(db, v));
      } finally {
        db.close();
      }
    })();
    if (json) console.log(JSON.stringify(report));
    else {
      log(
        report.match
          ? `Run ${report.run_id} (${report.run_date}): replay matches, ${report.decisions} decisions, digest ${report.stored_digest}`
          : [
            `Run ${report.run_id} (${report.run_date}): replay DIFFERS.`,
            `  digest recorded with the run:  ${report.stored_digest}`,
            `  digest of the stored decisions: ${report.decisions_digest}`,
            `  digest of the replayed ones:   ${report.replayed_digest}`,
            ...(report.differing_skus.length
              ? [`  SKUs decided differently: ${printable(report.differing_skus.join(", "))}`]
              : []),
            ...(report.snapshot_mismatches.length
              ? [
                `  snapshots whose features do not hash to their id: ${
                  printable(report.snapshot_mismatches.join(", "))
                }`,
              ]
              : []),
          ].join("\n"),
      );
    }
    return report.match ? EXIT.ok : EXIT.failure;
  },
});

if (import.meta.main) await runMain(task);
