/**
 * `deno task monitor`: run the monitoring stage alone for a date that has a
 * succeeded run. A run is monitored once: monitoring it again reports what was
 * recorded ("already_monitored") and writes nothing, so alerts never double.
 *
 * @module
 */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { readRuns } from "../engine/store/queries.ts";
import { monitorDate } from "../engine/pipeline/monitor.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineTask, EXIT_CODES, Flags, log, runMain } from "./_cli.ts";

/** `deno task monitor`. */
export const task = defineTask({
  name: "monitor",
  about:
    "Runs the monitoring stage for the succeeded run of a date (default: the latest succeeded run): forecast accuracy on the actuals recorded so far (WAPE and bias over 7 and 30 days, overall, by strategy and by category), feature drift against the champion's training reference, data quality of the inputs, alerts and retrain requests. The daily run already does this as its monitoring stage; use this task for runs made without it.",
  flags: z.object({
    date: Flags.date("the run date (default: the latest succeeded run)").optional(),
    db: Flags.db("the store (default data/pricing.db); it must exist").default("data/pricing.db"),
  }),
  notes:
    'A run is monitored once. Monitoring it again changes nothing and reports the recorded result with "monitoring": "already_monitored"; no alert is opened or counted twice. A date earlier than the latest monitored run is refused (alert state moves forward).',
  exitCodes: EXIT_CODES.replace("bad usage or input", "bad usage or input (no run for the date)"),
  run({ flags, json }) {
    const { db: path } = flags;
    if (!existsSync(path)) {
      throw new InputError(`no store at ${path} (run deno task daily first, or pass --db PATH)`);
    }
    const db = openStore(path);
    const s = (() => {
      try {
        const date = flags.date ?? readRuns(db).find((r) => r.status === "succeeded")?.run_date;
        if (!date) throw new InputError(`no succeeded run in ${path} to monitor`);
        return monitorDate(db, date, { recordedAt: new Date().toISOString() });
      } finally {
        db.close();
      }
    })();
    if (json) console.log(JSON.stringify(s));
    const open = Object.entries(s.alerts).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
    log(
      `${s.run_date}: ${
        s.monitoring === "already_monitored" ? "already monitored (nothing changed)" : "monitored"
      }; forecast WAPE 7d ${s.forecast.wape_7d ?? "-"}, 30d ${s.forecast.wape_30d ?? "-"}; ` +
        `open alerts: ${open.length ? open.join(", ") : "none"}` +
        (s.retrain.request_id !== null ? `; retrain request ${s.retrain.request_id}` : ""),
    );
  },
});

if (import.meta.main) await runMain(task);
