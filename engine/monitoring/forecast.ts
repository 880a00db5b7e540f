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
  /** The decision's run date, `YYYY-MM-DD`. */
  date: string;
  /** The SKU. */
  sku: string;
  /** Its category in the run's snapshot. */
  category: string;
  /** The strategy that priced it. */
  strategy: string;
  /** The units the decision expected. */
  predicted: number;
  /** The units that sold that day. */
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
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { forecastAccuracy } from "./forecast.ts";
 *
 * const pair = { date: "2026-01-09", sku: "A", category: "x", strategy: "ml", censored: false, promo: false };
 * const rows = forecastAccuracy([{ ...pair, predicted: 10, actual: 8 }], "2026-01-10", [7]);
 * assert.deepEqual(rows.map((r) => [r.scope, r.wape]), [["all", 0.25], ["ml", 0.25], ["x", 0.25]]);
 * ```
 */
export function forecastAccuracy(
  pairs: Iterable<ForecastPair>,
  runDate: string,
  windows: readonly number[] = FORECAST_WINDOWS,
): Accuracy[] {
  const tally = new ForecastTally(runDate, { windows });
  for (const p of pairs) tally.add(p);
  return tally.accuracy();
}

/** Running sums of a group of pairs, added in the order the pairs come. */
interface Sums {
  n: number;
  abs: number;
  y: number;
  yhat: number;
}

const sums = (): Sums => ({ n: 0, abs: 0, y: 0, yhat: 0 });

function addTo(s: Sums, p: ForecastPair): void {
  s.n++;
  s.abs += Math.abs(p.predicted - p.actual);
  s.y += p.actual;
  s.yhat += p.predicted;
}

function measure(s: Sums) {
  const { abs, y, yhat } = s;
  return {
    n: s.n,
    actual_units: round(y, 4),
    predicted_units: round(yhat, 4),
    wape: y > 0 ? round(abs / y, 6) : null,
    bias: y > 0 ? round((yhat - y) / y, 6) : null,
  };
}

/** Options of {@linkcode ForecastTally}. */
export interface ForecastTallyOptions {
  /** Trailing windows of the accuracy rows. Default {@linkcode FORECAST_WINDOWS}. */
  windows?: readonly number[];
  /** Thresholds of the forecast drift rule. Default: those of {@linkcode forecastDrift}. */
  drift?: ForecastDriftOptions;
}

/**
 * Forecast accuracy and forecast drift of a run, tallied in one pass over its
 * pairs (by date then SKU, as the store gives them) without keeping them: per
 * window and scope running sums, and per drift scope each SKU's summed error.
 * Its memory grows with SKUs and scopes, not with days. The sums are added in
 * the order the pairs come, so the figures equal those of a pass over a list
 * of the same pairs to the last bit.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { ForecastTally } from "./forecast.ts";
 *
 * const tally = new ForecastTally("2026-01-10", { windows: [7] });
 * const pair = { date: "2026-01-09", sku: "A", category: "x", strategy: "ml", censored: false, promo: false };
 * tally.add({ ...pair, predicted: 10, actual: 8 });
 * tally.add({ ...pair, sku: "B", predicted: 5, actual: 5 });
 * assert.equal(tally.accuracy()[0].wape, 0.153846);
 * assert.deepEqual(tally.drift(), []); // too few SKUs and units to judge
 * ```
 */
export class ForecastTally {
  readonly #runDate: string;
  readonly #windows: { from: string; days: number; groups: Map<string, Sums & Scope> }[];
  readonly #driftFrom: string;
  readonly #drift: Required<Omit<ForecastDriftOptions, "windowDays">>;
  /** Per drift scope (all, then categories as they come), its sums and each SKU's error. */
  readonly #driftScopes = new Map<string, Sums & { err: Map<string, number> }>([
    ["all", { ...sums(), err: new Map() }],
  ]);

  /** A tally of the run of `runDate` (pairs dated before it are counted). */
  constructor(runDate: string, options: ForecastTallyOptions = {}) {
    this.#runDate = runDate;
    this.#windows = (options.windows ?? FORECAST_WINDOWS).map((days) => ({
      days,
      from: addDays(runDate, -days),
      groups: new Map([["all\u0000all", { kind: "all" as const, scope: "all", ...sums() }]]),
    }));
    const d = options.drift ?? {};
    this.#driftFrom = addDays(runDate, -(d.windowDays ?? 7));
    this.#drift = {
      minSkus: d.minSkus ?? 10,
      minUnits: d.minUnits ?? 200,
      minBias: d.minBias ?? 0.25,
      z: d.z ?? 3.5,
    };
  }

  /** Counts one pair. */
  add(p: ForecastPair): void {
    if (p.censored || p.promo || p.date >= this.#runDate) return;
    for (const w of this.#windows) {
      if (p.date < w.from) continue;
      addTo(w.groups.get("all\u0000all")!, p);
      this.#group(w.groups, "strategy", p.strategy, p);
      this.#group(w.groups, "category", p.category, p);
    }
    if (p.date < this.#driftFrom) return;
    this.#driftScope("all", p);
    this.#driftScope(p.category, p);
  }

  #group(
    groups: Map<string, Sums & Scope>,
    kind: Scope["kind"],
    scope: string,
    p: ForecastPair,
  ): void {
    const key = `${kind}\u0000${scope}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { kind, scope, ...sums() });
    addTo(g, p);
  }

  #driftScope(scope: string, p: ForecastPair): void {
    let g = this.#driftScopes.get(scope);
    if (!g) this.#driftScopes.set(scope, g = { ...sums(), err: new Map() });
    addTo(g, p);
    g.err.set(p.sku, (g.err.get(p.sku) ?? 0) + p.predicted - p.actual);
  }

  /** The accuracy rows: per window, all, then strategies, then categories, each sorted. */
  accuracy(): Accuracy[] {
    const order = { all: 0, strategy: 1, category: 2 };
    const out: Accuracy[] = [];
    for (const w of this.#windows) {
      const sorted = [...w.groups.values()].sort((a, b) =>
        order[a.kind] - order[b.kind] || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)
      );
      for (const g of sorted) {
        out.push({ window_days: w.days, scope_kind: g.kind, scope: g.scope, ...measure(g) });
      }
    }
    return out;
  }

  /** The scopes whose forecast drifted (see {@linkcode forecastDrift}), all first, then sorted. */
  drift(): ForecastDrift[] {
    const { minSkus, minUnits, minBias, z: zMin } = this.#drift;
    const out: ForecastDrift[] = [];
    const scopes = [...this.#driftScopes.keys()].sort((a, b) =>
      a === "all" ? -1 : b === "all" ? 1 : a < b ? -1 : 1
    );
    for (const scope of scopes) {
      const g = this.#driftScopes.get(scope)!;
      const m = measure(g);
      if (g.err.size < minSkus || m.predicted_units < minUnits || m.bias === null) continue;
      let ss = 0;
      for (const e of g.err.values()) ss += e * e;
      const gap = m.predicted_units - m.actual_units;
      const z = ss > 0 ? gap / Math.sqrt(ss) : 0;
      if (Math.abs(m.bias) < minBias || Math.abs(z) < zMin) continue;
      out.push({
        scope,
        scope_kind: scope === "all" ? "all" : "category",
        skus: g.err.size,
        wape: m.wape,
        bias: m.bias,
        predicted_units: m.predicted_units,
        actual_units: m.actual_units,
        z: round(z, 3),
      });
    }
    return out;
  }
}

/** An accuracy group's kind and scope. */
interface Scope {
  kind: Accuracy["scope_kind"];
  scope: string;
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
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { forecastDrift } from "./forecast.ts";
 *
 * const pairs = Array.from({ length: 40 }, (_, k) => ({
 *   date: "2026-01-09", sku: `S${k}`, category: "x", strategy: "ml", predicted: 10,
 *   actual: 6 + (k % 2), censored: false, promo: false,
 * }));
 * assert.deepEqual(forecastDrift(pairs, "2026-01-10").map((d) => d.scope), ["all", "x"]);
 * ```
 */
export function forecastDrift(
  pairs: Iterable<ForecastPair>,
  runDate: string,
  options: ForecastDriftOptions = {},
): ForecastDrift[] {
  const tally = new ForecastTally(runDate, { windows: [], drift: options });
  for (const p of pairs) tally.add(p);
  return tally.drift();
}
