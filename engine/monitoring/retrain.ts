/**
 * The retrain rule: when sustained drift, or forecast error well above the
 * model's holdout, asks for a retrain request. The request waits for a person:
 * the pipeline trains a candidate for it (pending) and the champion keeps
 * pricing until someone approves the candidate with `deno task models approve`.
 *
 * @module
 */
import type { MonitoringRunRecord } from "../schema/monitoring.ts";
import { addDays } from "../util/date.ts";

/** Options of {@linkcode retrainDue}. */
export interface RetrainRuleOptions {
  /** Consecutive run dates with drift that make it sustained. Default 3. */
  consecutiveRuns?: number;
  /** 30-day WAPE of the ML-priced SKUs at this multiple of the holdout WAPE asks for a retrain. Default 1.25. */
  wapeRatio?: number;
  /** Fewest days with actuals in the 30-day window for the WAPE rule. Default 14. */
  minWapeDays?: number;
}

/** The retrain rule in words (recorded with every request). */
export function retrainRule(options: RetrainRuleOptions = {}): string {
  return `drift (FEATURE_DRIFT or FORECAST_DRIFT in any scope) on ${
    options.consecutiveRuns ?? 3
  } consecutive run dates, or 30-day WAPE of the ML-priced SKUs >= ${
    options.wapeRatio ?? 1.25
  } x the model's holdout WAPE with at least ${options.minWapeDays ?? 14} days of actuals`;
}

/** What the monitoring stage knows when it applies the rule. */
export interface RetrainEvidence {
  runDate: string;
  modelVersion: string;
  driftToday: boolean;
  /** Earlier monitoring records, newest first. */
  previous: readonly MonitoringRunRecord[];
  wape30: number | null;
  daysWithActuals30: number;
  holdoutWape: number | null;
}

/** Whether sustained drift asks for a retrain, and why. */
export function retrainDue(
  e: RetrainEvidence,
  options: RetrainRuleOptions = {},
): { due: boolean; reasons: string[]; drift_streak: number } {
  const need = options.consecutiveRuns ?? 3;
  const ratio = options.wapeRatio ?? 1.25;
  let streak = e.driftToday ? 1 : 0;
  for (const p of e.previous) {
    if (!streak) break;
    const expected = addDays(e.runDate, -streak);
    if (
      p.run_date !== expected || p.model_version !== e.modelVersion ||
      p.summary.drift_detected !== true
    ) break;
    streak++;
  }
  const reasons: string[] = [];
  if (streak >= need) reasons.push(`drift on ${streak} consecutive run dates`);
  if (
    e.wape30 !== null && e.holdoutWape !== null && e.holdoutWape > 0 &&
    e.daysWithActuals30 >= (options.minWapeDays ?? 14) && e.wape30 >= ratio * e.holdoutWape
  ) {
    reasons.push(`30-day WAPE ${e.wape30} >= ${ratio} x holdout WAPE ${e.holdoutWape}`);
  }
  return { due: reasons.length > 0, reasons, drift_streak: streak };
}
