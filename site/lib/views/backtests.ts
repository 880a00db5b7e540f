/**
 * Stored backtests as the backtests page shows them: the strategies' headline
 * rows, ML's share of the oracle's uplift, the daily gross profit per strategy
 * and the price paths of the sampled SKUs.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import { IsoDate, parseOrThrow } from "../../../engine/schema/common.ts";
import { BacktestPricePath } from "../../../engine/schema/backtest.ts";
import {
  type BacktestRow,
  BacktestStrategyRow,
  readBacktestPricePaths,
  readBacktests,
} from "../../../engine/store/queries.ts";

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
  /** Daily prices of a sample of SKUs per strategy (none for backtests stored before them). */
  price_paths: z.array(BacktestPricePath.omit({ from_date: true })),
});
export type SiteBacktest = z.infer<typeof SiteBacktest>;

/** The latest stored backtests, newest first, and how many the store holds. */
export const BacktestsData = z.object({
  total: z.number().int().min(0),
  backtests: z.array(SiteBacktest),
});
export type BacktestsData = z.infer<typeof BacktestsData>;

/** The backtests page's view of a stored backtest read with its report, and its price paths. */
export function siteBacktest(
  b: BacktestRow,
  paths: readonly BacktestPricePath[] = [],
): SiteBacktest {
  const { backtest_id, scenario, seed, skus, days, from_date: from, to_date, recorded_at } = b;
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
    from_date: from,
    to_date,
    recorded_at,
    ml_oracle_capture: b.ml_oracle_capture,
    ml_oracle_capture_ci95: report.ml_oracle_capture_ci95,
    strategies: b.strategies.map(({ backtest_id: _, ...s }) => s),
    series: named.length
      ? { date, profit: Object.fromEntries(named.map(([name, s]) => [name, s.profit])) }
      : null,
    price_paths: paths.map(({ from_date, ...p }) => {
      if (from_date !== from) {
        throw new RangeError(
          `Cannot show backtest ${
            backtest_id.slice(0, 12)
          }: ${p.sku}'s ${p.strategy} price path starts on ${from_date}, not ${from}`,
        );
      }
      return p;
    }),
  };
}

/** The latest `limit` stored backtests, newest first, each with its report fields and price paths. */
export function backtestsView(db: DatabaseSync, options: { limit: number }): BacktestsData {
  const all = readBacktests(db);
  const latest = all.slice(0, options.limit).flatMap((b) =>
    readBacktests(db, { backtestId: b.backtest_id, withReport: true })
  );
  return {
    total: all.length,
    backtests: latest.map((b) => siteBacktest(b, readBacktestPricePaths(db, b.backtest_id))),
  };
}
