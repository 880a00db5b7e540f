/** `deno task alerts`: list alerts, their state and counts. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openReadOnly, readAlerts } from "../engine/store/queries.ts";
import { AlertType } from "../engine/schema/monitoring.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineTask, Flags, log, printable, runMain } from "./_cli.ts";

/** `deno task alerts`. */
export const task = defineTask({
  name: "alerts",
  about:
    'Lists alerts: one per type and subject (a SKU, category:NAME, all, model:VERSION or override:ID), with severity, status (open or resolved), how many runs raised it, the run that opened it and the latest run that saw it, and the metrics that fired it. With --json: {"alerts": [...], "counts": {...}}.',
  flags: z.object({
    open: Flags.on("only open alerts").optional(),
    type: AlertType.meta({ arg: "TYPE", help: `only one type: ${AlertType.options.join(", ")}` })
      .optional(),
    db: Flags.db("the store (default data/pricing.db); opened read-only").default(
      "data/pricing.db",
    ),
  }),
  run({ flags: f, json }) {
    if (!existsSync(f.db)) {
      throw new InputError(`no store at ${f.db} (run deno task daily first, or pass --db PATH)`);
    }
    const db = openReadOnly(f.db);
    const alerts = (() => {
      try {
        return readAlerts(db, { open: f.open, type: f.type });
      } finally {
        db.close();
      }
    })();
    const counts: Record<string, number> = {};
    for (const a of alerts) counts[a.type] = (counts[a.type] ?? 0) + 1;
    if (json) {
      console.log(JSON.stringify({ alerts, counts }));
      return;
    }
    if (!alerts.length) log(f.open ? "No open alerts." : "No alerts.");
    for (const a of alerts) {
      log(
        `#${a.id} ${a.status.padEnd(8)} ${a.severity.padEnd(8)} ${a.type.padEnd(22)} ${
          printable(a.subject)
        } ` +
          `x${a.count} (${a.opened_run_date}..${a.last_run_date}): ${printable(a.message)}`,
      );
    }
  },
});

if (import.meta.main) await runMain(task);
