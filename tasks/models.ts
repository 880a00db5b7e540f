/** `deno task models`: train, list, approve and reject demand models. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import {
  type BacktestRow,
  openReadOnly,
  readBacktests,
  readModelEvents,
  readModels,
} from "../engine/store/queries.ts";
import { describeSettings } from "../engine/registry/settings.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { approvalChecks, approveModel, rejectModel } from "../engine/registry/approval.ts";
import type { ModelMetrics } from "../engine/schema/models.ts";
import { answerRetrainRequest } from "../engine/pipeline/retrain.ts";
import { ModelKind } from "../engine/schema/models.ts";
import { InputError } from "../engine/util/errors.ts";
import {
  defineCommands,
  defineTask,
  EXIT_CODES,
  Flags,
  log,
  printable,
  runMain,
  type Task,
} from "./_cli.ts";

const DB = Flags.db("the store (default data/pricing.db); it must exist").default(
  "data/pricing.db",
);

const train = defineTask({
  name: "models train",
  about:
    "Trains a candidate on target days [--from, --to] (default: the 365 days up to the latest sales date), evaluates it on the last 28 days (WAPE and bias, next to a seasonal-naive forecast and the current champion) and registers it as pending. A pending model prices nothing.",
  flags: z.object({
    kind: ModelKind.meta({ help: "gbdt (default), cart (the ml-cart baseline) or elasticity" })
      .optional(),
    from: Flags.date("first target day (default: 364 days before --to)").optional(),
    to: Flags.date("last target day (default: the latest sales date)").optional(),
    seed: Flags.seed("training seed, a whole number (default 0)").optional(),
    "max-fit-rows": Flags.whole(
      "rows before the holdout to train on at most; more are sampled, seeded and stratified by SKU (default 500,000); every holdout row is scored",
    ).optional(),
    "price-response": z.enum(["elasticity", "learned"]).meta({
      help:
        "elasticity (default): the model forecasts demand at today's price and the SKU's estimated elasticity moves it to each candidate price; learned: the model's own price curve (monotone for gbdt)",
    }).optional(),
    by: Flags.text('who trains it (default "cli")', "WHO").optional(),
    note: Flags.text(
      "a note for whoever approves it (recorded with the model, shown by models list)",
      "TEXT",
    ).optional(),
    db: DB,
  }),
  run({ flags: f, json }) {
    const db = open(f.db, false);
    try {
      const now = new Date().toISOString();
      const started = performance.now();
      const elapsed = () => `${Math.round((performance.now() - started) / 1000)} s`;
      const r = trainCandidate(db, {
        kind: f.kind,
        priceResponse: f["price-response"],
        from: f.from,
        to: f.to,
        seed: f.seed,
        maxFitRows: f["max-fit-rows"],
        actor: f.by ?? "cli",
        recordedAt: now,
        source: "deno task models train",
        note: f.note,
        onProgress: (m) => log(`models train: ${m} (${elapsed()})`),
      });
      const request = answerRetrainRequest(db, r, { actor: f.by ?? "cli", recordedAt: now });
      const m = r.metrics;
      if (json) console.log(JSON.stringify({ ...r, answered_retrain_request: request }));
      else {
        log(
          `${
            r.status === "registered" ? "Registered" : "Already registered"
          } ${r.version} (pending approval): trained on ${
            m.train_rows_available === undefined
              ? `all ${m.train_rows} rows`
              : `a seeded sample of ${m.train_rows} of ${m.train_rows_available} rows`
          }; ` +
            `holdout (${m.holdout_rows} rows) WAPE ${m.candidate.wape}, bias ${m.candidate.bias}; seasonal-naive WAPE ${m.seasonal_naive.wape}; ` +
            `champion ${m.champion ? `${m.champion.version} WAPE ${m.champion.wape}` : "none"}` +
            (request === null ? "" : `; it answers retrain request ${request}`),
        );
      }
    } finally {
      db.close();
    }
  },
});

const list = defineTask({
  name: "models list",
  about:
    "Lists every model with its status (pending, champion, rejected, retired); on its holdout, side by side, its WAPE, bias and price-response sign agreement, the champion's (when it was registered) and the seasonal-naive forecast's; for a pending model the approval checks it fails; its settings, where it came from (source and note), the backtests that priced with it (deno task backtest --model) and its events.",
  flags: z.object({
    db: Flags.db("the store (default data/pricing.db); opened read-only").default(
      "data/pricing.db",
    ),
  }),
  run({ flags, json }) {
    const db = open(flags.db, true);
    try {
      const models = readModels(db);
      const events = readModelEvents(db);
      const backtests = new Map(
        models.map((m) => [m.version, readBacktests(db, { mlModel: m.version })]),
      );
      if (json) {
        console.log(JSON.stringify({
          models: models.map(({ artifact: _a, ...m }) => ({
            ...m,
            holdout: holdoutSideBySide(m.metrics),
            approval_checks: m.status === "pending" ? approvalChecks(m.metrics) : [],
            source: m.source ?? null,
            note: m.note ?? null,
            settings: describeSettings(m),
            backtests: backtests.get(m.version)!.map(backtestSummary),
            events: events.filter((e) => e.version === m.version),
          })),
        }));
        return;
      }
      if (!models.length) log("No models registered.");
      for (const m of models) {
        log(
          `${printable(m.version).padEnd(36)} ${
            m.status.padEnd(9)
          } trained ${m.trained_from}..${m.trained_to}`,
        );
        log(`    holdout    ${holdoutLine(m.metrics)}`);
        const checks = m.status === "pending" ? approvalChecks(m.metrics) : [];
        if (checks.length) log(`    approval   refused without --force: ${checks.join("; ")}`);
        log(`    settings   ${printable(describeSettings(m))}`);
        if (m.source) log(`    source     ${printable(m.source)}`);
        if (m.note) log(`    note       ${printable(m.note)}`);
        for (const b of backtests.get(m.version)!) log(`    backtest   ${backtestLine(b)}`);
        for (const e of events.filter((x) => x.version === m.version)) {
          log(
            `    ${e.event.padEnd(10)} by ${printable(e.actor)}: ${printable(e.reason)}${
              e.recorded_at ? ` (${printable(e.recorded_at)})` : ""
            }`,
          );
        }
      }
    } finally {
      db.close();
    }
  },
});

/** `models approve` and `models reject`. */
function verdictTask(command: "approve" | "reject", about: string): Task {
  return defineTask({
    name: `models ${command}`,
    about,
    positionals: [{ name: "VERSION", help: "the pending model (see deno task models list)" }],
    flags: z.object({
      by: Flags.text("who decides (recorded with the event)", "WHO"),
      reason: Flags.text("why (recorded with the event)", "TEXT"),
      ...(command === "approve"
        ? {
          force: Flags.on(
            "approve although the candidate is worse than the seasonal-naive forecast, or than the champion by more than 2% on the same holdout, or has a lower price-response sign agreement (the checks it fails are recorded with --reason)",
          ).optional(),
        }
        : {}),
      db: DB,
    }),
    run({ flags, positionals: [version], json }) {
      const db = open(flags.db, false);
      try {
        const verdict = {
          actor: flags.by,
          reason: flags.reason,
          recordedAt: new Date().toISOString(),
        };
        if (command === "approve") {
          const force = (flags as { force?: boolean }).force ?? false;
          const r = approveModel(db, version, { ...verdict, force });
          if (json) console.log(JSON.stringify({ status: "approved", ...r }));
          else {
            log(
              `Approved ${r.version}: it prices from the next daily run${
                r.retired ? `; retired ${r.retired}` : ""
              }${r.forced.length ? `; forced although ${r.forced.join("; ")} (recorded)` : ""}.`,
            );
          }
        } else {
          const r = rejectModel(db, version, verdict);
          if (json) console.log(JSON.stringify({ status: "rejected", ...r }));
          else log(`Rejected ${r.version}; the champion keeps pricing.`);
        }
      } finally {
        db.close();
      }
    },
  });
}

/** `deno task models`. */
export const task = defineCommands({
  name: "models",
  about:
    "Trains, lists, approves and rejects demand models. Only an approved model prices: approving a pending model promotes it to champion and retires the previous one.",
  commands: {
    train,
    list,
    approve: verdictTask(
      "approve",
      "Approves a pending model: it becomes the champion the next daily run prices with; the previous champion is retired.",
    ),
    reject: verdictTask("reject", "Rejects a pending model; the champion keeps pricing."),
  },
  exitCodes: EXIT_CODES.replace(
    "bad usage or input",
    "bad usage or input (unknown or non-pending version, missing store, ...)",
  ),
});

if (import.meta.main) await runMain(task);

function open(path: string, readOnly: boolean): DatabaseSync {
  if (!existsSync(path)) {
    throw new InputError(`no store at ${path} (run deno task daily first, or pass --db PATH)`);
  }
  return readOnly ? openReadOnly(path) : openStore(path);
}

/** Candidate, champion and seasonal naive on the candidate's holdout, for `models list --json`. */
function holdoutSideBySide(m: ModelMetrics) {
  const response = (p: ModelMetrics["candidate"]["price_response"]) => p ?? null;
  return {
    from: m.holdout_from,
    to: m.holdout_to,
    rows: m.holdout_rows,
    candidate: {
      wape: m.candidate.wape,
      bias: m.candidate.bias,
      price_response: response(m.candidate.price_response),
    },
    champion: m.champion
      ? {
        version: m.champion.version,
        wape: m.champion.wape,
        bias: m.champion.bias,
        price_response: response(m.champion.price_response),
      }
      : null,
    seasonal_naive: m.seasonal_naive,
  };
}

/** The same in one line. */
function holdoutLine(m: ModelMetrics): string {
  const sign = (p: ModelMetrics["candidate"]["price_response"]) =>
    p?.sign_agreement == null ? "" : `, sign agreement ${p.sign_agreement} on ${p.moves} moves`;
  return `${m.holdout_from}..${m.holdout_to} (${m.holdout_rows} rows): ` +
    `this model WAPE ${m.candidate.wape} bias ${m.candidate.bias}${
      sign(m.candidate.price_response)
    } | ` +
    (m.champion
      ? `champion ${
        printable(m.champion.version)
      } (when registered) WAPE ${m.champion.wape} bias ${m.champion.bias}${
        sign(m.champion.price_response)
      }`
      : "no champion") +
    ` | seasonal naive WAPE ${m.seasonal_naive.wape} bias ${m.seasonal_naive.bias}`;
}

/** A stored backtest of a model, for `models list --json`. */
function backtestSummary(b: BacktestRow) {
  const of = (name: string) => b.strategies.find((s) => s.strategy === name);
  return {
    backtest_id: b.backtest_id,
    scenario: b.scenario,
    seed: b.seed,
    skus: b.skus,
    days: b.days,
    from: b.from_date,
    to: b.to_date,
    ml_profit: of("ml")?.profit ?? null,
    ml_profit_vs_static_pct: of("ml")?.profit_vs_static_pct ?? null,
    oracle_profit: of("oracle")?.profit ?? null,
    ml_oracle_capture: b.ml_oracle_capture,
    recorded_at: b.recorded_at,
  };
}

/** A stored backtest of a model in one line. */
function backtestLine(b: BacktestRow): string {
  const s = backtestSummary(b);
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  return `${s.backtest_id.slice(0, 12)} ${
    printable(s.scenario)
  } seed ${s.seed}, ${s.skus} SKUs x ${s.days} days: ` +
    `ML profit ${s.ml_profit === null ? "?" : fmt(s.ml_profit)}` +
    (s.ml_profit_vs_static_pct === null
      ? ""
      : ` (${s.ml_profit_vs_static_pct >= 0 ? "+" : ""}${s.ml_profit_vs_static_pct}% vs static)`) +
    (s.oracle_profit === null ? "" : `, oracle ${fmt(s.oracle_profit)}`) +
    (s.ml_oracle_capture === null ? "" : `, capture ${(100 * s.ml_oracle_capture).toFixed(1)}%`);
}
