/**
 * The backtest report as HTML for a notebook: the same sections as the Markdown
 * report (`markdown.ts`), as tables a notebook renders.
 *
 * @module
 */
import { escapeHtml, type Html, html, htmlTable } from "../../engine/util/html.ts";
import type { BacktestReport } from "./report.ts";
import type { BacktestStrategy } from "./strategies.ts";

const _pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)}%`;
const _pctCi = (ci: [number, number]) => `[${_pct(ci[0])}, ${_pct(ci[1])}]`;

/**
 * Renders a backtest report as HTML: totals per strategy, differences against
 * static with their 95% bootstrap intervals, ML's share of the oracle's uplift,
 * the share of SKUs on which each strategy beats each other one, profit by
 * category and the models that priced.
 *
 * @param r The report.
 * @returns The displayable HTML (its text fallback is the same tables in plain text).
 *
 * @example Usage
 * ```ts
 * import { reportHtml } from "./html.ts";
 * import { runBacktest } from "./backtest.ts";
 * import { loadScenario } from "../scenario.ts";
 * import assert from "node:assert/strict";
 *
 * const scenario = await loadScenario("default");
 * const report = runBacktest({ scenario, seed: 3, skus: 4, warmupDays: 60, days: 3 }, {
 *   strategies: ["static", "rule"],
 * });
 * const { html } = reportHtml(report);
 * assert.match(html, /<h3>Backtest: default, seed 3<\/h3>/);
 * assert.match(html, /<caption>Against static/);
 * assert.match(html, /<td>rule<\/td>/);
 * ```
 */
export function reportHtml(r: BacktestReport): Html {
  const names = Object.keys(r.strategies) as BacktestStrategy[];
  const parts: Html[] = [];
  parts.push(htmlTable(
    names.map((n) => {
      const s = r.strategies[n]!;
      return {
        strategy: n,
        revenue: s.revenue,
        "gross profit": s.profit,
        units: s.units,
        "lost units": s.lost_units,
        "stockout SKU-days": s.stockout_days,
        "avg margin": `${(100 * s.avg_margin).toFixed(2)}%`,
        "price changes": s.price_changes,
      };
    }),
    { caption: "Totals over every SKU and day", digits: 0 },
  ));
  const diffs = Object.entries(r.vs_static);
  if (diffs.length) {
    parts.push(htmlTable(
      diffs.map(([n, d]) => ({
        strategy: n,
        "profit difference": d.profit.diff,
        interval: d.profit.ci95,
        "profit %": _pct(d.profit.pct),
        "profit % interval": _pctCi(d.profit.pct_ci95),
        "revenue %": _pct(d.revenue.pct),
        "revenue % interval": _pctCi(d.revenue.pct_ci95),
      })),
      { caption: "Against static (95% bootstrap interval over SKUs)", digits: 0 },
    ));
  }
  const capture = r.ml_oracle_capture === null
    ? ""
    : `<p><b>ML captures ${
      (100 * r.ml_oracle_capture).toFixed(1)
    }% of the oracle's uplift over static</b> (95% interval ${
      (100 * r.ml_oracle_capture_ci95![0]).toFixed(1)
    }% to ${(100 * r.ml_oracle_capture_ci95![1]).toFixed(1)}%).</p>`;
  if (Object.keys(r.sku_wins).length) {
    parts.push(htmlTable(
      names.map((a) => ({
        strategy: a,
        ...Object.fromEntries(
          names.map((b) => [
            `> ${b}`,
            a === b ? "" : `${(100 * (r.sku_wins[`${a}>${b}`] ?? 0)).toFixed(1)}%`,
          ]),
        ),
      })),
      { caption: "Share of SKUs on which the row strategy earns more than the column one" },
    ));
  }
  parts.push(htmlTable(
    Object.entries(r.by_category).map(([c, row]) => ({
      category: c,
      SKUs: Object.values(row)[0]?.skus ?? 0,
      ...Object.fromEntries(names.map((n) => [n, row[n]?.profit ?? 0])),
    })),
    { caption: "Gross profit by category", digits: 0 },
  ));
  parts.push(htmlTable(
    names.map((n) => {
      const s = r.strategies[n]!;
      return {
        strategy: n,
        "ml decisions": s.decisions.ml,
        "rule decisions": s.decisions.rule,
        "static decisions": s.decisions.static,
        infeasible: s.infeasible,
        models: s.models.join(", "),
      };
    }),
    { caption: "Decisions and models" },
  ));
  const head = `<h3>Backtest: ${escapeHtml(r.scenario)}, seed ${r.seed}</h3><p>${
    escapeHtml(r.description)
  }</p><p>${r.skus} SKUs, ${r.days} days (${r.from} to ${r.to}) after ${r.warmup_days} days of warm-up history. ML model: ${
    escapeHtml(r.retrain)
  }.</p>`;
  const [totals, ...rest] = parts;
  return html(
    head + totals.html + (diffs.length ? rest[0].html : "") + capture +
      rest.slice(diffs.length ? 1 : 0).map((p) => p.html).join(""),
    [
      `Backtest: ${r.scenario}, seed ${r.seed}`,
      `${r.skus} SKUs, ${r.days} days (${r.from} to ${r.to}). ML model: ${r.retrain}.`,
      ...parts.map((p) => p.text),
      ...(r.ml_oracle_capture === null
        ? []
        : [`ML captures ${(100 * r.ml_oracle_capture).toFixed(1)}% of the oracle's uplift.`]),
    ].join("\n\n"),
  );
}
