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
} from "../sim/backtest/mod.ts";
import type { BacktestPricePath } from "../engine/schema/backtest.ts";
import { openStore } from "../engine/store/db.ts";
import { appendBacktest, transaction } from "../engine/store/writer.ts";
import { openReadOnly } from "../engine/store/queries.ts";
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
    `Backtests the pricing strategies on a simulated market that answers to price. Each strategy runs the real daily pipeline day by day from the same warm-up history, the simulator answering its prices with common random numbers; the oracle prices on the true demand curve under the same constraints (the upper bound). ML trains a gbdt on the warm-up history and retrains by the product's policy (when the daily run's monitoring opens a retrain request) or every N days, each model approved by the actor "backtest". With --model VERSION or --candidate, ML prices with that registered model instead, fixed, and the result is stored with it (deno task models list shows it).`,
  flags: z.object({
    scenario: z.string().min(1).meta({
      arg: "NAME|FILE",
      help: 'a scenario in sim/scenarios/ or a JSON file (default "default")',
    }).default("default"),
    skus: Flags.whole(`SKUs, 1 to ${MAX_SKUS} (default: the scenario's)`, { max: MAX_SKUS })
      .optional(),
    days: Flags.days(`backtest days after the warm-up (default 180, at most ${MAX_DAYS})`)
      .default(180),
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
  }),
  exitCodes: `Same arguments, same report bytes. ${EXIT_CODES}`,
  async run({ flags: f, json }) {
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
      days: f.days,
      warmupDays: f.warmup,
      retrainEvery: f["retrain-every"],
      model: model ?? undefined,
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
    };
  }
  return {
    scenario: r.scenario,
    seed: r.seed,
    skus: r.skus,
    days: r.days,
    strategies,
    ...(r.ml_model === undefined ? {} : { ml_model: r.ml_model }),
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
