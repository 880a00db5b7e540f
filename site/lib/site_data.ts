/**
 * What the site's data loaders emit, guarded by zod schemas, and the helpers
 * that keep each loader to a few lines: where the store is, and how to print a
 * checked JSON document (exit 1 with the reason on any error).
 *
 * @module
 */
import { z } from "zod";
import process from "node:process";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseSync } from "node:sqlite";
import { IsoDate, parseOrThrow, Sku } from "../../engine/schema/common.ts";
import { StrategyName } from "../../engine/schema/pricing.ts";
import type { RunRecord } from "../../engine/schema/run.ts";
import type { Decision } from "../../engine/schema/pricing.ts";
import { type BacktestRow, BacktestStrategyRow, openReadOnly } from "../../engine/store/queries.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The store the site reads: `PRICING_DB` (relative to where the task was started), else data/pricing.db. */
export function storePath(): string {
  const p = Deno.env.get("PRICING_DB");
  if (!p) return resolve(ROOT, "data", "pricing.db");
  return isAbsolute(p) ? p : resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), p);
}

/** Runs `read` on the store opened read-only, checks the result with `schema` and prints it. */
export function emit<T extends z.ZodType>(schema: T, read: (db: DatabaseSync) => unknown): void {
  try {
    const path = storePath();
    try {
      Deno.statSync(path);
    } catch {
      throw new Error(`no store at ${path}: run \`deno task daily\` or set PRICING_DB`);
    }
    const db = openReadOnly(path);
    try {
      const value = parseOrThrow(schema, read(db), "emit the site data");
      process.stdout.write(JSON.stringify(value));
    } finally {
      db.close();
    }
  } catch (e) {
    console.error(`site data loader: ${(e as Error).message}`);
    Deno.exit(1);
  }
}

const Counts = z.object({ ml: z.number().int(), rule: z.number().int(), static: z.number().int() });

/** One run as the health page shows it. */
export const SiteRun = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  attempt: z.number().int().positive(),
  status: z.enum(["started", "succeeded", "failed"]),
  skus: z.number().int().min(0),
  infeasible: z.number().int().min(0),
  strategies: Counts,
  model_version: z.string().nullable(),
  input_digest: z.string().nullable(),
  output_digest: z.string().nullable(),
  error: z.string().nullable(),
});
export type SiteRun = z.infer<typeof SiteRun>;
export const RunsData = z.object({ runs: z.array(SiteRun) });

const num = (v: unknown) => (typeof v === "number" ? v : 0);
const str = (v: unknown) => (typeof v === "string" ? v : null);

/** The health page's view of a run record. */
export function siteRun(r: RunRecord): SiteRun {
  const d = r.details;
  const s = (d.strategies ?? {}) as Record<string, unknown>;
  return {
    run_id: r.run_id,
    run_date: r.run_date,
    attempt: r.attempt,
    status: r.status,
    skus: num(d.skus),
    infeasible: num(d.infeasible),
    strategies: { ml: num(s.ml), rule: num(s.rule), static: num(s.static) },
    model_version: str(d.model_version),
    input_digest: str(d.input_digest),
    output_digest: str(d.output_digest),
    error: str(d.error) ?? str(d.message),
  };
}

/** One decision as the pricing and SKU pages show it. */
export const SiteDecision = z.object({
  run_id: z.string().min(1),
  run_date: IsoDate,
  sku: Sku,
  strategy: StrategyName,
  override_kind: z.string().nullable(),
  previous_price: z.number().positive(),
  price: z.number().positive(),
  expected_units: z.number().min(0),
  expected_profit: z.number(),
  infeasible: z.boolean(),
  conflict: z.string().nullable(),
  binding: z.array(z.string()),
  reason_codes: z.array(z.string()),
});
export type SiteDecision = z.infer<typeof SiteDecision>;

/** The pricing and SKU pages' view of a decision. */
export function siteDecision(d: Decision): SiteDecision {
  const { run_id, run_date, sku, strategy, override_kind, previous_price, price } = d;
  const { expected_units, expected_profit, infeasible, conflict, binding, reason_codes } = d;
  return {
    run_id,
    run_date,
    sku,
    strategy,
    override_kind,
    previous_price,
    price,
    expected_units,
    expected_profit,
    infeasible,
    conflict,
    binding,
    reason_codes,
  };
}

/** The decisions of the latest successful run (none when no run succeeded yet). */
export const DecisionsData = z.object({
  run: SiteRun.nullable(),
  decisions: z.array(SiteDecision),
});

/** Per SKU: recent shelf prices from the sales record, and the decisions of recent runs. */
export const HistoryData = z.object({
  skus: z.array(Sku),
  sales: z.array(
    z.object({ sku: Sku, date: IsoDate, price: z.number().positive(), units: z.number() }),
  ),
  decisions: z.array(SiteDecision),
});

/** The strategies a backtest compares. */
const BacktestStrategy = z.enum(["static", "rule", "ml", "oracle"]);
const Interval = z.tuple([z.number(), z.number()]);

/** The parts of a stored backtest report the backtests page uses (zod drops the rest). */
const BacktestReportPart = z.object({
  ml_oracle_capture_ci95: Interval.nullable().default(null),
  series: z.partialRecord(
    BacktestStrategy,
    z.object({ date: z.array(IsoDate), profit: z.array(z.number()) }),
  ).default({}),
});

/**
 * One stored backtest as the backtests page shows it: the strategies' headline
 * rows (profit vs static with its 95% interval), ML's share of the oracle's uplift
 * with its interval, and the daily gross profit per strategy (one date array for all).
 */
export const SiteBacktest = z.object({
  backtest_id: z.string().min(1),
  scenario: z.string().min(1),
  seed: z.number().int(),
  skus: z.number().int().positive(),
  days: z.number().int().positive(),
  from_date: IsoDate,
  to_date: IsoDate,
  recorded_at: z.string().nullable(),
  ml_oracle_capture: z.number().nullable(),
  ml_oracle_capture_ci95: Interval.nullable(),
  strategies: z.array(BacktestStrategyRow.omit({ backtest_id: true })).min(1),
  series: z.object({
    date: z.array(IsoDate),
    profit: z.partialRecord(BacktestStrategy, z.array(z.number())),
  }).refine((s) => Object.values(s.profit).every((p) => p.length === s.date.length), {
    error: "every strategy's daily profit needs one value per date",
  }).nullable(),
});
export type SiteBacktest = z.infer<typeof SiteBacktest>;

/** The latest stored backtests, newest first, and how many the store holds. */
export const BacktestsData = z.object({
  total: z.number().int().min(0),
  backtests: z.array(SiteBacktest),
});

/** The backtests page's view of a stored backtest read with its report. */
export function siteBacktest(b: BacktestRow): SiteBacktest {
  const { backtest_id, scenario, seed, skus, days, from_date, to_date, recorded_at } = b;
  const report = parseOrThrow(
    BacktestReportPart,
    b.report ?? {},
    `read the report of backtest ${backtest_id.slice(0, 12)}`,
  );
  const named = Object.entries(report.series);
  const date = named[0]?.[1].date ?? [];
  for (const [name, s] of named) {
    if (s.date.join() !== date.join()) {
      throw new RangeError(
        `Cannot show backtest ${backtest_id.slice(0, 12)}: ${name}'s series dates differ from ${
          named[0][0]
        }'s`,
      );
    }
  }
  return {
    backtest_id,
    scenario,
    seed,
    skus,
    days,
    from_date,
    to_date,
    recorded_at,
    ml_oracle_capture: b.ml_oracle_capture,
    ml_oracle_capture_ci95: report.ml_oracle_capture_ci95,
    strategies: b.strategies.map(({ backtest_id: _, ...s }) => s),
    series: named.length
      ? { date, profit: Object.fromEntries(named.map(([name, s]) => [name, s.profit])) }
      : null,
  };
}
