/** `deno task export --run RUN_ID`: re-create a run's price file byte for byte. @module */
import { z } from "zod";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { deliverPriceExport } from "../engine/pipeline/export.ts";
import { InputError } from "../engine/util/errors.ts";
import { DEFAULT_DB, defineTask, Flags, log, runMain } from "./_cli.ts";
import { writeFileAtomically } from "./_files.ts";

/** `deno task export`. */
export const task = defineTask({
  name: "export",
  about:
    "Writes the price file of a succeeded run (prices-<store>-<date>.csv): the same bytes as when the run wrote it, with the same infeasible policy. Use it when a run's file failed to write, or to send a run's prices again. The write is recorded.",
  flags: z.object({
    run: Flags.text("the run, e.g. 2025-12-31#1", "RUN_ID"),
    db: Flags.db(`the store (default ${DEFAULT_DB})`).default(DEFAULT_DB),
    out: z.string().min(1).meta({
      arg: "DIR",
      help: "where to write it (default: <db dir>/exports)",
    }).optional(),
  }),
  run({ flags, json }) {
    if (!existsSync(flags.db)) throw new InputError(`Cannot export: no store at --db ${flags.db}`);
    const dir = flags.out ?? join(dirname(flags.db), "exports");
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new InputError(`Cannot write to --out ${dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const db = openStore(flags.db);
    try {
      const record = deliverPriceExport(
        db,
        flags.run,
        (file, csv) => writeFileAtomically(join(dir, file), csv),
        { recordedAt: new Date().toISOString() },
      );
      const path = join(dir, record.file);
      if (json) console.log(JSON.stringify({ ...record, path }));
      else {log(
          `Wrote ${path}: ${record.rows} prices of run ${flags.run} (sha256 ${record.sha256}).`,
        );}
    } finally {
      db.close();
    }
  },
});

if (import.meta.main) await runMain(task);
