/**
 * `deno task convert frat|oj`: turn a public weekly data set into a weekly
 * store's data-contract files, to load with `deno task init --period week
 * --week-start thursday` and `deno task import auto`.
 *
 * @module
 */
import { z } from "zod";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fratDataDir, loadFrat } from "../engine/data/frat.ts";
import { fratContractFiles } from "../engine/data/frat_store.ts";
import {
  OJ_RSCRIPT,
  ojContractFiles,
  ojMissingMessage,
  parseOrangeJuice,
} from "../engine/data/orange_juice.ts";
import type { ConvertedStore } from "../engine/data/real_store.ts";
import { InputError } from "../engine/util/errors.ts";
import { defineCommands, defineTask, Flags, log, runMain } from "./_cli.ts";
import { writeFileAtomically } from "./_files.ts";

const OUT = z.string().min(1).meta({
  arg: "DIR",
  help: "directory to write catalog.csv, sales.csv (and competitor.csv) into; created",
});
const STORES = Flags.whole("keep this many stores (default: all)");

const frat = defineTask({
  name: "convert frat",
  about:
    'Converts the dunnhumby "Breakfast at the Frat" files (transaction.csv, product.csv) into a weekly store\'s contract files: a SKU is a (store, product) pair, weeks start on Thursday, a week without a row is a week without sales, the unit cost is 70% of the median base price (the data has none); see the README, "Real data".',
  flags: z.object({
    out: OUT,
    stores: STORES.optional(),
    dir: z.string().min(1).meta({
      arg: "DIR",
      help:
        "where the Frat CSV files are (default: FRAT_DATA_DIR, else ../shared/data/frat from the project root)",
    }).optional(),
  }),
  async run({ flags, json }) {
    const dir = fratDataDir({ dir: flags.dir });
    let data;
    try {
      data = await loadFrat({ dir });
    } catch (error) {
      throw new InputError((error as Error).message, { cause: error });
    }
    finish(fratContractFiles(data, { stores: flags.stores }), flags.out, json);
  },
});

const oj = defineTask({
  name: "convert oj",
  about:
    "Converts Dominick's orange juice (the data set orangeJuice of the Debian package r-cran-bayesm, read with Rscript) into a weekly store's contract files: a SKU is a (store, brand) pair, the competitor price is the other brands' geometric mean price in the same store-week, the unit cost comes from the data's gross margin; see the README, \"Real data\".",
  flags: z.object({
    out: OUT,
    stores: STORES.optional(),
    csv: z.string().min(1).meta({
      arg: "FILE",
      help: `the data set as CSV (default: written now with Rscript -e '${OJ_RSCRIPT}' into --out)`,
    }).optional(),
  }),
  async run({ flags, json }) {
    mkdirSync(flags.out, { recursive: true });
    const csv = flags.csv ?? await writeOjCsv(flags.out);
    let text: string;
    try {
      text = await Deno.readTextFile(csv);
    } catch (error) {
      throw new InputError(ojMissingMessage(`${csv}: ${(error as Error).message}`), {
        cause: error,
      });
    }
    finish(ojContractFiles(parseOrangeJuice(text), { stores: flags.stores }), flags.out, json);
  },
});

/** Writes the orange juice CSV with Rscript into `dir`; returns its path. */
async function writeOjCsv(dir: string): Promise<string> {
  const path = join(dir, "oj.csv");
  const script = OJ_RSCRIPT.replace('"oj.csv"', JSON.stringify(path));
  log(`convert oj: Rscript -e '${script}'`);
  let out;
  try {
    out = await new Deno.Command("Rscript", {
      args: ["-e", script],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  } catch (error) {
    throw new InputError(ojMissingMessage(`Rscript: ${(error as Error).message}`), {
      cause: error,
    });
  }
  if (out.code !== 0) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-2).join(" ");
    throw new InputError(ojMissingMessage(`Rscript exited ${out.code}: ${err}`));
  }
  return path;
}

function finish(store: ConvertedStore, out: string, json: boolean): void {
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(store.files)) {
    writeFileAtomically(join(out, name), text);
  }
  const files = Object.keys(store.files).map((f) => join(out, f));
  if (json) {
    console.log(JSON.stringify({ status: "converted", out, files, ...store.summary }));
    return;
  }
  const s = store.summary;
  log(
    `Converted ${s.source}: ${s.stores.length} stores, ${s.skus} SKUs in ${s.categories.length} categories, ` +
      `${s.weeks} weeks from ${s.first_week} to ${s.last_week} (weeks start on ${s.week_start}).`,
  );
  for (const n of s.notes) log(`  - ${n}`);
  log(
    `Next:\n  deno task init --db STORE.db --period week --week-start ${s.week_start}\n` +
      `  deno task import auto ${files.join(" ")} --db STORE.db\n` +
      `  deno task models train --db STORE.db\n  deno task daily --db STORE.db`,
  );
}

/** `deno task convert`. */
export const task = defineCommands({
  name: "convert",
  about:
    "Converts a public weekly retail data set into data-contract files for a weekly store (never committed: the data sets are not part of this repository).",
  commands: { frat, oj },
});

if (import.meta.main) await runMain(task);
