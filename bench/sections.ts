/**
 * The benchmark's sections, named by a string union and resolved here once.
 * A section takes the shared settings and returns figures that `deno task
 * bench --json` merges into its one JSON object; add a part of the product
 * by adding an entry.
 *
 * @module
 */
import { benchDemand } from "./demand.ts";
import { benchBacktest } from "./backtest.ts";
import { benchServe } from "./serve.ts";
import { benchSite } from "./site.ts";
import { benchImport } from "./import.ts";
import { benchDaily } from "./daily.ts";

/** Settings every section gets from the command line. */
export interface BenchSettings {
  /** Small sizes that finish in seconds (for tests), not the documented ones. */
  quick: boolean;
  repeats: number;
  skipCart50k: boolean;
  sklearn: boolean;
  /** Backtest size: SKUs and days (default 250 × 60). */
  backtestSize: { skus: number; days: number };
  /** The serve section's store: a copy of this one, else a demo store of `serveSize`. */
  serveDb?: string;
  /** Demo store of the serve section: SKUs and daily runs (default 500 × 30). */
  serveSize: { skus: number; days: number };
  /** Timed requests per mode of the serve section (default 2,000). */
  serveRequests: number;
  /** The site section's store: built as it is, else a demo store of `siteSize`. */
  siteDb?: string;
  /** Demo store of the site section: SKUs and daily runs (default 500 × 120). */
  siteSize: { skus: number; days: number };
  say: (message: string) => void;
}

/** Section names. */
export type SectionName = "demand" | "backtest" | "serve" | "site" | "import" | "daily";

/** What a section declares. */
export interface Section {
  describe: string;
  run(settings: BenchSettings): Promise<Record<string, unknown>>;
}

/** Every section, in the order the bench runs them. */
export const SECTIONS: Record<SectionName, Section> = {
  demand: {
    describe: "demand models: gbdt vs cart vs seasonal-naive on simulated data, gbdt at 1M " +
      "rows vs scikit-learn, prediction and pricing throughput",
    run: async (s) => ({
      ...await benchDemand({
        repeats: s.repeats,
        skipCartLarge: s.skipCart50k,
        sklearn: s.sklearn,
        say: s.say,
        ...(s.quick
          ? {
            sizes: [500, 1_500],
            store: { skus: 30, days: 120 },
            big: { rows: 20_000, features: 12, trees: 10 },
            pricing: { skus: 1_000, candidates: 25 },
          }
          : {}),
      }),
    }),
  },
  backtest: {
    describe: "ML vs rule vs static vs oracle backtest time per strategy (static is the " +
      "baseline) and the 1,000 SKUs x 365 days x 4 strategies figure",
    run: (s) =>
      benchBacktest({
        ...(s.quick ? { skus: 20, days: 5, warmupDays: 150 } : s.backtestSize),
        say: s.say,
      }),
  },
  serve: {
    describe: "deno task serve in a fresh process driven over loopback by an HTTP client: " +
      "p50/p95/p99 latency of the read API per endpoint (1 and 8 in flight), server peak memory",
    run: (s) =>
      benchServe({
        db: s.serveDb,
        ...(s.quick ? { skus: 20, days: 3 } : s.serveSize),
        requests: s.quick ? 200 : s.serveRequests,
        say: s.say,
      }),
  },
  site: {
    describe: "deno task site:build for a store (default a 500-SKU demo store after 120 runs) " +
      "and the bytes each page downloads in chromium, against the 1 MB budget",
    run: (s) =>
      benchSite({
        db: s.siteDb,
        ...(s.quick ? { skus: 12, days: 2 } : s.siteSize),
        say: s.say,
      }),
  },
  import: {
    describe: "deno task import of a catalog and 1,000,000 sales rows into a fresh init store " +
      "in a fresh process: wall time and peak memory against the targets (30 s, 1.5 GB); the " +
      "files are simulated once and cached under .bench/",
    run: (s) =>
      benchImport({
        ...(s.quick ? { rows: 5_000, repeats: 1 } : { repeats: s.repeats }),
        say: s.say,
      }),
  },
  daily: {
    describe: "deno task daily in fresh processes on 10,000 and 100,000 SKUs x 400 days with an " +
      "approved model (time and peak memory of two steady days, and of a weekly refit day when " +
      "one falls among them; time per 1,000 SKUs and its ratio), models train on them, and " +
      "steady-day peak memory at 200 vs 800 days of history; stores are built once and cached " +
      "under .bench/ (the first build of 100,000 SKUs took 53 minutes and makes an 18 GB store)",
    run: (s) =>
      benchDaily({
        ...(s.quick
          ? {
            sizes: [300, 1_000],
            days: 90,
            historySkus: 100,
            historyDays: [100, 200] as [number, number],
          }
          : {}),
        say: s.say,
      }),
  },
};
