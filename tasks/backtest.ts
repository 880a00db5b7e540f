/**
 * `deno task backtest`: ML vs rule vs static vs the oracle on a simulated market,
 * each strategy running the real daily pipeline from the same warm-up store.
 * Writes a JSON and a Markdown report and stores the results for the site.
 *
 * @module
 */
import { z } from "zod";
import { join } from "node:path";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadScenario } from "../sim/scenario.ts";
import {
  backtestRecord,
  type BacktestReport,
  reportMarkdown,
  runBacktest,
  runBacktestParallel,
  runSuite,
  SUITE_SCENARIOS,
  suiteMarkdown,
} from "../sim/backtest/mod.ts";
import { PricingRules } from "../engine/schema/rules.ts";
import { openStore } from "../engine/store/db.ts";
import { appendBacktest, transaction } from "../engine/store/writer.ts";
import { Flags, log, main, parseTask, progressBar, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task backtest [--scenario NAME|FILE] [--skus N] [--days N] [--seed S]
                          [--strategies ml,rule,static,oracle] [--warmup N] [--retrain-every N]
                          [--objective profit|revenue] [--units-floor F] [--price-index LOW,HIGH]
                          [--workers N] [--out DIR] [--db PATH] [--json]
       deno task backtest --suite [--skus N] [--days N] [--seed S] [--workers N] [--out DIR] [--json]

Backtests the pricing strategies on a simulated market that answers to price. Each strategy
runs the real daily pipeline day by day from the same warm-up history, the simulator answering
its prices with common random numbers; the oracle prices on the true demand curve under the
same constraints (the upper bound). ML trains a gbdt on the warm-up history and retrains by
the product's policy (when the daily run's monitoring opens a retrain request) or every N days,
each model approved by the actor "backtest".

  --scenario NAME|FILE  a scenario in sim/scenarios/ or a JSON file (default "default")
  --skus N              SKUs (default: the scenario's; 200 with --suite)
  --days N              backtest days after the warm-up (default 180; 120 with --suite)
  --seed S              market seed (default 1)
  --strategies LIST     comma-separated: ml, rule, static, oracle (default all four)
  --warmup N            days of warm-up history (default: the scenario's)
  --retrain-every N     ML retrains every N days (default: the product's policy: when the
                        monitoring stage opens a retrain request)
  --objective NAME      what ML and the oracle maximise: profit (default) or revenue
  --units-floor F       category units >= F x their trailing 28-day level (e.g. 0.97)
  --price-index LO,HI   each category's sales-weighted price index against the competitor
                        stays in [LO, HI] (e.g. 0.97,1.05); key-value items in [LO, min(HI, 1)]
                        (the rules are written into every strategy's store as its pricing
                        settings; the report judges every strategy against them)
  --suite               every market shape (${SUITE_SCENARIOS.join(", ")}) under profit, a
                        0.97 units floor, and the floor with a 0.97-1.05 index band; prints the
                        table and the targets (default 200 SKUs x 120 days)
  --workers N           strategies run in parallel workers (default 2; 1 runs them in turn);
                        the report is the same bytes either way
  --out DIR             report directory (default out/backtest-<scenario>-<seed>/)
  --db PATH             store that keeps the results for the site (default data/pricing.db;
                        skipped when the default store does not exist)
  --json                print exactly one JSON object on stdout
  -h, --help            this text

Same arguments, same report bytes. Exit codes: 0 success, 1 failure, 2 bad usage or input.`;

const Schema = z.object({
  scenario: z.string().min(1).default("default"),
  skus: Flags.positiveInt("--skus").optional(),
  days: Flags.positiveInt("--days").optional(),
  seed: z.string().regex(/^\d+$/, { error: "--seed expects a whole number" }).transform(Number)
    .default(1),
  strategies: z.string().default("static,rule,ml,oracle"),
  warmup: Flags.positiveInt("--warmup").optional(),
  "retrain-every": Flags.positiveInt("--retrain-every").optional(),
  workers: Flags.positiveInt("--workers").default(2),
  out: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
  objective: z.enum(["profit", "revenue"], { error: "expects profit or revenue" })
    .optional(),
  "units-floor": z.string().regex(/^\d*\.?\d+$/, { error: "expects a share, e.g. 0.97" })
    .transform(Number).optional(),
  "price-index": z.string().regex(/^\d*\.?\d+,\d*\.?\d+$/, {
    error: "expects LOW,HIGH, e.g. 0.97,1.05",
  }).transform((v) => v.split(",").map(Number)).optional(),
  suite: z.boolean().default(false),
});

let json = false;
await main("backtest", () => json, async () => {
  const args = parseTask({
    name: "backtest",
    usage: USAGE,
    schema: Schema,
    flags: {
      scenario: { type: "string" },
      skus: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      strategies: { type: "string" },
      warmup: { type: "string" },
      "retrain-every": { type: "string" },
      workers: { type: "string" },
      out: { type: "string" },
      db: { type: "string" },
      objective: { type: "string" },
      "units-floor": { type: "string" },
      "price-index": { type: "string" },
      suite: { type: "boolean" },
    },
  }, Deno.args);
  json = args.json;
  const f = args.flags;
  if (f.suite) return await suite(f);
  const rules = rulesOf(f);
  const strategies = f.strategies.split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of strategies) {
    if (!["ml", "rule", "static", "oracle"].includes(s)) {
      throw new UsageError(`--strategies: unknown strategy "${s}" (ml, rule, static, oracle)`);
    }
  }
  const scenario = await loadScenario(f.scenario);
  const out = f.out ?? join("out", `backtest-${scenario.name}-${f.seed}`);
  const started = performance.now();
  const bar = progressBar(`backtest ${scenario.name}`);
  const config = {
    scenario,
    seed: f.seed,
    skus: f.skus,
    days: f.days ?? 180,
    warmupDays: f.warmup,
    retrainEvery: f["retrain-every"],
    rules,
  };
  const options = {
    strategies: strategies as never,
    onProgress: bar,
    onStage: (s: string, stage: string) => {
      if (!Deno.stderr.isTerminal()) log(`backtest ${s}: ${stage}`);
    },
  };
  const report = f.workers > 1
    ? await runBacktestParallel(config, { ...options, workers: f.workers })
    : runBacktest(config, options);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "report.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(out, "report.md"), reportMarkdown(report));
  const stored = storeResults(report, f.db);
  log(
    `backtest ${report.scenario}: ${report.skus} SKUs x ${report.days} days in ${seconds} s; ` +
      `reports in ${out}/${stored ? `; results stored in ${stored}` : ""}`,
  );
  if (json) console.log(JSON.stringify(summaryOf(report, { out, seconds, stored })));
  else log(reportMarkdown(report).split("\n## ")[0]);
});

/** The --json summary: the contract fields first. */
function summaryOf(
  r: BacktestReport,
  extra: { out: string; seconds: number; stored: string | null },
): Record<string, unknown> {
  const strategies: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(r.strategies)) {
    strategies[name] = {
      revenue: s.revenue,
      profit: s.profit,
      units: s.units,
      lost_units: s.lost_units,
      stockout_days: s.stockout_days,
      price_changes: s.price_changes,
      avg_margin: s.avg_margin,
      price_index: s.price_index,
      at_ceiling_share: s.at_ceiling_share,
      units_floor_met_share: s.units_floor_met_share,
      price_index_met_share: s.price_index_met_share,
      violations: s.violations,
    };
  }
  return {
    scenario: r.scenario,
    seed: r.seed,
    skus: r.skus,
    days: r.days,
    strategies,
    rules: r.rules,
    ml_oracle_capture: r.ml_oracle_capture,
    ml_oracle_capture_ci95: r.ml_oracle_capture_ci95,
    capture_metric: r.capture_metric,
    vs_static: Object.fromEntries(
      Object.entries(r.vs_static).map((
        [k, v],
      ) => [k, { profit_pct: v.profit.pct, ci95: v.profit.pct_ci95 }]),
    ),
    out: extra.out,
    stored_in: extra.stored,
    seconds: extra.seconds,
  };
}

/** The rules under test from the flags, checked by the settings schema; undefined for none. */
function rulesOf(f: z.infer<typeof Schema>): PricingRules | undefined {
  const rules: Record<string, unknown> = {};
  if (f.objective) rules.objective = f.objective;
  if (f["units-floor"] !== undefined) rules.units_floor = f["units-floor"];
  if (f["price-index"]) rules.price_index = f["price-index"];
  if (!Object.keys(rules).length) return undefined;
  const parsed = PricingRules.safeParse(rules);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `--${String(i.path[0]).replaceAll("_", "-")}: ${i.message}`)
        .join("; "),
    );
  }
  return parsed.data;
}

/** --suite: every shape under every setting; prints the table and the targets. */
async function suite(f: z.infer<typeof Schema>): Promise<void> {
  const started = performance.now();
  const report = await runSuite({
    skus: f.skus ?? 200,
    days: f.days ?? 120,
    seed: f.seed,
    workers: f.workers,
    onStage: log,
  });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const out = f.out ?? join("out", `backtest-suite-${f.seed}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "suite.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(out, "suite.md"), suiteMarkdown(report));
  log(`backtest suite: ${report.rows.length} backtests in ${seconds} s; reports in ${out}/`);
  if (json) {
    console.log(JSON.stringify({
      skus: report.skus,
      days: report.days,
      seed: report.seed,
      rows: report.rows.map((row) => ({
        scenario: row.scenario,
        setting: row.setting,
        ...summaryOf(row.report, { out, seconds, stored: null }),
      })),
      targets: report.targets,
      out,
      seconds,
    }));
  } else log(suiteMarkdown(report));
}

/** Stores the results for the site; returns where, or null when skipped. */
function storeResults(r: BacktestReport, db: string | undefined): string | null {
  const path = db ?? "data/pricing.db";
  if (!db && !existsSync(path)) {
    log(`backtest: no store at ${path}; results not stored (pass --db PATH to create one)`);
    return null;
  }
  const store = openStore(path, { busyTimeoutMs: 10_000 });
  try {
    const { backtest_id, stored } = transaction(
      store,
      () => appendBacktest(store, backtestRecord(r), new Date().toISOString()),
    );
    log(`backtest ${backtest_id.slice(0, 12)} ${stored ? "stored" : "already stored"} in ${path}`);
    return path;
  } finally {
    store.close();
  }
}
