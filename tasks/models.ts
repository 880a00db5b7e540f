/** `deno task models`: train, list, approve and reject demand models. @module */
import { z } from "zod";
import { existsSync } from "node:fs";
import { openStore } from "../engine/store/db.ts";
import { openReadOnly, readModelEvents, readModels } from "../engine/store/queries.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { approveModel, rejectModel } from "../engine/registry/approval.ts";
import { answerRetrainRequest } from "../engine/pipeline/retrain.ts";
import { ModelKind } from "../engine/schema/models.ts";
import { Flags, log, main, parseTask, UsageError } from "./_cli.ts";

const USAGE = `Usage:
  deno task models train [--kind gbdt|cart|elasticity] [--from DATE] [--to DATE] [--seed S]
                         [--price-response elasticity|learned] [--by WHO] [--db PATH] [--json]
  deno task models list [--db PATH] [--json]
  deno task models approve VERSION --by WHO --reason TEXT [--db PATH] [--json]
  deno task models reject VERSION --by WHO --reason TEXT [--db PATH] [--json]

train     trains a candidate on target days [--from, --to] (default: the 365 days up to the
          latest sales date), evaluates it on the last 28 days (WAPE and bias, next to a
          seasonal-naive forecast and the current champion) and registers it as pending.
          A pending model prices nothing.
list      every model with its status (pending, champion, rejected, retired), metrics and events.
approve   approves a pending model: it becomes the champion the next daily run prices with;
          the previous champion is retired.
reject    rejects a pending model; the champion keeps pricing.

  --kind K      gbdt (default), cart (the ml-cart baseline) or elasticity
  --price-response R
                elasticity (default): the model forecasts demand at today's price and the
                SKU's estimated elasticity moves it to each candidate price; learned: the
                model's own price curve (monotone for gbdt)
  --by WHO      who acts (train: default "cli")
  --reason TEXT why (approve, reject)
  --db PATH     the store (default data/pricing.db)
  --json        print exactly one JSON object on stdout

Exit codes: 0 success, 1 failure, 2 bad usage or input (unknown or non-pending version).`;

const Schema = z.object({
  kind: ModelKind.optional(),
  "price-response": z.enum(["elasticity", "learned"]).optional(),
  from: Flags.date,
  to: Flags.date,
  seed: z.string().regex(/^\d+$/, { error: "--seed expects a whole number" }).transform(Number)
    .optional(),
  by: z.string().optional(),
  reason: z.string().optional(),
  db: Flags.db,
});

let json = false;
await main("models", () => json, () => {
  const args = parseTask({
    name: "models",
    usage: USAGE,
    schema: Schema,
    positionals: 2,
    flags: {
      kind: { type: "string" },
      "price-response": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      seed: { type: "string" },
      by: { type: "string" },
      reason: { type: "string" },
      db: { type: "string" },
    },
  }, Deno.args);
  json = args.json;
  const [command, version] = args.positionals;
  const f = args.flags;
  if (!existsSync(f.db)) throw new UsageError(`no store at ${f.db} (run deno task daily first)`);
  const now = new Date().toISOString();
  const print = (value: unknown, text: string) =>
    json ? console.log(JSON.stringify(value)) : log(text);
  switch (command) {
    case "train": {
      const db = openStore(f.db);
      const r = trainCandidate(db, {
        kind: f.kind,
        priceResponse: f["price-response"],
        from: f.from,
        to: f.to,
        seed: f.seed,
        actor: f.by ?? "cli",
        recordedAt: now,
        onProgress: (m) => log(`models train: ${m}`),
      });
      const request = answerRetrainRequest(db, r, { actor: f.by ?? "cli", recordedAt: now });
      const m = r.metrics;
      print(
        { ...r, answered_retrain_request: request },
        `${
          r.status === "registered" ? "Registered" : "Already registered"
        } ${r.version} (pending approval): ` +
          `holdout WAPE ${m.candidate.wape}, bias ${m.candidate.bias}; seasonal-naive WAPE ${m.seasonal_naive.wape}; ` +
          `champion ${m.champion ? `${m.champion.version} WAPE ${m.champion.wape}` : "none"}` +
          (request === null ? "" : `; it answers retrain request ${request}`),
      );
      return;
    }
    case "list": {
      const db = openReadOnly(f.db);
      const models = readModels(db);
      const events = readModelEvents(db);
      if (json) {
        console.log(JSON.stringify({
          models: models.map(({ artifact: _a, ...m }) => ({
            ...m,
            events: events.filter((e) => e.version === m.version),
          })),
        }));
      } else {
        if (!models.length) log("No models registered.");
        for (const m of models) {
          log(
            `${m.version.padEnd(36)} ${
              m.status.padEnd(9)
            } trained ${m.trained_from}..${m.trained_to} ` +
              `WAPE ${m.metrics.candidate.wape} (naive ${m.metrics.seasonal_naive.wape})`,
          );
          for (const e of events.filter((x) => x.version === m.version)) {
            log(
              `    ${e.event.padEnd(10)} by ${e.actor}: ${e.reason}${
                e.recorded_at ? ` (${e.recorded_at})` : ""
              }`,
            );
          }
        }
      }
      return;
    }
    case "approve":
    case "reject": {
      if (!version) {
        throw new UsageError(`models ${command} needs a VERSION (see deno task models list)`);
      }
      if (!f.by) throw new UsageError(`models ${command} needs --by WHO`);
      if (!f.reason) throw new UsageError(`models ${command} needs --reason TEXT`);
      const db = openStore(f.db);
      const verdict = { actor: f.by, reason: f.reason, recordedAt: now };
      if (command === "approve") {
        const r = approveModel(db, version, verdict);
        print(
          { status: "approved", ...r },
          `Approved ${r.version}: it prices from the next daily run${
            r.retired ? `; retired ${r.retired}` : ""
          }.`,
        );
      } else {
        const r = rejectModel(db, version, verdict);
        print({ status: "rejected", ...r }, `Rejected ${r.version}; the champion keeps pricing.`);
      }
      return;
    }
    default:
      throw new UsageError(
        `${command ? `unknown command "${command}"` : "a command is required"}\n\n${USAGE}`,
      );
  }
});
