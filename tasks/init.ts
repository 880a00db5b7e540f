/** `deno task init`: create an empty store (schema only) with its settings. @module */
import { z } from "zod";
import { appendStoreSettings, transaction } from "../engine/store/writer.ts";
import { Weekday } from "../engine/schema/imports.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineTask, Flags, log, runMain } from "./_cli.ts";
import { createStore } from "./_new_store.ts";

/** `deno task init`. */
export const task = defineTask({
  name: "init",
  about:
    "Creates an empty store (the schema, no data) for a retailer's own data, records its name and pricing period, and prints the next steps: deno task import for the catalog and history, then deno task daily.",
  flags: z.object({
    db: Flags.db("the store to create (must not exist)"),
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, {
      error: "expected 1-64 letters, digits, '.', '-' or '_'",
    }).meta({
      arg: "NAME",
      help: "the store's name, used in its price file names (default: the file name of --db)",
    }).optional(),
    period: z.enum(["day", "week"]).meta({
      arg: "day|week",
      help: "how often the store prices (default day)",
    }).optional(),
    "week-start": Weekday.meta({
      arg: "DAY",
      help: "a weekly store's first weekday, e.g. monday (required with --period week)",
    }).optional(),
    by: Flags.text('who creates it (default "cli")', "WHO").optional(),
  }),
  async run({ flags, json }) {
    const period = flags.period ?? "day";
    if ((period === "week") !== (flags["week-start"] !== undefined)) {
      throw new InputError(
        period === "week"
          ? "--week-start is required with --period week (e.g. --week-start monday)"
          : "--week-start applies to --period week only",
      );
    }
    const name = flags.name ??
      (flags.db.split("/").at(-1)!.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]/g, "-") ||
        "store");
    const settings = { name, period, week_start: flags["week-start"] ?? null } as const;
    await createStore(flags.db, (db) =>
      transaction(db, () =>
        appendStoreSettings(db, settings, {
          actor: flags.by ?? "cli",
          reason: "deno task init",
          recordedAt: new Date().toISOString(),
        })));
    if (json) console.log(JSON.stringify({ status: "created", db: flags.db, ...settings }));
    else {
      log(
        `Created the store ${name} at ${flags.db} (prices by ${period}). Next:\n` +
          `  deno task import catalog catalog.csv --db ${flags.db}\n` +
          `  deno task import sales sales.csv --db ${flags.db}   (or transactions, inventory, competitor)\n` +
          `  deno task daily --db ${flags.db}`,
      );
    }
  },
});

if (import.meta.main) await runMain(task);
