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
import { loadScenario, MAX_SKUS } from "../sim/scenario.ts";
import {
  backtestMarket,
  backtestRecord,
  type BacktestReport,
  pricePaths,
  reportMarkdown,
  runBacktest,
  runBacktestParallel,
  runSuite,
  SUITE_SCENARIOS,
  suiteMarkdown,
} from "../sim/backtest/mod.ts";
import { PricingRules } from "../engine/schema/rules.ts";
import type { BacktestPricePath } from "../engine/schema/backtest.ts";
import { openStore } from "../engine/store/db.ts";
import { appendBacktest, transaction } from "../engine/store/writer.ts";
import { openReadOnly, readPricingPeriod } from "../engine/store/queries.ts";
import { newestCandidate, registeredModel } from "../engine/registry/lookup.ts";
import type { ModelRecord } from "../engine/schema/models.ts";
import { InputError } from "../engine/util/errors.ts";
import {
  defineTask,
  EXIT_CODES,
  Flags,
  log,
  MAX_DAYS,
  progressBar,
  runMain,
  UsageError,
} from "./_cli.ts";

const STRATEGIES = ["ml", "rule", "static", "oracle"];

/** `deno task backtest`. */
export const task = defineTask({
  name: "backtest",
  about:
    `Backtests the pricing strategies on a simulated market that answers to price. Each strategy runs the real daily pipeline day by day from the same warm-up history, the simulator answering its prices with common random numbers; the oracle prices on the true demand curve under the same constraints (the upper bound). ML trains a gbdt on the warm-up history and retrains by the product's policy (when the daily run's monitoring opens a retrain request) or every N days, each model approved by the actor "backtest". With --model VERSION or --candidate, ML prices with that registered model instead, fixed, and the result is stored with it (deno task models list shows it). --objective, --units-floor and --price-index are written into every strategy's store as its pricing settings, and the report judges every strategy against them; --suite runs every market shape under profit, a 0.97 units floor, and the floor with a 0.97-1.05 index band.`,
  flags: z.object({
    scenario: z.string().min(1).meta({
      arg: "NAME|FILE",
      help: 'a scenario in sim/scenarios/ or a JSON file (default "default")',
    }).default("default"),
    skus: Flags.whole(`SKUs, 1 to ${MAX_SKUS} (default: the scenario's; 200 with --suite)`, {
      max: MAX_SKUS,
    }).optional(),
    days: Flags.days(
      `backtest days after the warm-up (default 180; 120 with --suite; at most ${MAX_DAYS})`,
    ).optional(),
    seed: Flags.seed("market seed (default 1)").default(1),
    strategies: z.string().meta({
      arg: "LIST",
      help: `comma-separated: ${STRATEGIES.join(", ")} (default all four)`,
    }).default("static,rule,ml,oracle"),
    warmup: Flags.days("days of warm-up history (default: the scenario's)").optional(),
    "retrain-every": Flags.days(
      "ML retrains every N days (default: the product's policy: when the monitoring stage opens a retrain request)",
    ).optional(),
    workers: Flags.whole(
      "strategies run in parallel workers (default 2; 1 runs them in turn); the report is the same bytes either way",
      { max: 64 },
    ).default(2),
    out: z.string().min(1).meta({
      arg: "DIR",
      help: "report directory (default out/backtest-<scenario>-<seed>/)",
    }).optional(),
    db: Flags.db(
      "store that keeps the results, with the daily prices of 6 sampled SKUs per strategy, for the site (default data/pricing.db; skipped when the default store does not exist); with --model or --candidate, the store the model comes from, which must exist",
    ).optional(),
    model: z.string().min(1).meta({
      arg: "VERSION",
      help:
        "ML prices with this registered model from --db, fixed: no training, no retraining (see deno task models list); the result is stored with the model",
    }).optional(),
    candidate: Flags.on(
      "as --model, with the newest candidate waiting for approval in --db",
    ).optional(),
    objective: z.enum(["profit", "revenue"]).meta({
      arg: "profit|revenue",
      help: "what ML and the oracle maximise (default profit)",
    }).optional(),
    "units-floor": z.string().regex(/^\d*\.?\d+$/, { error: "expected a share, e.g. 0.97" })
      .transform(Number).meta({
        arg: "F",
        help: "category units >= F x their trailing 28-day level (e.g. 0.97)",
      }).optional(),
    "price-index": z.string().regex(/^\d*\.?\d+,\d*\.?\d+$/, {
      error: "expected LOW,HIGH, e.g. 0.97,1.05",
    }).transform((v) => v.split(",").map(Number)).meta({
      arg: "LO,HI",
      help:
        "each category's sales-weighted price index against the competitor stays in [LO, HI] (e.g. 0.97,1.05); key-value items in [LO, min(HI, 1)]",
    }).optional(),
    suite: Flags.on(
      `every market shape (${
        SUITE_SCENARIOS.join(", ")
      }) under profit, a 0.97 units floor, and the floor with a 0.97-1.05 index band; prints the table and the targets (default 200 SKUs x 120 days)`,
    ).optional(),
  }),
  exitCodes: `Same arguments, same report bytes. ${EXIT_CODES}`,
  async run({ flags: f, json }) {
    if (f.suite) return await suite(f, json);
    const rules = rulesOf(f);
    const strategies = f.strategies.split(",").map((s) => s.trim()).filter(Boolean);
    for (const s of strategies) {
      if (!STRATEGIES.includes(s)) {
        throw new UsageError(
          `--strategies: unknown strategy ${JSON.stringify(s)} (expected ${STRATEGIES.join(", ")})`,
        );
      }
    }
    const model = fixedModel(f);
    if (model && !strategies.includes("ml")) {
      throw new UsageError("--model/--candidate: --strategies must include ml");
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
      model: model ?? undefined,
      rules,
    };
    if (model) log(`backtest: ML prices with ${model.version} (${model.status}), fixed`);
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
  },
});

if (import.meta.main) await runMain(task);

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
    ...(r.ml_model === undefined ? {} : { ml_model: r.ml_model }),
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

interface Parsed {
  skus?: number;
  days?: number;
  seed: number;
  workers: number;
  out?: string;
  objective?: "profit" | "revenue";
  "units-floor"?: number;
  "price-index"?: number[];
}

/** The rules under test from the flags, checked by the settings schema; undefined for none. */
function rulesOf(f: Parsed): PricingRules | undefined {
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
async function suite(f: Parsed, json: boolean): Promise<void> {
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

/** The registered model of --model or --candidate (read from --db), or null. */
function fixedModel(
  f: { model?: string; candidate?: boolean; db?: string; "retrain-every"?: number },
): ModelRecord | null {
  if (f.model === undefined && !f.candidate) return null;
  if (f.model !== undefined && f.candidate) {
    throw new UsageError("--model and --candidate: give one of them");
  }
  if (f["retrain-every"] !== undefined) {
    throw new UsageError(
      "--retrain-every: a fixed model (--model, --candidate) is never retrained",
    );
  }
  const path = f.db ?? "data/pricing.db";
  if (!existsSync(path)) {
    throw new InputError(`no store at ${path} to read the model from (pass --db PATH)`);
  }
  const db = openReadOnly(path);
  try {
    const period = readPricingPeriod(db);
    if (period.kind === "week") {
      // The simulated market is daily: a weekly model's features (a week's units in units_7,
      // history counted in weeks) would be read from days, and its result would look plausible.
      throw new InputError(
        `Cannot backtest ${
          f.model ?? "the newest candidate"
        } of ${path}: the store prices by week (from ${period.weekStart}) and the backtest's simulated market is daily, so the model would price days with features counted in weeks; judge a weekly model on its store's own weeks with deno task evaluate --db ${path}`,
      );
    }
    if (f.model !== undefined) return registeredModel(db, f.model);
    const candidate = newestCandidate(db);
    if (!candidate) {
      throw new InputError(
        `--candidate: no model waits for approval in ${path} (see deno task models list)`,
      );
    }
    return candidate;
  } finally {
    db.close();
  }
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
