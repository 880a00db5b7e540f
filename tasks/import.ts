/**
 * `deno task import KIND FILE...`: brings contract files (CSV or Parquet) into a
 * store, every row validated and every problem named, with a rejects file
 * beside each input that has problems.
 *
 * @module
 */
import { z } from "zod";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { type ImportFile, importFiles, type ImportReport } from "../engine/ingest/import.ts";
import { CONTRACT_KINDS, type ContractKind } from "../engine/schema/contract.ts";
import { InputError } from "../engine/util/errors.ts";
import { DEFAULT_DB, defineTask, EXIT, Flags, log, printable, runMain } from "./_cli.ts";
import { localToday, writeFileAtomically } from "./_files.ts";

const KIND = z.enum(["auto", ...CONTRACT_KINDS] as [string, ...string[]]);

/** `deno task import`. */
export const task = defineTask({
  name: "import",
  about:
    "Imports data-contract files into a store: catalog, sales, inventory, competitor prices or raw point-of-sale transactions, as CSV (header row) or Parquet. Every row is validated and every problem named (file, line, column, value, rule); the full list goes to FILE.rejects.csv beside each input. All files of one call are imported in one transaction. A file imported before (same kind and content) changes nothing. See the README's data contract for every column.",
  positionals: [
    {
      name: "KIND",
      help:
        "catalog, sales, transactions, inventory, competitor, or auto (each file's kind from the start of its name, e.g. sales-2024.csv; catalog files go first)",
    },
    { name: "FILE", help: "the files to import (.csv, or .parquet)", variadic: true },
  ],
  flags: z.object({
    db: Flags.db(`the store (default ${DEFAULT_DB}); it must exist (see deno task init)`)
      .default(DEFAULT_DB),
    "on-error": z.enum(["reject", "skip"]).meta({
      arg: "reject|skip",
      help:
        "reject (default): when any row is bad nothing is written; skip: the good rows are written, the bad ones only reported",
    }).optional(),
    "dry-run": Flags.on("validate and report, write nothing").optional(),
    reason: Flags.text(
      "why: recorded on the import and on every correction (a row that differs from the stored one is refused without it)",
      "TEXT",
    ).optional(),
    by: Flags.text('who imports (default "cli")', "WHO").optional(),
    "as-of": Flags.date(
      "facts dated after this day are refused (default: today, in this machine's time zone)",
    ).optional(),
    "exclude-sku": z.string().min(1).meta({
      arg: "CODE,...",
      help:
        "transactions: SKU codes that are not merchandise (postage, fees, manual adjustments), skipped and counted",
    }).optional(),
    "closed-days": z.string().min(1).meta({
      arg: "DATE,...",
      help: "sales: days the store was closed, recorded in its trading calendar",
    }).optional(),
  }),
  notes:
    "Exit 2 when any row was rejected (with --on-error skip too: the good rows are written, the exit code says not all were), 0 otherwise.",
  async run({ flags, positionals: [kind, ...files], json }) {
    const parsedKind = KIND.safeParse(kind);
    if (!parsedKind.success) {
      throw new InputError(
        `KIND: expected one of ${KIND.options.join(", ")} (got ${JSON.stringify(kind)})`,
      );
    }
    if (!existsSync(flags.db)) {
      throw new InputError(
        `Cannot import into --db ${flags.db}: no store there; create it with deno task init --db ${flags.db}`,
      );
    }
    const inputs: ImportFile[] = files.map((file) => ({
      file,
      kind: kind === "auto" ? kindOfName(file) : kind as ContractKind,
      bytes: readInput(file),
    }));
    const list = (v?: string) => v?.split(",").map((x) => x.trim()).filter(Boolean) ?? [];
    const db = openStore(flags.db);
    let result;
    try {
      result = await importFiles(db, inputs, {
        asOf: flags["as-of"] ?? localToday(),
        actor: flags.by ?? "cli",
        reason: flags.reason ?? null,
        onError: flags["on-error"],
        dryRun: flags["dry-run"],
        excludeSkus: list(flags["exclude-sku"]),
        closedDays: list(flags["closed-days"]),
        recordedAt: new Date().toISOString(),
        onProgress: (m) => log(`import: ${m}`),
      });
    } finally {
      db.close();
    }
    const rejects = result.rejects.map((r) => {
      const path = `${r.file}.rejects.csv`;
      writeFileAtomically(path, r.csv);
      return path;
    });
    if (json) console.log(JSON.stringify({ ...result.report, rejects_files: rejects }));
    else log(describe(result.report, rejects));
    return result.report.problems.total > 0 ? EXIT.usage : EXIT.ok;
  },
});

if (import.meta.main) await runMain(task);

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function kindOfName(file: string): ContractKind {
  const name = basename(file).toLowerCase();
  const kind = CONTRACT_KINDS.find((k) => name.startsWith(k));
  if (!kind) {
    throw new InputError(
      `Cannot tell the kind of ${file}: its name must start with ${
        CONTRACT_KINDS.join(", ")
      } (or give KIND instead of auto)`,
    );
  }
  return kind;
}

function describe(r: ImportReport, rejects: string[]): string {
  const lines = r.files.map((f) =>
    `${printable(f.file)} (${f.kind}): ${f.status}${
      f.import_id ? ` as import #${f.import_id}` : ""
    }; rows read ${f.rows.read}, written ${f.rows.written}, unchanged ${f.rows.unchanged}, corrected ${f.rows.corrected}, rejected ${f.rows.rejected}`
  );
  lines.unshift(`Import ${r.status}.`);
  if (r.status === "rejected") {
    lines.push(
      "Nothing was written (--on-error reject); fix the rows below, or pass --on-error skip.",
    );
  }
  if (r.problems.total) {
    lines.push(
      `${r.problems.total} problems: ${
        Object.entries(r.problems.by_rule).map(([k, n]) => `${k} ${n}`).join(", ")
      }. First ones:`,
    );
    for (const p of r.problems.first) {
      lines.push(
        `  ${printable(p.file)}:${p.line}${p.column ? ` ${p.column}` : ""} = ${
          printable(JSON.stringify(p.value))
        }: ${p.rule}: ${printable(p.message)}`,
      );
    }
    lines.push(`Every problem is in ${rejects.map((f) => printable(f)).join(", ")}.`);
  }
  if (r.quality.total) {
    lines.push(
      `${r.quality.total} data-quality findings recorded (rows still imported): ${
        Object.entries(r.quality.by_check).map(([k, n]) => `${k} ${n}`).join(", ")
      }`,
    );
    for (const q of r.quality.first.slice(0, 5)) {
      lines.push(`  line ${q.line ?? "-"} ${printable(q.sku ?? "")}: ${printable(q.message)}`);
    }
  }
  return lines.join("\n");
}
