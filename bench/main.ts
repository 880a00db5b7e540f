/**
 * `deno task bench`: timings and accuracy of the engine's heavy parts, with
 * baselines measured in the same run. Sections live in `sections.ts`.
 *
 * @module
 */
import { z } from "zod";
import { defineTask, log, runMain } from "../tasks/_cli.ts";
import { type SectionName, SECTIONS } from "./sections.ts";
import { loadAverage } from "./_timing.ts";

const NAMES = Object.keys(SECTIONS) as SectionName[];

const Schema = z.object({
  only: z.string().meta({
    arg: "SECTION[,SECTION]",
    help: "run only these sections (default: all)",
  }).optional().transform((s, ctx) => {
    const names = s ? s.split(",").map((x) => x.trim()) : NAMES;
    const bad = names.filter((n) => !NAMES.includes(n as SectionName));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `unknown section ${bad.join(", ")}; use ${NAMES}` });
    }
    return names as SectionName[];
  }),
  "skip-cart-50k": z.boolean().meta({
    help: "skip the ml-cart baseline at 50,000 rows (it takes minutes); the JSON says so",
  }).default(false),
  "no-sklearn": z.boolean().meta({
    help:
      "skip the scikit-learn baseline (it is also skipped, and said so, when /usr/bin/python3 cannot import sklearn: apt-get install -y python3-sklearn)",
  }).default(false),
  quick: z.boolean().meta({
    help: "tiny sizes that finish in seconds (checks the bench, measures nothing useful)",
  }).default(false),
  "backtest-size": z.string().regex(/^\d+x\d+$/, {
    error: "expected SKUSxDAYS, e.g. 1000x365",
  }).meta({
    arg: "SKUSxDAYS",
    help: "size of the backtest section (default 250x60; 1000x365 measures the target)",
  })
    .default("250x60").transform((v) => {
      const [skus, days] = v.split("x").map(Number);
      return { skus, days };
    }),
  "serve-db": z.string().min(1).meta({
    arg: "PATH",
    help: "measure the server on a copy of this store (default: a new demo store)",
  }).optional(),
  "serve-size": z.string().regex(/^\d+x\d+$/, { error: "expected SKUSxDAYS, e.g. 500x120" })
    .meta({
      arg: "SKUSxDAYS",
      help: "the serve section's demo store: SKUs and daily runs (default 500x30)",
    }).default("500x30").transform((v) => {
      const [skus, days] = v.split("x").map(Number);
      return { skus, days };
    }),
  "serve-requests": z.string().regex(/^\d+$/, { error: "expected a whole number" })
    .transform(Number).refine((n) => n >= 10, { error: "expected at least 10" }).meta({
      arg: "N",
      help: "timed requests, one at a time and again with 8 in flight (default 2000)",
    }).default(2000),
  "site-db": z.string().min(1).meta({
    arg: "PATH",
    help: "build the site for this store (default: a new demo store)",
  }).optional(),
  "site-size": z.string().regex(/^\d+x\d+$/, { error: "expected SKUSxDAYS, e.g. 500x120" })
    .meta({
      arg: "SKUSxDAYS",
      help: "the site section's demo store: SKUs and daily runs (default 500x120)",
    }).default("500x120").transform((v) => {
      const [skus, days] = v.split("x").map(Number);
      return { skus, days };
    }),
  repeats: z.string().regex(/^\d+$/, { error: "expected a whole number" }).transform(
    Number,
  ).refine((n) => n >= 1 && n <= 50, { error: "expected 1 to 50" }).meta({
    arg: "N",
    help: "timed runs per measurement, median reported (default 3)",
  }).default(3),
});

/** `deno task bench`. */
export const task = defineTask({
  name: "bench",
  about:
    "Measures, on this machine, with every baseline in the same run (machine load is reported; repeat on a quiet machine for reference figures):\n" +
    NAMES.map((n) => `  ${n.padEnd(8)} ${SECTIONS[n].describe}`).join("\n"),
  flags: Schema,
  exitCodes: "Exit codes: 0 success, 1 failure, 2 bad usage.",
  async run({ flags: f, json }) {
    const started = performance.now();
    const loadBefore = loadAverage();
    const report: Record<string, unknown> = {
      status: "ok",
      sections: f.only,
      quick: f.quick,
      machine: {
        cpus: navigator.hardwareConcurrency,
        deno: Deno.version.deno,
        v8: Deno.version.v8,
        load_average_before: loadBefore,
      },
    };
    for (const name of f.only) {
      log(`bench: ${name}`);
      Object.assign(
        report,
        await SECTIONS[name].run({
          quick: f.quick,
          repeats: f.repeats,
          skipCart50k: f["skip-cart-50k"],
          sklearn: !f["no-sklearn"],
          backtestSize: f["backtest-size"],
          serveDb: f["serve-db"],
          serveSize: f["serve-size"],
          serveRequests: f["serve-requests"],
          siteDb: f["site-db"],
          siteSize: f["site-size"],
          say: (m) => log(`bench: ${m}`),
        }),
      );
    }
    (report.machine as Record<string, unknown>).load_average_after = loadAverage();
    report.seconds = Math.round((performance.now() - started) / 100) / 10;
    if (json) console.log(JSON.stringify(report));
    else console.log(JSON.stringify(report, null, 2));
  },
});

if (import.meta.main) await runMain(task);
