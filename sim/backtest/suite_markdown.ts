/**
 * The suite as Markdown: per market shape and setting, gross profit of static,
 * rule, ML and the oracle, ML's gain over static and its share of the oracle's
 * uplift with 95% intervals, ML's units against static's, its share of SKUs at
 * their ceiling and how often the rules under test held; then the targets.
 *
 * @module
 */
import type { SuiteReport } from "./suite.ts";

const _int = (x: number) => Math.round(x).toLocaleString("en-US");
const _pct = (x: number, d = 1) => `${x >= 0 ? "+" : ""}${x.toFixed(d)}%`;
const _share = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);

/** Renders the suite (deterministic: same report, same text). */
export function suiteMarkdown(s: SuiteReport): string {
  const lines: string[] = [];
  lines.push(
    `${s.skus} SKUs × ${s.days} days, seed ${s.seed}. Gross profit per strategy; ML vs static and ` +
      "ML's capture of the oracle's uplift with 95% bootstrap intervals over SKUs; ML's units vs " +
      "static's; ML's mean share of SKUs at their ceiling; category-weeks meeting the units floor and " +
      "category-days inside the index band (ML / oracle).",
    "",
  );
  lines.push(
    "| shape | setting | static | rule | ml | oracle | ML vs static | ML capture | ML units vs static | ML at ceiling | floor met | band met |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const row of s.rows) {
    const r = row.report;
    const st = r.strategies;
    const ml = st.ml!, oracle = st.oracle!, base = st.static!;
    const vs = r.vs_static.ml!.profit;
    const cap = r.ml_oracle_capture === null
      ? "–"
      : `${(100 * r.ml_oracle_capture).toFixed(1)}% [${
        (100 * r.ml_oracle_capture_ci95![0]).toFixed(1)
      }, ${(100 * r.ml_oracle_capture_ci95![1]).toFixed(1)}]`;
    lines.push(
      `| ${row.scenario} | ${row.setting} | ${_int(base.profit)} | ${_int(st.rule!.profit)} | ${
        _int(ml.profit)
      } | ${_int(oracle.profit)} | ${_pct(vs.pct)} [${_pct(vs.pct_ci95[0])}, ${
        _pct(vs.pct_ci95[1])
      }] | ${cap} | ${_pct((100 * (ml.units - base.units)) / base.units)} | ${
        _share(ml.at_ceiling_share)
      } | ${_share(ml.units_floor_met_share)} / ${_share(oracle.units_floor_met_share)} | ${
        _share(ml.price_index_met_share)
      } / ${_share(oracle.price_index_met_share)} |`,
    );
  }
  lines.push("", "Targets:", "");
  for (const t of s.targets) {
    const v = t.value === null ? "n/a" : t.unit === "pct" ? _pct(t.value) : _share(t.value);
    lines.push(`- ${t.met ? "met" : "NOT met"}: ${t.target} on ${t.scenario} (${t.setting}): ${v}`);
  }
  lines.push("");
  return lines.join("\n");
}
