/**
 * Forecast accuracy as the Forecast page shows it: the units each decision
 * expected next to the units that sold, per day over the last 30 days of
 * actuals (all SKUs, per category, per strategy; censored and promotion days
 * left out, as the monitoring stage leaves them out); the 7- and 30-day WAPE and
 * bias the monitoring stage recorded after each run; and the runs that detected
 * drift.
 *
 * @module
 */
import { z } from "zod";
import type { DatabaseSync } from "node:sqlite";
import {
  latestSalesDate,
  readForecastAccuracySince,
  readForecastPairs,
  readMonitoringRuns,
} from "../../../engine/store/queries.ts";
import type { ForecastPairRow } from "../../../engine/store/queries.ts";
import { addDays } from "../../../engine/util/date.ts";
import { StorePeriod, storePeriod } from "./period.ts";

const ScopeKind = z.enum(["all", "category", "strategy"]);
const nullable = z.number().nullable();

/** Predicted and actual units of one scope on one day. */
export const ForecastDay = z.object({
  date: z.string(),
  scope_kind: ScopeKind,
  scope: z.string(),
  /** SKU-days counted (censored and promotion days left out). */
  n: z.number().int().min(0),
  predicted: z.number().min(0),
  actual: z.number().min(0),
});
export type ForecastDay = z.infer<typeof ForecastDay>;

/** The Forecast page's data. */
export const ForecastData = z.object({
  /** Dates of actuals in the daily comparison: [from, to]. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Totals per date: per day, or per week on a weekly store (dated by the week's first day). */
  daily: z.array(ForecastDay),
  /** The store's pricing period: what one date of `daily` covers. */
  period: StorePeriod,
  /** WAPE and bias after each run, one series per window and scope, aligned on `dates`. */
  trend: z.object({
    dates: z.array(z.string()),
    series: z.array(z.object({
      window_days: z.number().int().positive(),
      scope_kind: ScopeKind,
      scope: z.string(),
      wape: z.array(nullable),
      bias: z.array(nullable),
    })),
  }),
  /** Per monitored run: the champion's holdout WAPE and what drifted. */
  runs: z.array(z.object({
    run_date: z.string(),
    model_version: z.string().nullable(),
    holdout_wape: nullable,
    drift_detected: z.boolean(),
    feature_drift: z.array(z.string()),
    forecast_drift: z.array(z.string()),
  })),
});
export type ForecastData = z.infer<typeof ForecastData>;

/** Sums predicted and actual units per day and scope (all, category, strategy). */
export function dailyForecastTotals(pairs: readonly ForecastPairRow[]): ForecastDay[] {
  const out = new Map<string, ForecastDay>();
  const add = (p: ForecastPairRow, scope_kind: ForecastDay["scope_kind"], scope: string) => {
    const key = `${p.date}\u0000${scope_kind}\u0000${scope}`;
    let d = out.get(key);
    if (!d) out.set(key, d = { date: p.date, scope_kind, scope, n: 0, predicted: 0, actual: 0 });
    d.n++;
    d.predicted += p.predicted;
    d.actual += p.actual;
  };
  for (const p of pairs) {
    if (p.censored || p.promo) continue;
    add(p, "all", "all");
    add(p, "category", p.category);
    add(p, "strategy", p.strategy);
  }
  return [...out.values()].map((d) => ({
    ...d,
    predicted: Math.round(d.predicted * 100) / 100,
  }));
}

/** Options of {@linkcode forecastView}. */
export interface ForecastOptions {
  /** Days of actuals compared. Default 30. */
  days?: number;
  /** Runs in the WAPE and bias trends. Default 120. */
  runs?: number;
}

/** The Forecast page's data. */
export function forecastView(db: DatabaseSync, options: ForecastOptions = {}): ForecastData {
  const last = latestSalesDate(db);
  const days = options.days ?? 30;
  const from = last ? addDays(last, -(days - 1)) : null;
  const pairs = last && from ? readForecastPairs(db, from, addDays(last, 1)) : [];
  const monitored = readMonitoringRuns(db, { limit: options.runs ?? 120 }).reverse();
  const dates = monitored.map((m) => m.run_date);
  const index = new Map(dates.map((d, i) => [d, i]));
  const series = new Map<string, ForecastData["trend"]["series"][number]>();
  for (const r of readForecastAccuracySince(db, dates[0] ?? "9999-12-31")) {
    const i = index.get(r.run_date);
    if (i === undefined) continue;
    const key = `${r.window_days}\u0000${r.scope_kind}\u0000${r.scope}`;
    let s = series.get(key);
    if (!s) {
      const empty = () => new Array<number | null>(dates.length).fill(null);
      series.set(
        key,
        s = { ...r, wape: empty(), bias: empty() },
      );
    }
    s.wape[i] = r.wape;
    s.bias[i] = r.bias;
  }
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    from: pairs.length ? pairs[0].date : null,
    to: pairs.length ? pairs[pairs.length - 1].date : null,
    daily: dailyForecastTotals(pairs),
    period: storePeriod(db),
    trend: {
      dates,
      series: [...series.values()].map(({ window_days, scope_kind, scope, wape, bias }) => ({
        window_days,
        scope_kind,
        scope,
        wape,
        bias,
      })),
    },
    runs: monitored.map((m) => {
      const s = m.summary as Record<string, Record<string, unknown> | boolean | undefined>;
      const forecast = (s.forecast ?? {}) as Record<string, unknown>;
      const drift = (s.drift ?? {}) as Record<string, unknown>;
      return {
        run_date: m.run_date,
        model_version: m.model_version,
        holdout_wape: typeof forecast.holdout_wape === "number" ? forecast.holdout_wape : null,
        drift_detected: s.drift_detected === true,
        feature_drift: strings(drift.feature_drift),
        forecast_drift: strings(drift.forecast_drift),
      };
    }),
  };
}
