/**
 * Data of the demand benchmark: training rows from a simulated store (the
 * default scenario) split by time into fit rows and a holdout, and the feature
 * columns the learners take.
 *
 * @module
 */
import { openStore } from "../engine/store/db.ts";
import { latestSalesDate } from "../engine/store/queries.ts";
import { loadTrainingSet } from "../engine/registry/training_set.ts";
import { DEMAND_FEATURES, featureColumns } from "../engine/demand/features.ts";
import type { TrainingRow } from "../engine/demand/rolling.ts";
import { addDays } from "../engine/util/date.ts";
import { loadScenario } from "../sim/scenario.ts";
import { writeSimulatedStore } from "../sim/store.ts";

/** Simulated training rows, split by time. */
export interface SimulatedDemand {
  scenario: string;
  skus: number;
  days: number;
  /** Rows before the holdout, by date then SKU. */
  fit: TrainingRow[];
  /** Rows of the last `holdoutDays` days. */
  holdout: TrainingRow[];
  holdoutFrom: string;
  categories: string[];
  /** Seconds to simulate the store and to build the training rows. */
  simulateSeconds: number;
  buildSeconds: number;
  /** Heap bytes the training rows took (a rough per-row figure for larger sizes). */
  heapBytes: number;
}

/** Simulates a store in a temporary directory and builds its training rows. */
export async function simulatedDemand(options: {
  skus: number;
  days: number;
  seed?: number;
  holdoutDays?: number;
  scenario?: string;
}): Promise<SimulatedDemand> {
  const scenario = options.scenario ?? "default";
  const holdoutDays = options.holdoutDays ?? 28;
  const dir = await Deno.makeTempDir({ prefix: "pricing-bench-" });
  try {
    const db = openStore(`${dir}/store.db`);
    let t = performance.now();
    const summary = writeSimulatedStore(db, {
      scenario: await loadScenario(scenario),
      seed: options.seed ?? 11,
      skus: options.skus,
      historyDays: options.days,
    });
    const simulateSeconds = (performance.now() - t) / 1000;
    const to = latestSalesDate(db);
    if (!to) throw new RangeError("Cannot benchmark: the simulated store has no sales");
    const heapBefore = Deno.memoryUsage().heapUsed;
    t = performance.now();
    const set = loadTrainingSet(db, addDays(summary.startDate, 28), to);
    const buildSeconds = (performance.now() - t) / 1000;
    const heapBytes = Math.max(0, Deno.memoryUsage().heapUsed - heapBefore);
    db.close();
    const holdoutFrom = addDays(to, -(holdoutDays - 1));
    return {
      scenario,
      skus: options.skus,
      days: options.days,
      fit: set.rows.filter((r) => r.snapshot.run_date < holdoutFrom),
      holdout: set.rows.filter((r) => r.snapshot.run_date >= holdoutFrom),
      holdoutFrom,
      categories: set.categories,
      simulateSeconds,
      buildSeconds,
      heapBytes,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Feature columns and units of rows, as the registry's learners see them. */
export function learnerData(
  rows: readonly TrainingRow[],
  categories: readonly string[],
): { features: Float64Array[]; target: Float64Array } {
  const codes = new Map(categories.map((c, i) => [c, i]));
  return {
    features: featureColumns(rows, (c) => codes.get(c) ?? -1),
    target: Float64Array.from(rows, (r) => r.units),
  };
}

/** The model's feature names. */
export const FEATURE_NAMES: string[] = DEMAND_FEATURES.map((f) => f.name);

/**
 * The latest `count` fit rows (so every size ends right before the holdout),
 * split by time into training rows and the last tenth of their days for early
 * stopping, as the registry does.
 */
export function latestRows(
  fit: readonly TrainingRow[],
  count: number,
): { train: TrainingRow[]; valid: TrainingRow[] } {
  if (fit.length < count) {
    throw new RangeError(
      `Cannot take ${count} training rows: the simulated store gave ${fit.length}; use more SKUs or days`,
    );
  }
  const rows = fit.slice(fit.length - count);
  const dates = [...new Set(rows.map((r) => r.snapshot.run_date))];
  const cut = dates[Math.floor(dates.length * 0.9)];
  return {
    train: rows.filter((r) => r.snapshot.run_date < cut),
    valid: rows.filter((r) => r.snapshot.run_date >= cut),
  };
}
