/**
 * The backtest report as Markdown: the headline table, differences against
 * static, ML's share of the oracle's uplift and the breakdown by category.
 *
 * @module
 */
import type { BacktestReport } from "./report.ts";
import type { BacktestStrategy } from "./strategies.ts";

const _fmt = (x: number, digits = 0) =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const _pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)}%`;

/** The rules under test in words. */
export function rulesText(r: Pick<BacktestReport, "rules">): string {
  const x = r.rules;
  if (!x) return "profit, no rules";
  const parts: string[] = [x.objective ?? "profit"];
  if (x.units_floor != null) parts.push(`units floor ${x.units_floor}`);
  if (x.revenue_floor != null) parts.push(`revenue floor ${x.revenue_floor}`);
  if (x.price_index != null) parts.push(`price index ${x.price_index[0]}–${x.price_index[1]}`);
  if (x.kvi_index != null) parts.push(`key-value items ${x.kvi_index[0]}–${x.kvi_index[1]}`);
  return parts.join(", ");
}

/** Renders a report (deterministic: same report, same text). */
export function reportMarkdown(r: BacktestReport): string {
  const names = Object.keys(r.strategies) as BacktestStrategy[];
  const lines: string[] = [];
  lines.push(`# Backtest: ${r.scenario}, seed ${r.seed}`, "");
  lines.push(r.description, "");
  lines.push(
    `${r.skus} SKUs, ${r.days} days (${r.from} to ${r.to}) after ${r.warmup_days} days of warm-up ` +
      `history. Every strategy runs the real daily pipeline on its own copy of the same warm-up ` +
      `store; the simulator answers each day's prices with common random numbers. ML model: ${r.retrain}.`,
    "",
  );
  lines.push(`Objective and rules: ${rulesText(r)}.`, "");
  lines.push(
    "| strategy | revenue | gross profit | units | lost units | stockout SKU-days | avg margin | price changes |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const n of names) {
    const s = r.strategies[n]!;
    lines.push(
      `| ${n} | ${_fmt(s.revenue, 2)} | ${_fmt(s.profit, 2)} | ${_fmt(s.units)} | ${
        _fmt(s.lost_units)
      } | ${_fmt(s.stockout_days)} | ${(100 * s.avg_margin).toFixed(2)}% | ${
        _fmt(s.price_changes)
      } |`,
    );
  }
  lines.push("");
  lines.push("## Price image and rules", "");
  lines.push(
    "Price index: Σ w·price / Σ w·competitor over category-days, w = units in the 28 days before. " +
      "Units floor met: category-weeks whose units reached the floor × the 28 days before / 4.",
    "",
  );
  lines.push(
    "| strategy | price index | at ceiling (mean) | at ceiling (last day) | units floor met | index band met |",
    "|---|---:|---:|---:|---:|---:|",
  );
  const share = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);
  for (const n of names) {
    const s = r.strategies[n]!;
    lines.push(
      `| ${n} | ${s.price_index === null ? "–" : s.price_index.toFixed(4)} | ${
        share(s.at_ceiling_share)
      } | ${share(s.at_ceiling_last_day)} | ${share(s.units_floor_met_share)} | ${
        share(s.price_index_met_share)
      } |`,
    );
  }
  lines.push("");
  const diffs = Object.entries(r.vs_static);
  if (diffs.length) {
    lines.push("## Against static (95% bootstrap interval over SKUs)", "");
    lines.push(
      "| strategy | profit difference | interval | profit % | interval | revenue % |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const [n, d] of diffs) {
      lines.push(
        `| ${n} | ${_fmt(d.profit.diff, 2)} | [${_fmt(d.profit.ci95[0], 2)}, ${
          _fmt(d.profit.ci95[1], 2)
        }] | ${_pct(d.profit.pct)} | [${_pct(d.profit.pct_ci95[0])}, ${
          _pct(d.profit.pct_ci95[1])
        }] | ${_pct(d.revenue.pct)} |`,
      );
    }
    lines.push("");
  }
  if (r.ml_oracle_capture !== null) {
    const ci = r.ml_oracle_capture_ci95!;
    lines.push(
      `**ML captures ${
        (100 * r.ml_oracle_capture).toFixed(1)
      }% of the oracle's uplift over static** in ${r.capture_metric} ` +
        `(95% interval ${(100 * ci[0]).toFixed(1)}% to ${(100 * ci[1]).toFixed(1)}%).`,
      "",
    );
  }
  const ml = r.strategies.ml;
  const rule = r.strategies.rule;
  if (ml && rule && rule.profit !== 0) {
    lines.push(
      `ML gross profit vs rule: ${
        _pct((100 * (ml.profit - rule.profit)) / Math.abs(rule.profit))
      }; ` +
        `stockout SKU-days ML ${ml.stockout_days} vs rule ${rule.stockout_days}.`,
      "",
    );
  }
  const wins = Object.entries(r.sku_wins);
  if (wins.length) {
    lines.push("## Share of SKUs on which one strategy earns more than another", "");
    lines.push("| comparison | share of SKUs |", "|---|---:|");
    for (const [k, v] of wins) {
      lines.push(`| ${k.replace(">", " > ")} | ${(100 * v).toFixed(1)}% |`);
    }
    lines.push("");
  }
  lines.push("## Gross profit by category", "");
  lines.push(
    `| category | SKUs | ${names.join(" | ")} |`,
    `|---|---:|${names.map(() => "---:|").join("")}`,
  );
  for (const [c, row] of Object.entries(r.by_category)) {
    const skus = Object.values(row)[0]?.skus ?? 0;
    lines.push(
      `| ${c} | ${skus} | ${names.map((n) => _fmt(row[n]?.profit ?? 0, 2)).join(" | ")} |`,
    );
  }
  lines.push("");
  lines.push("## Models", "");
  for (const n of names) {
    const s = r.strategies[n]!;
    const d = s.decisions;
    lines.push(
      `- ${n}: decisions ml ${d.ml}, rule ${d.rule}, static ${d.static}; infeasible ${s.infeasible}; ` +
        `models ${s.models.length ? s.models.join(", ") : "none"}`,
    );
  }
  lines.push("");
  return lines.join("\n");
}
