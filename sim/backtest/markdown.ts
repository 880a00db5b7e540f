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
      }% of the oracle's uplift over static** ` +
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
