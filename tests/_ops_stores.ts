/**
 * Test helpers of the operations site and server: small demo stores run
 * forward with the monitoring stage, on the `default` scenario (a stored
 * backtest with its price paths) or on `regime-shift` run past its shift, so
 * that drift alerts (critical among them) are open and a retrained candidate
 * waits for approval.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { appendBacktest, transaction } from "../engine/store/writer.ts";
import type { DailyReport } from "../engine/pipeline/daily.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { fulfilRetrainRequest } from "../engine/pipeline/mod.ts";
import { defaultRunDate } from "../engine/store/queries.ts";
import { addDays } from "../engine/util/date.ts";
import { createDemoStore } from "../sim/demo.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { loadScenario } from "../sim/scenario.ts";
import {
  backtestMarket,
  backtestRecord,
  type BacktestReport,
  pricePaths,
  runBacktest,
} from "../sim/backtest/mod.ts";

/** Runs the daily job with monitoring for `days` dates from the store's next run date. */
export function runForward(db: DatabaseSync, days: number): DailyReport[] {
  return runDates(db, {
    from: defaultRunDate(db),
    days,
    recordActuals: recordSimulatedActuals,
    monitoring: {},
  });
}

/** A 40-SKU default demo store run 4 days, with one tiny stored backtest and its price paths. */
export async function defaultOpsStore(
  dir: string,
): Promise<{ path: string; runs: DailyReport[]; backtest: BacktestReport }> {
  const path = join(dir, "default.db");
  const db = openStore(path);
  try {
    await createDemoStore(db, { skus: 40, days: 200, seed: 3 });
    const runs = runForward(db, 4);
    const config = {
      scenario: await loadScenario("default"),
      seed: 1,
      skus: 20,
      days: 5,
      warmupDays: 150,
    };
    let paths: ReturnType<typeof pricePaths> = [];
    const backtest = runBacktest(config, {
      onRuns: (r) => (paths = pricePaths(r, backtestMarket(config))),
    });
    transaction(
      db,
      () => appendBacktest(db, backtestRecord(backtest, paths), "2024-06-04T08:00:00Z"),
    );
    return { path, runs, backtest };
  } finally {
    db.close();
  }
}

/** The regime-shift scenario's shift date. */
export const SHIFT = "2026-01-15";

/**
 * A 100-SKU regime-shift demo store (seed 1, 400 days of history ending 2025-12-30) run to a
 * week past the shift, when the beverages' forecast bias is above 0.5 (a critical alert), with
 * a retrained candidate waiting for approval.
 */
export async function regimeShiftStore(
  dir: string,
): Promise<{ path: string; runs: DailyReport[] }> {
  const spec = JSON.parse(
    await Deno.readTextFile(new URL("../sim/scenarios/regime-shift.json", import.meta.url)),
  );
  spec.startDate = addDays("2025-12-30", -399);
  const file = join(dir, "regime-shift.json");
  await Deno.writeTextFile(file, JSON.stringify(spec));
  const path = join(dir, "regime-shift.db");
  const db = openStore(path);
  try {
    await createDemoStore(db, { scenario: file, skus: 100, days: 400, seed: 1 });
    const runs = runForward(db, 21);
    const answered = fulfilRetrainRequest(db, { actor: "test", recordedAt: null });
    if (!answered) trainCandidate(db, { kind: "gbdt", actor: "test", recordedAt: null });
    runs.push(...runForward(db, 1));
    return { path, runs };
  } finally {
    db.close();
  }
}
