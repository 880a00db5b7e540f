/**
 * The backtest suite: every market shape under the plain profit objective, with
 * a units floor, and with the floor and a price-index band, ML vs rule vs static
 * vs the oracle, with the targets checked and printed (never asserted on
 * time). Static and rule ignore objectives and rules, so each shape runs them
 * once; ML and the oracle run once per setting. Strategies run in parallel
 * workers; the figures are the same whatever the number of workers.
 *
 * @module
 */
import type { PricingRules } from "../../engine/schema/rules.ts";
import { loadScenario } from "../scenario.ts";
import { reportOf } from "./backtest.ts";
import { inWorker } from "./parallel.ts";
import type { BacktestReport } from "./report.ts";
import type { BacktestConfig, StrategyRun } from "./run.ts";
import type { BacktestStrategy } from "./strategies.ts";

/** The market shapes of the suite: one shipped scenario per shape. */
export const SUITE_SCENARIOS = [
  "default",
  "linear",
  "logit",
  "reference-price",
  "store-traffic",
] as const;

/** A named setting of the suite. */
export interface SuiteSetting {
  name: string;
  rules: PricingRules | undefined;
}

/** The settings of the suite, as the targets name them. */
export const SUITE_SETTINGS: readonly SuiteSetting[] = [
  { name: "profit", rules: undefined },
  { name: "units floor 0.97", rules: { units_floor: 0.97 } },
  {
    name: "units floor 0.97, index 0.97-1.05",
    rules: { units_floor: 0.97, price_index: [0.97, 1.05] },
  },
];

/** Options of {@linkcode runSuite}. */
export interface SuiteOptions {
  scenarios?: readonly string[];
  settings?: readonly SuiteSetting[];
  /** Default 200. */
  skus?: number;
  /** Default 120. */
  days?: number;
  /** Default 1. */
  seed?: number;
  /** Default 2. */
  workers?: number;
  onStage?: (message: string) => void;
}

/** One backtest of the suite: a shape under a setting. */
export interface SuiteRow {
  scenario: string;
  setting: string;
  report: BacktestReport;
}

/** A target of the issue, measured. */
export interface SuiteTarget {
  target: string;
  scenario: string;
  setting: string;
  value: number | null;
  /** How `value` and `threshold` read: a share (0.8 = 80%) or a percentage. */
  unit: "share" | "pct";
  threshold: number;
  met: boolean;
}

/** What the suite reports. */
export interface SuiteReport {
  skus: number;
  days: number;
  seed: number;
  rows: SuiteRow[];
  targets: SuiteTarget[];
  seconds_per_strategy: Record<string, number>;
}

/** Runs the suite. */
export async function runSuite(options: SuiteOptions = {}): Promise<SuiteReport> {
  const scenarios = options.scenarios ?? SUITE_SCENARIOS;
  const settings = options.settings ?? SUITE_SETTINGS;
  const skus = options.skus ?? 200;
  const days = options.days ?? 120;
  const seed = options.seed ?? 1;
  const workers = options.workers ?? 2;
  const stage = options.onStage ?? (() => {});
  const jobs: { key: string; config: BacktestConfig; strategy: BacktestStrategy }[] = [];
  const configs = new Map<string, BacktestConfig>();
  for (const name of scenarios) {
    const scenario = await loadScenario(name);
    const base: BacktestConfig = { scenario, seed, skus, days };
    for (const s of ["static", "rule"] as const) {
      jobs.push({ key: `${name}|*|${s}`, config: base, strategy: s });
    }
    settings.forEach((setting, k) => {
      const config = { ...base, rules: setting.rules };
      configs.set(`${name}|${k}`, config);
      for (const s of ["ml", "oracle"] as const) {
        jobs.push({ key: `${name}|${k}|${s}`, config, strategy: s });
      }
    });
  }
  const runs = new Map<string, StrategyRun>();
  const seconds: Record<string, number> = {};
  const queue = [...jobs];
  let done = 0;
  const next = async (): Promise<void> => {
    const job = queue.shift();
    if (!job) return;
    const r = await inWorker({ strategy: job.strategy, config: job.config }, () => {});
    runs.set(job.key, r.run);
    seconds[job.key] = Math.round(r.seconds * 10) / 10;
    stage(`suite ${++done}/${jobs.length}: ${job.key} in ${seconds[job.key]} s`);
    return next();
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, next));
  const rows: SuiteRow[] = [];
  for (const name of scenarios) {
    settings.forEach((setting, k) => {
      const list = [
        runs.get(`${name}|*|static`)!,
        runs.get(`${name}|*|rule`)!,
        runs.get(`${name}|${k}|ml`)!,
        runs.get(`${name}|${k}|oracle`)!,
      ];
      const report = reportOf(list, configs.get(`${name}|${k}`)!);
      rows.push({ scenario: name, setting: setting.name, report: { ...report, series: {} } });
    });
  }
  return { skus, days, seed, rows, targets: suiteTargets(rows), seconds_per_strategy: seconds };
}

/** The targets, measured on the suite's rows. */
export function suiteTargets(rows: readonly SuiteRow[]): SuiteTarget[] {
  const out: SuiteTarget[] = [];
  const add = (
    row: SuiteRow,
    target: string,
    value: number | null,
    threshold: number,
    unit: SuiteTarget["unit"] = "share",
    atMost = false,
  ) =>
    out.push({
      target,
      scenario: row.scenario,
      setting: row.setting,
      value,
      unit,
      threshold,
      met: value !== null && (atMost ? value <= threshold : value >= threshold),
    });
  for (const row of rows) {
    const r = row.report;
    const ml = r.strategies.ml;
    if (!ml) continue;
    const hasBand = r.rules?.price_index != null;
    if (!hasBand) add(row, "ML captures >= 80% of the oracle's uplift", r.ml_oracle_capture, 0.8);
    if (r.rules?.units_floor != null && !hasBand) {
      add(row, "units floor held on >= 95% of category-weeks", ml.units_floor_met_share, 0.95);
    }
    if (row.scenario === "default" && hasBand && r.rules?.units_floor != null) {
      add(row, "ML profit >= +8% over static", r.vs_static.ml?.profit.pct ?? null, 8, "pct");
      add(row, "units floor held on >= 95% of category-weeks", ml.units_floor_met_share, 0.95);
      add(row, "<= 5% of SKUs at their ceiling", ml.at_ceiling_share, 0.05, "share", true);
    }
  }
  return out;
}
