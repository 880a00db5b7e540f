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
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task monitor [--date YYYY-MM-DD] [--db PATH] [--json]

Runs the monitoring stage for the succeeded run of a date (default: the latest succeeded
run): forecast accuracy on the actuals recorded so far (WAPE and bias over 7 and 30 days,
overall, by strategy and by category), feature drift against the champion's training
reference, data quality of the inputs, alerts and retrain requests. The daily run already
does this as its monitoring stage; use this task for runs made without it.

A run is monitored once. Monitoring it again changes nothing and reports the recorded
result with "monitoring": "already_monitored"; no alert is opened or counted twice.
A date earlier than the latest monitored run is refused (alert state moves forward).

  --date YYYY-MM-DD   the run date (default: the latest succeeded run)
  --db PATH           the store (default data/pricing.db)
  --json              print exactly one JSON object on stdout
  -h, --help          this text

Exit codes: 0 success or already monitored, 1 failure, 2 bad usage or input (no run for
the date), 3 another run holds the store.`;

const Schema = z.object({ date: Flags.date, db: Flags.db });

let json = false;
await main("monitor", () => json, () => {
  const args = parseTask({
    name: "monitor",
    usage: USAGE,
    schema: Schema,
    flags: { date: { type: "string" }, db: { type: "string" } },
  }, Deno.args);
  json = args.json;
  const { db: path } = args.flags;
  if (!existsSync(path)) throw new UsageError(`no store at ${path} (run deno task daily first)`);
  const db = openStore(path);
  const date = args.flags.date ??
    readRuns(db).find((r) => r.status === "succeeded")?.run_date;
  if (!date) throw new UsageError(`no succeeded run in ${path} to monitor`);
  const s = monitorDate(db, date, { recordedAt: new Date().toISOString() });
  db.close();
  if (json) console.log(JSON.stringify(s));
  const open = Object.entries(s.alerts).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
  log(
    `${s.run_date}: ${
      s.monitoring === "already_monitored" ? "already monitored (nothing changed)" : "monitored"
    }; forecast WAPE 7d ${s.forecast.wape_7d ?? "-"}, 30d ${s.forecast.wape_30d ?? "-"}; ` +
      `open alerts: ${open.length ? open.join(", ") : "none"}` +
      (s.retrain.request_id !== null ? `; retrain request ${s.retrain.request_id}` : ""),
  );
});
