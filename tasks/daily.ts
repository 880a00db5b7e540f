/**
 * `deno task daily`: price every SKU for a date (default: the day after the
 * latest sales), or for N consecutive dates. Creates the demo store first when
 * the database does not exist.
 *
 * @module
 */
import { z } from "zod";
import { dirname, join } from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import type { DatabaseSync } from "node:sqlite";
import { type DailyReport, runDailyShard } from "../engine/pipeline/daily.ts";
import { deliverPriceExport } from "../engine/pipeline/export.ts";
import { championModel } from "../engine/registry/load.ts";
import { defaultRunDate, readPriceExports } from "../engine/store/queries.ts";
import type { PriceExportRecord } from "../engine/schema/imports.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { dueRun } from "../engine/pipeline/due.ts";
import { readPricingPeriod } from "../engine/store/queries.ts";
import { addDays } from "../engine/util/date.ts";
import { InputError } from "../engine/util/errors.ts";
import { createDemoStore } from "../sim/demo.ts";
import { loadScenario } from "../sim/scenario.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import {
  DEFAULT_DB,
  defineTask,
  FIRST_DATE,
  Flags,
  LAST_DATE,
  log,
  MAX_DAYS,
  progressBar,
  runMain,
  type TaskArgs,
} from "./_cli.ts";
import { createStore } from "./_new_store.ts";
import { localToday, writeFileAtomically } from "./_files.ts";

const Schema = z.object({
  date: Flags.date(
    `first date to price (default: the day after the latest sales date; on a weekly store the week after the latest week with sales, and nothing when that week's sales are not in yet), from ${FIRST_DATE} to ${LAST_DATE}`,
  ).optional(),
  days: Flags.days(
    `price N consecutive dates (weeks on a weekly store; default 1, at most ${MAX_DAYS}; the last must be ${LAST_DATE} or earlier); in a simulator-backed store each run first records the previous day's simulated sales at the decided prices`,
  ).optional(),
  db: Flags.db(
    `the store (default ${DEFAULT_DB}); a missing store is refused, except at the default path or with --demo, where the demo store is created`,
  ).default(DEFAULT_DB),
  demo: Flags.on(
    "create the simulated demo store when --db does not exist (the default path always does)",
  ).optional(),
  scenario: z.string().min(1).meta({
    arg: "NAME|FILE",
    help:
      `the simulator scenario of a demo store being created (default "default"; e.g. regime-shift); ignored when the store exists`,
  }).default("default"),
  "export-dir": z.string().min(1).meta({
    arg: "DIR",
    help:
      "where each run's price file prices-<store>-<date>.csv is written (default: <db dir>/exports)",
  }).optional(),
  "export-infeasible": Flags.on(
    "export infeasible prices as decided (default: hold them back, exporting the previous price with the reason)",
  ).optional(),
  "allow-missing-actuals": Flags.on(
    "price although the last open day's sales are missing for more than 5% of the active SKUs (recorded with the run)",
  ).optional(),
  backfill: Flags.on(
    "price a --date earlier than the latest succeeded run (no monitoring for it)",
  ).optional(),
  shard: z.string().regex(/^[1-9][0-9]{0,3}\/[1-9][0-9]{0,3}$/, "expected K/N, e.g. 2/8").meta({
    arg: "K/N",
    help:
      "price only shard K of N (categories and families priced together hash to a shard); shards of one date run in parallel processes on one store, and the run succeeds, monitors and writes its price file when the last shard commits (one date only; see the README's scaling section)",
  }).optional(),
  "auto-retrain": Flags.on(
    "after a run that opened a retrain request (sustained drift), train a candidate of the champion's kind on the latest 365 days (104 weeks on a weekly store) and register it as pending; the champion keeps pricing until deno task models approve VERSION --by WHO --reason TEXT",
  ).optional(),
});

/** `deno task daily`. */
export const task = defineTask({
  name: "daily",
  about:
    `Runs the daily pricing job: features -> strategy per SKU -> constrained optimizer -> append-only audit -> monitoring (forecast accuracy, drift, data quality, alerts, retrain requests) -> price export. Idempotent: a date that already succeeded is reported as "already_succeeded" and nothing changes. A weekly store (deno task init --period week) prices the next week when it is due and otherwise reports "nothing_due" (exit 0).`,
  flags: Schema,
  run: daily,
});

if (import.meta.main) await runMain(task);

async function daily({ flags, json }: TaskArgs<z.output<typeof Schema>>): Promise<void> {
  const { db: path, days = 1 } = flags;
  if (flags.date) checkRange(flags.date, days);
  const exportDir = flags["export-dir"] ?? join(dirname(path), "exports");
  if (!existsSync(path)) {
    if (path !== DEFAULT_DB && !flags.demo) {
      throw new InputError(
        `Cannot run the daily job: no store at --db ${path}. Create one with deno task init --db ${path} and import your data (see the README's data contract), or pass --demo for the simulated demo store`,
      );
    }
    await createDemo(path, flags.scenario);
  }
  makeExportDir(exportDir); // a bad --export-dir is refused before any run is made
  const db = openStore(path);
  // A weekly store prices the next week once the week before it is in; until then, nothing.
  if (!flags.date && readPricingPeriod(db).kind === "week") {
    const due = dueRun(db, { asOf: localToday() });
    if (!due.due) {
      db.close();
      log(`${due.run_date}: ${due.reason}.`);
      if (json) {
        console.log(JSON.stringify({
          status: "nothing_due",
          run_date: due.run_date,
          period: due.period,
          reason: due.reason,
          export_dir: exportDir,
        }));
      }
      return;
    }
  }
  if (flags.shard) return shard(db, flags, exportDir, json);
  const bar = days > 1 ? progressBar("pricing") : () => {};
  const runs = runDates(db, {
    from: flags.date,
    days,
    asOf: localToday(),
    clock: () => new Date().toISOString(),
    recordActuals: recordSimulatedActuals,
    monitoring: {},
    preconditions: {
      allowMissingActuals: flags["allow-missing-actuals"],
      backfill: flags.backfill,
    },
    exportPrices: {
      write: (file, csv) => writeFileAtomically(join(exportDir, file), csv),
      infeasible: flags["export-infeasible"] ? "export" : "hold",
    },
    autoRetrain: flags["auto-retrain"]
      ? { actor: "auto-retrain", onProgress: (m) => log(`auto-retrain: ${m}`) }
      : undefined,
    onClosed: (date) => log(`${date}: the store is closed (trading calendar); nothing to price.`),
    onRun: (summary, i) => {
      const outcome = summary.retrained;
      if (outcome) {
        log(
          `auto-retrain: registered ${outcome.candidate.version} (holdout WAPE ${outcome.candidate.metrics.candidate.wape}) ` +
            `for retrain request ${outcome.request_id}; ${outcome.champion} keeps pricing until it is approved.`,
        );
      }
      bar(i + 1, days);
      if (!json || days === 1) log(describe(summary));
    },
  });
  db.close();
  const last = runs[runs.length - 1];
  if (json) {
    console.log(JSON.stringify(
      days === 1 ? { ...last, export_dir: exportDir } : {
        ...last,
        export_dir: exportDir,
        days,
        runs: runs.map((r) => ({
          ...pick(r, ["run_id", "run_date", "status", "skus", "strategies", "infeasible"]),
          ...pick(r, ["output_digest", "alerts"]),
          price_file: r.price_export?.file,
          forecast: r.forecast && pick(r.forecast, ["wape_7d", "wape_30d"]),
          retrained: r.retrained?.candidate.version,
        })),
      },
    ));
  }
}

/** `--shard K/N`: prices one shard of one date; the last shard seals the run and exports it. */
function shard(
  db: DatabaseSync,
  flags: z.output<typeof Schema>,
  exportDir: string,
  json: boolean,
): void {
  const [index, count] = flags.shard!.split("/").map(Number);
  if (index > count) {
    throw new InputError(`Cannot run --shard ${flags.shard}: K must lie from 1 to N (${count})`);
  }
  if ((flags.days ?? 1) !== 1) {
    throw new InputError(
      `Cannot run --shard ${flags.shard} over --days ${flags.days}: a shard prices one date`,
    );
  }
  if (flags["auto-retrain"]) {
    throw new InputError(
      `Cannot run --shard ${flags.shard} with --auto-retrain: retrain after the run, with deno task models train`,
    );
  }
  const clock = () => new Date().toISOString();
  const out = runDailyShard(db, {
    runDate: flags.date ?? defaultRunDate(db, { asOf: localToday() }),
    shard: { index, count },
    model: championModel(db),
    recordedAt: clock(),
    recordActuals: recordSimulatedActuals,
    monitoring: {},
    preconditions: {
      allowMissingActuals: flags["allow-missing-actuals"],
      backfill: flags.backfill,
    },
  });
  let exported: PriceExportRecord | undefined;
  if (out.status === "succeeded" || out.status === "already_succeeded") {
    exported = readPriceExports(db, out.run_id).findLast((e) => e.status === "written") ??
      deliverPriceExport(
        db,
        out.run_id,
        (file, csv) => writeFileAtomically(join(exportDir, file), csv),
        {
          infeasible: flags["export-infeasible"] ? "export" : "hold",
          recordedAt: clock(),
        },
      );
  }
  db.close();
  if (out.status === "shard_committed" || out.status === "shard_already_committed") {
    log(
      `${out.run_date}: shard ${out.shard}/${out.shards} ${
        out.status === "shard_committed" ? "committed" : "had already committed"
      } (${out.skus} SKUs) to run ${out.run_id}; committed so far: ${
        out.committed.join(", ")
      } of ${out.shards}.`,
    );
  } else log(describe(out as DailyReport));
  if (json) console.log(JSON.stringify({ ...out, price_export: exported, export_dir: exportDir }));
}

/** Creates the demo store at `path` (a concurrent creator wins; this run then uses its store). */
async function createDemo(path: string, scenario: string): Promise<void> {
  await loadScenario(scenario); // a bad scenario fails before any file is created
  log(`No store at ${path}: creating the demo store (scenario "${scenario}", seeded) ...`);
  mkdirSync(dirname(path), { recursive: true });
  try {
    const demo = await createStore(
      path,
      (db) =>
        createDemoStore(db, {
          scenario,
          onProgress: progressBar("simulating history"),
          onStage: log,
        }),
    );
    log(
      `Demo store ready: ${demo.skus} SKUs, sales ${demo.startDate} to ${demo.endDate} (${demo.rows.sales} rows).`,
    );
  } catch (error) {
    if (!(error instanceof InputError) || !existsSync(path)) throw error;
    log(`Another process created the demo store at ${path} meanwhile; using it.`);
  }
}

function makeExportDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(
      `Cannot write price exports to --export-dir ${dir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Refuses --date and --days that leave [FIRST_DATE, LAST_DATE], before anything is written. */
function checkRange(first: string, days: number): void {
  const last = addDays(first, days - 1);
  if (last > LAST_DATE) {
    throw new InputError(
      `Cannot price ${days} day(s) from --date ${first}: dates must lie from ${FIRST_DATE} to ${LAST_DATE} (the last would be ${last}; lower --days)`,
    );
  }
}

function pick<T, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

function describe(s: DailyReport): string {
  if (s.status === "already_succeeded") {
    return `${s.run_date}: already succeeded as run ${s.run_id}; nothing changed.`;
  }
  const st = s.strategies;
  return `${s.run_date}: priced ${s.skus} SKUs (ml ${st.ml}, rule ${st.rule}, static ${st.static}), ` +
    `${s.infeasible} infeasible, run ${s.run_id}, output ${s.output_digest.slice(0, 12)}` +
    (s.alerts ? `; open alerts: ${describeAlerts(s.alerts)}` : "") +
    (s.forecast?.wape_7d != null ? `; WAPE 7d ${s.forecast.wape_7d}` : "") +
    (s.retrain?.request_id != null ? `; retrain request ${s.retrain.request_id} open` : "");
}

function describeAlerts(alerts: Record<string, number>): string {
  const open = Object.entries(alerts).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
  return open.length ? open.join(", ") : "none";
}
