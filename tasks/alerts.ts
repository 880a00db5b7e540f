/** `deno task alerts`: list alerts, their state and counts. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openReadOnly, readAlerts } from "../engine/store/queries.ts";
import { AlertType } from "../engine/schema/monitoring.ts";
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task alerts [--open] [--type TYPE] [--db PATH] [--json]

Lists alerts: one per type and subject (a SKU, category:NAME, all, model:VERSION or
override:ID), with severity, status (open or resolved), how many runs raised it, the
run that opened it and the latest run that saw it, and the metrics that fired it.

  --open        only open alerts
  --type TYPE   only one type: ${AlertType.options.join(", ")}
  --db PATH     the store (default data/pricing.db)
  --json        print exactly one JSON object on stdout: {"alerts": [...], "counts": {...}}
  -h, --help    this text

Exit codes: 0 success, 1 failure, 2 bad usage or input.`;

const Schema = z.object({
  open: z.boolean().optional(),
  type: AlertType.optional(),
  db: Flags.db,
});

let json = false;
await main("alerts", () => json, () => {
  const args = parseTask({
    name: "alerts",
    usage: USAGE,
    schema: Schema,
    flags: { open: { type: "boolean" }, type: { type: "string" }, db: { type: "string" } },
  }, Deno.args);
  json = args.json;
  const f = args.flags;
  if (!existsSync(f.db)) throw new UsageError(`no store at ${f.db} (run deno task daily first)`);
  const db = openReadOnly(f.db);
  const alerts = readAlerts(db, { open: f.open, type: f.type });
  db.close();
  const counts: Record<string, number> = {};
  for (const a of alerts) counts[a.type] = (counts[a.type] ?? 0) + 1;
  if (json) {
    console.log(JSON.stringify({ alerts, counts }));
    return;
  }
  if (!alerts.length) log(f.open ? "No open alerts." : "No alerts.");
  for (const a of alerts) {
    log(
      `#${a.id} ${a.status.padEnd(8)} ${a.severity.padEnd(8)} ${a.type.padEnd(22)} ${a.subject} ` +
        `x${a.count} (${a.opened_run_date}..${a.last_run_date}): ${a.message}`,
    );
  }
});
