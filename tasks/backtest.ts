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
  backtestMarket,
  backtestRecord,
  type BacktestReport,
  pricePaths,
  reportMarkdown,
  runBacktest,
  runBacktestParallel,
} from "../sim/backtest/mod.ts";
import type { BacktestPricePath } from "../engine/schema/backtest.ts";
import { openStore } from "../engine/store/db.ts";
import { appendBacktest, transaction } from "../engine/store/writer.ts";
import { Flags, log, main, parseTask, progressBar, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task backtest [--scenario NAME|FILE] [--skus N] [--days N] [--seed S]
                          [--strategies ml,rule,static,oracle] [--warmup N] [--retrain-every N]
                          [--workers N] [--out DIR] [--db PATH] [--json]

Backtests the pricing strategies on a simulated market that answers to price. Each strategy
runs the real daily pipeline day by day from the same warm-up history, the simulator answering
its prices with common random numbers; the oracle prices on the true demand curve under the
same constraints (the upper bound). ML trains a gbdt on the warm-up history and retrains by
the product's policy (when the daily run's monitoring opens a retrain request) or every N days,
each model approved by the actor "backtest".

  --scenario NAME|FILE  a scenario in sim/scenarios/ or a JSON file (default "default")
  --skus N              SKUs (default: the scenario's)
  --days N              backtest days after the warm-up (default 180)
  --seed S              market seed (default 1)
  --strategies LIST     comma-separated: ml, rule, static, oracle (default all four)
  --warmup N            days of warm-up history (default: the scenario's)
  --retrain-every N     ML retrains every N days (default: the product's policy: when the
                        monitoring stage opens a retrain request)
  --workers N           strategies run in parallel workers (default 2; 1 runs them in turn);
                        the report is the same bytes either way
  --out DIR             report directory (default out/backtest-<scenario>-<seed>/)
  --db PATH             store that keeps the results, with the daily prices of 6 sampled
                        SKUs per strategy, for the site (default data/pricing.db; skipped
                        when the default store does not exist)
  --json                print exactly one JSON object on stdout
  -h, --help            this text

Same arguments, same report bytes. Exit codes: 0 success, 1 failure, 2 bad usage or input.`;

const Schema = z.object({
  scenario: z.string().min(1).default("default"),
  skus: Flags.positiveInt("--skus").optional(),
  days: Flags.positiveInt("--days").default(180),
  seed: z.string().regex(/^\d+$/, { error: "--seed expects a whole number" }).transform(Number)
    .default(1),
  strategies: z.string().default("static,rule,ml,oracle"),
  warmup: Flags.positiveInt("--warmup").optional(),
  "retrain-every": Flags.positiveInt("--retrain-every").optional(),
  workers: Flags.positiveInt("--workers").default(2),
  out: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
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
    },
  }, Deno.args);
  json = args.json;
  const f = args.flags;
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
    days: f.days,
    warmupDays: f.warmup,
    retrainEvery: f["retrain-every"],
  };
  let paths: BacktestPricePath[] = [];
  const options = {
    strategies: strategies as never,
    onRuns: (runs: Parameters<typeof pricePaths>[0]) => {
      paths = pricePaths(runs, backtestMarket(config));
    },
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
  const stored = storeResults(report, paths, f.db);
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
    };
  }
  return {
    scenario: r.scenario,
    seed: r.seed,
    skus: r.skus,
    days: r.days,
    strategies,
    ml_oracle_capture: r.ml_oracle_capture,
    ml_oracle_capture_ci95: r.ml_oracle_capture_ci95,
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

/** Stores the results (and a sample of price paths) for the site; returns where, or null when skipped. */
function storeResults(
  r: BacktestReport,
  paths: readonly BacktestPricePath[],
  db: string | undefined,
): string | null {
  const path = db ?? "data/pricing.db";
  if (!db && !existsSync(path)) {
    log(`backtest: no store at ${path}; results not stored (pass --db PATH to create one)`);
    return null;
  }
  const store = openStore(path, { busyTimeoutMs: 10_000 });
  try {
    const { backtest_id, stored } = transaction(
      store,
      () => appendBacktest(store, backtestRecord(r, paths), new Date().toISOString()),
    );
    log(`backtest ${backtest_id.slice(0, 12)} ${stored ? "stored" : "already stored"} in ${path}`);
    return path;
  } finally {
    store.close();
  }
}
