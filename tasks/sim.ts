/** `deno task sim`: write a simulated catalog and history into a new store. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { loadScenario } from "../sim/scenario.ts";
import { writeSimulatedStore } from "../sim/store.ts";
import { Flags, log, main, parseTask, progressBar } from "./_cli.ts";

const USAGE =
  `Usage: deno task sim --db PATH [--scenario NAME|FILE] [--skus N] [--days N] [--seed S] [--json]

Simulates a market whose demand truly answers to price and writes its catalog and daily
history (sales, inventory, competitor prices) into a new store. Same arguments, same bytes.

  --db PATH          the store to create (must not exist yet)
  --scenario NAME    a scenario in sim/scenarios/ (without .json) or a path to a JSON file
                     (default "default")
  --skus N           number of SKUs (default: the scenario's)
  --days N           days of history (default: the scenario's)
  --seed S           random seed, a whole number (default 1)
  --json             print exactly one JSON object on stdout
  -h, --help         this text

Exit codes: 0 written, 1 failure, 2 bad usage or input (including an existing store).`;

const Schema = z.object({
  db: z.string().min(1, { error: "is required" }),
  scenario: z.string().min(1).default("default"),
  skus: Flags.positiveInt("--skus").optional(),
  days: Flags.positiveInt("--days").optional(),
  seed: z.string().regex(/^\d+$/, { error: "--seed expects a whole number" }).transform(Number)
    .default(1),
});

let json = false;
await main("sim", () => json, async () => {
  const args = parseTask({
    name: "sim",
    usage: USAGE,
    schema: Schema,
    flags: {
      db: { type: "string" },
      scenario: { type: "string" },
      skus: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
    },
  }, Deno.args);
  json = args.json;
  const f = args.flags;
  if (existsSync(f.db)) {
    throw new RangeError(`${f.db} already exists: choose a new path (nothing was written)`);
  }
  const scenario = await loadScenario(f.scenario);
  const started = performance.now();
  const db = openStore(f.db);
  const summary = writeSimulatedStore(
    db,
    { scenario, seed: f.seed, skus: f.skus, historyDays: f.days },
    { onProgress: progressBar("simulating") },
  );
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  if (json) console.log(JSON.stringify({ status: "written", db: f.db, ...summary, seconds }));
  else {
    log(
      `Wrote ${f.db}: scenario ${summary.scenario}, seed ${summary.seed}, ${summary.skus} SKUs, ` +
        `${summary.startDate} to ${summary.endDate}, ${summary.rows.sales} sales rows in ${seconds} s.`,
    );
  }
});
