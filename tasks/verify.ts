/** `deno task verify`: recompute the audit trail's hashes and name what breaks. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { verifyStore } from "../engine/pipeline/verify.ts";
import { InputError } from "../engine/util/errors.ts";
import { DEFAULT_DB, defineTask, EXIT, Flags, log, printable, runMain } from "./_cli.ts";

/** `deno task verify`. */
export const task = defineTask({
  name: "verify",
  about:
    "Verifies the store's audit trail, read-only: every append-only trigger in place and unaltered; every link of the run chain recomputed from the stored rows (the input rows each run read, by id range and content hash; its recorded events, snapshots, decisions, the overrides it saw and its model's artifact) and linked to the one before; every snapshot id equal to the sha256 of its features; every stored output digest equal to its decisions'; no succeeded run without a link and no run event after a success. Names each break: what, where (table and key), expected and found.",
  flags: z.object({
    db: Flags.db(`the store (default ${DEFAULT_DB}); opened read-only`).default(DEFAULT_DB),
    from: Flags.date(
      "recompute only the runs dated on or after this date (the chain's order is always checked)",
    )
      .optional(),
  }),
  notes:
    "It protects against edits through SQL and partial rewrites (a row, a snapshot and its decisions, a digest, a dropped trigger). It cannot catch someone who rewrites the whole file and every hash: keep the chain head it prints (also chain_head in deno task daily --json) somewhere else, and compare.",
  exitCodes:
    "Exit codes: 0 the audit trail verifies, 1 something does not (or a failure), 2 bad usage or no store.",
  run({ flags, json }) {
    if (!existsSync(flags.db)) throw new InputError(`Cannot verify: no store at --db ${flags.db}`);
    const db = openStore(flags.db, { readOnly: true, checkSchema: false });
    try {
      const report = verifyStore(db, { from: flags.from });
      if (json) console.log(JSON.stringify(report));
      else {
        const c = report.checked;
        log(
          report.ok
            ? `The audit trail verifies: ${c.links} chain links, ${c.runs} runs and ${c.snapshots} snapshots recomputed, ${c.triggers} triggers in place. Chain head ${report.chain_head}.`
            : `The audit trail does NOT verify: ${report.findings.length} findings. First:\n` +
              report.findings.slice(0, 20).map((f) =>
                `  ${f.check}: ${printable(f.message)}\n    ${f.table} ${
                  printable(f.key)
                }: expected ${printable(f.expected)}, found ${printable(f.found)}`
              ).join("\n"),
        );
      }
      return report.ok ? EXIT.ok : EXIT.failure;
    } finally {
      db.close();
    }
  },
});

if (import.meta.main) await runMain(task);
