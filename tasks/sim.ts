/** `deno task sim`: write a simulated catalog and history into a new store. @module */
import { z } from "zod";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { contractCsv } from "../engine/ingest/write_csv.ts";
import { loadScenario, MAX_SKUS } from "../sim/scenario.ts";
import { writeSimulatedStore } from "../sim/store.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineTask, EXIT_CODES, Flags, log, MAX_DAYS, progressBar, runMain } from "./_cli.ts";
import { createStore } from "./_new_store.ts";

/** `deno task sim`. */
export const task = defineTask({
  name: "sim",
  about:
    "Simulates a market whose demand truly answers to price and writes its catalog and daily history (sales, inventory, competitor prices) into a new store. Same arguments, same bytes. The store is built in a temporary file beside PATH and moved into place when complete: a refused or failed run leaves no file.",
  flags: z.object({
    db: Flags.db("the store to create (must not exist yet)"),
    scenario: z.string().min(1).meta({
      arg: "NAME|FILE",
      help:
        'a scenario in sim/scenarios/ (without .json) or a path to a JSON file (default "default")',
    }).default("default"),
    skus: Flags.whole(`number of SKUs, 1 to ${MAX_SKUS} (default: the scenario's)`, {
      max: MAX_SKUS,
    }).optional(),
    days: Flags.days(`days of history, 1 to ${MAX_DAYS} (default: the scenario's)`).optional(),
    seed: Flags.seed("random seed, a whole number (default 1)").default(1),
    "export-csv": z.string().min(1).meta({
      arg: "DIR",
      help:
        "also write the store's inputs as data-contract files DIR/catalog.csv, sales.csv, inventory.csv and competitor.csv (for deno task import auto DIR/*.csv)",
    }).optional(),
  }),
  exitCodes: EXIT_CODES.replace(
    "bad usage or input",
    "bad usage or input (including an existing store)",
  ),
  async run({ flags: f, json }) {
    if (existsSync(f.db)) {
      throw new InputError(`${f.db} already exists: choose a new path (nothing was written)`);
    }
    const scenario = await loadScenario(f.scenario);
    const started = performance.now();
    const summary = await createStore(f.db, (db) =>
      writeSimulatedStore(
        db,
        { scenario, seed: f.seed, skus: f.skus, historyDays: f.days },
        { onProgress: progressBar("simulating"), onIndexProgress: progressBar("history blocks") },
      ));
    const csv = f["export-csv"] ? exportCsv(f.db, f["export-csv"]) : null;
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    if (json) {
      console.log(
        JSON.stringify({ status: "written", db: f.db, ...summary, seconds, csv_files: csv }),
      );
    } else {
      log(
        `Wrote ${f.db}: scenario ${summary.scenario}, seed ${summary.seed}, ${summary.skus} SKUs, ` +
          `${summary.startDate} to ${summary.endDate}, ${summary.rows.sales} sales rows in ${seconds} s.`,
      );
    }
  },
});

if (import.meta.main) await runMain(task);

/** Writes the store's inputs as contract CSV files into `dir`; returns their paths. */
function exportCsv(db: string, dir: string): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`Cannot write to --export-csv ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const store = openStore(db, { readOnly: true });
  try {
    return (["catalog", "sales", "inventory", "competitor"] as const).map((kind) => {
      const path = join(dir, `${kind}.csv`);
      const file = Deno.openSync(path, { write: true, create: true, truncate: true });
      const encoder = new TextEncoder();
      try {
        for (const chunk of contractCsv(store, kind)) {
          const bytes = encoder.encode(chunk);
          for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
        }
      } finally {
        file.close();
      }
      log(`Wrote ${path}`);
      return path;
    });
  } finally {
    store.close();
  }
}
