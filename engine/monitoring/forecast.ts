/**
 * Forecast accuracy: the units each decision expected for its date against the
 * units that sold, over trailing windows, overall, by strategy and by category;
 * and the rule that calls a scope's forecast drifted.
 *
 * @module
 */
import type { ForecastAccuracyRow } from "../schema/monitoring.ts";
import { addDays } from "../util/date.ts";
import { round } from "../util/round.ts";

/** A decision's expected units next to what sold that day. */
export interface ForecastPair {
  date: string;
  sku: string;
  category: string;
  strategy: string;
  predicted: number;
  actual: number;
  /** The day ended with no stock: sales understate demand, so the pair is left out. */
  censored: boolean;
  /** A store promotion: its display lift is nothing a price forecast knows; left out. */
  promo: boolean;
}

/** Accuracy rows without the run they belong to. */
export type Accuracy = Omit<ForecastAccuracyRow, "run_id" | "run_date">;

/** Trailing windows measured. */
export const FORECAST_WINDOWS = [7, 30] as const;

/**
 * WAPE = Σ|ŷ − y| / Σy and bias = (Σŷ − Σy) / Σy over the pairs dated in
 * [runDate − window, runDate), censored and promotion days left out; null when
 * nothing sold. Rows: all, then strategies, then categories, each sorted.
 */
export function forecastAccuracy(
  pairs: readonly ForecastPair[],
  runDate: string,
  windows: readonly number[] = FORECAST_WINDOWS,
): Accuracy[] {
  const usable = pairs.filter((p) => !p.censored && !p.promo);
  const out: Accuracy[] = [];
  for (const w of windows) {
    const from = addDays(runDate, -w);
    const inWindow = usable.filter((p) => p.date >= from && p.date < runDate);
    const groups = new Map<
      string,
      { kind: Accuracy["scope_kind"]; scope: string; ps: ForecastPair[] }
    >();
    const add = (kind: Accuracy["scope_kind"], scope: string, p: ForecastPair) => {
      const key = `${kind}\u0000${scope}`;
      const g = groups.get(key);
      if (g) g.ps.push(p);
      else groups.set(key, { kind, scope, ps: [p] });
    };
    for (const p of inWindow) {
      add("all", "all", p);
      add("strategy", p.strategy, p);
      add("category", p.category, p);
    }
    if (!groups.has("all\u0000all")) {
      groups.set("all\u0000all", { kind: "all", scope: "all", ps: [] });
    }
    const order = { all: 0, strategy: 1, category: 2 };
    const sorted = [...groups.values()].sort((a, b) =>
      order[a.kind] - order[b.kind] || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)
    );
    for (const g of sorted) {
      out.push({ window_days: w, scope_kind: g.kind, scope: g.scope, ...measure(g.ps) });
    }
  }
  return out;
}

function measure(ps: readonly ForecastPair[]) {
  let abs = 0, y = 0, yhat = 0;
  for (const p of ps) {
    abs += Math.abs(p.predicted - p.actual);
    y += p.actual;
    yhat += p.predicted;
  }
  return {
    n: ps.length,
    actual_units: round(y, 4),
    predicted_units: round(yhat, 4),
    wape: y > 0 ? round(abs / y, 6) : null,
    bias: y > 0 ? round((yhat - y) / y, 6) : null,
  };
}

/** Options of {@linkcode forecastDrift}. */
export interface ForecastDriftOptions {
  /** Trailing days judged. Default 7. */
  windowDays?: number;
  /** Fewest SKUs with actuals a scope needs to be judged. Default 10. */
  minSkus?: number;
  /** Fewest predicted units in the window for a scope to be judged. Default 200. */
  minUnits?: number;
  /** Smallest |bias| that counts as drift. Default 0.25. */
  minBias?: number;
  /** Standard errors the gap Σŷ − Σy must exceed. Default 3.5. */
  z?: number;
}

/** A scope whose forecast drifted, and why. */
export interface ForecastDrift {
  scope: string;
  scope_kind: "all" | "category";
  skus: number;
  wape: number | null;
  bias: number | null;
  predicted_units: number;
  actual_units: number;
  /** (Σŷ − Σy) over its standard error, SKUs as independent clusters. */
  z: number;
}

/**
 * The forecast drift rule: over the trailing window (censored and promotion
 * days left out), a scope (all SKUs or a category) with at least `minSkus`
 * SKUs and `minUnits` predicted units drifts when |bias| ≥ minBias and the gap
 * Σŷ − Σy is at least z standard errors from zero. The standard error treats
 * each SKU's summed error as one independent draw, √(Σ_sku e²), so it grows
 * with the noise of small scopes and with errors that persist within a SKU:
 * a small category needs a larger bias to drift.
 */
export function forecastDrift(
  pairs: readonly ForecastPair[],
  runDate: string,
  options: ForecastDriftOptions = {},
): ForecastDrift[] {
  const from = addDays(runDate, -(options.windowDays ?? 7));
  const minSkus = options.minSkus ?? 10;
  const minUnits = options.minUnits ?? 200;
  const minBias = options.minBias ?? 0.25;
  const zMin = options.z ?? 3.5;
  const groups = new Map<string, ForecastPair[]>([["all", []]]);
  for (const p of pairs) {
    if (p.censored || p.promo || p.date < from || p.date >= runDate) continue;
    groups.get("all")!.push(p);
    const g = groups.get(p.category);
    if (g) g.push(p);
    else groups.set(p.category, [p]);
  }
  const out: ForecastDrift[] = [];
  for (
    const scope of [...groups.keys()].sort((
      a,
      b,
    ) => (a === "all" ? -1 : b === "all" ? 1 : a < b ? -1 : 1))
  ) {
    const ps = groups.get(scope)!;
    const err = new Map<string, number>();
    for (const p of ps) err.set(p.sku, (err.get(p.sku) ?? 0) + p.predicted - p.actual);
    const m = measure(ps);
    if (err.size < minSkus || m.predicted_units < minUnits || m.bias === null) continue;
    let ss = 0;
    for (const e of err.values()) ss += e * e;
    const gap = m.predicted_units - m.actual_units;
    const z = ss > 0 ? gap / Math.sqrt(ss) : 0;
    if (Math.abs(m.bias) < minBias || Math.abs(z) < zMin) continue;
    out.push({
      scope,
      scope_kind: scope === "all" ? "all" : "category",
      skus: err.size,
      wape: m.wape,
      bias: m.bias,
      predicted_units: m.predicted_units,
      actual_units: m.actual_units,
      z: round(z, 3),
    });
  }
  return out;
}
