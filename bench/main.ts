/**
 * `deno task bench`: timings and accuracy of the engine's heavy parts, with
 * baselines measured in the same run. Sections live in `sections.ts`.
 *
 * @module
 */
import { z } from "zod";
import { log, main, parseTask } from "../tasks/_cli.ts";
import { type SectionName, SECTIONS } from "./sections.ts";
import { loadAverage } from "./_timing.ts";

const NAMES = Object.keys(SECTIONS) as SectionName[];

const USAGE = `Usage:
  deno task bench [--only SECTION[,SECTION]] [--skip-cart-50k] [--repeats N] [--no-sklearn]
                  [--backtest-size SKUSxDAYS] [--serve-db PATH] [--serve-size SKUSxDAYS]
                  [--serve-requests N] [--site-db PATH] [--site-size SKUSxDAYS] [--quick] [--json]

Measures, on this machine, with every baseline in the same run (machine load is
reported; repeat on a quiet machine for reference figures):
${NAMES.map((n) => `  ${n.padEnd(8)} ${SECTIONS[n].describe}`).join("\n")}

  --only S          run only these sections (default: all)
  --skip-cart-50k   skip the ml-cart baseline at 50,000 rows (it takes minutes); the JSON says so
  --repeats N       timed runs per measurement, median reported (default 3)
  --no-sklearn      skip the scikit-learn baseline (it is also skipped, and said so, when
                    /usr/bin/python3 cannot import sklearn: apt-get install -y python3-sklearn)
  --backtest-size SKUSxDAYS
                    size of the backtest section (default 250x60; 1000x365 measures the target)
  --serve-db PATH   measure the server on a copy of this store (default: a new demo store)
  --serve-size SKUSxDAYS
                    the serve section's demo store: SKUs and daily runs (default 500x30)
  --serve-requests N
                    timed requests, one at a time and again with 8 in flight (default 2000)
  --site-db PATH    build the site for this store (default: a new demo store)
  --site-size SKUSxDAYS
                    the site section's demo store: SKUs and daily runs (default 500x120)
  --quick           tiny sizes that finish in seconds (checks the bench, measures nothing useful)
  --json            print exactly one JSON object on stdout (progress goes to stderr)

Exit codes: 0 success, 1 failure, 2 bad usage.`;

const Schema = z.object({
  only: z.string().optional().transform((s, ctx) => {
    const names = s ? s.split(",").map((x) => x.trim()) : NAMES;
    const bad = names.filter((n) => !NAMES.includes(n as SectionName));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `unknown section ${bad.join(", ")}; use ${NAMES}` });
    }
    return names as SectionName[];
  }),
  "skip-cart-50k": z.boolean().default(false),
  "no-sklearn": z.boolean().default(false),
  quick: z.boolean().default(false),
  "backtest-size": z.string().regex(/^\d+x\d+$/, {
    error: "--backtest-size expects SKUSxDAYS, e.g. 1000x365",
  })
    .default("250x60").transform((v) => {
      const [skus, days] = v.split("x").map(Number);
      return { skus, days };
    }),
  "serve-db": z.string().min(1).optional(),
  "serve-size": z.string().regex(/^\d+x\d+$/, {
    error: "--serve-size expects SKUSxDAYS, e.g. 500x120",
  }).default("500x30").transform((v) => {
    const [skus, days] = v.split("x").map(Number);
    return { skus, days };
  }),
  "site-db": z.string().min(1).optional(),
  "site-size": z.string().regex(/^\d+x\d+$/, {
    error: "--site-size expects SKUSxDAYS, e.g. 500x120",
  }).default("500x120").transform((v) => {
    const [skus, days] = v.split("x").map(Number);
    return { skus, days };
  }),
  "serve-requests": z.string().regex(/^\d+$/, { error: "--serve-requests expects a whole number" })
    .transform(Number).refine((n) => n >= 10, { error: "--serve-requests must be at least 10" })
    .default(2000),
  repeats: z.string().regex(/^\d+$/, { error: "--repeats expects a whole number" }).transform(
    Number,
  ).refine((n) => n >= 1 && n <= 50, { error: "--repeats must be 1 to 50" }).default(3),
});

let json = false;
await main("bench", () => json, async () => {
  json = Deno.args.includes("--json"); // so that even a usage error answers in JSON
  const args = parseTask({
    name: "bench",
    usage: USAGE,
    schema: Schema,
    flags: {
      only: { type: "string" },
      "skip-cart-50k": { type: "boolean" },
      "no-sklearn": { type: "boolean" },
      quick: { type: "boolean" },
      repeats: { type: "string" },
      "backtest-size": { type: "string" },
      "serve-db": { type: "string" },
      "serve-size": { type: "string" },
      "serve-requests": { type: "string" },
      "site-db": { type: "string" },
      "site-size": { type: "string" },
    },
  }, Deno.args);
  json = args.json;
  const f = args.flags;
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
});
