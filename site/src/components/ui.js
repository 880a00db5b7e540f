// Shared by every page: one colour per strategy and per severity, number formats,
// small DOM helpers, and links that work behind any static server (explicit .html).

/** The strategies, in the order every legend lists them. */
export const STRATEGIES = ["ml", "rule", "static", "oracle"];

/** One colour per strategy, on every page. */
export const STRATEGY_COLORS = {
  ml: "#4269d0",
  rule: "#efb118",
  static: "#9498a0",
  oracle: "#3ca951",
};

/** A Plot color scale for the strategies in `domain` (default: the daily run's three). */
export function strategyColor(domain = ["ml", "rule", "static"], legend = true) {
  return { domain, range: domain.map((s) => STRATEGY_COLORS[s]), legend };
}

/** One colour per alert severity. */
export const SEVERITY_COLORS = { critical: "#d62728", warning: "#efb118", info: "#4269d0" };

/** A Plot color scale for severities. */
export function severityColor(legend = true) {
  const domain = ["critical", "warning", "info"];
  return { domain, range: domain.map((s) => SEVERITY_COLORS[s]), legend };
}

export const int = (
  x,
) => (x === null || x === undefined ? "—" : Math.round(x).toLocaleString("en-US"));
export const money = (x) => (x === null || x === undefined ? "—" : x.toFixed(2));
export const pct = (x, digits = 1) =>
  x === null || x === undefined ? "—" : `${x > 0 ? "+" : ""}${(100 * x).toFixed(digits)}%`;
export const share = (x, digits = 1) =>
  x === null || x === undefined ? "—" : `${(100 * x).toFixed(digits)}%`;
export const date = (s) => new Date(`${s}T00:00:00Z`);

/** One pricing period of the store in words: "day", or "week" on a weekly store. */
export const periodUnit = (period) => (period?.kind === "week" ? "week" : "day");

/** How the store prices: "prices by day", or "prices by week (weeks from Thursday)". */
export function periodText(period) {
  if (period?.kind !== "week") return "prices by day";
  const start = period.week_start ?? "";
  return `prices by week (weeks from ${start.charAt(0).toUpperCase()}${start.slice(1)})`;
}

/** A next run date with what it prices: "2024-02-22" or "the week from 2024-02-22". */
export function nextRunText(nextRunDate, period) {
  if (!nextRunDate) return "—";
  return period?.kind === "week" ? `the week from ${nextRunDate}` : nextRunDate;
}

/** An element with properties (dataset via `data`) and children. */
export function el(tag, props = {}, ...children) {
  const { data, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  for (const [k, v] of Object.entries(data ?? {})) e.dataset[k] = v;
  e.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

/** A paragraph whose `backticked` spans are code. */
export function paragraph(text, props = {}) {
  const p = el("p", props);
  text.split("`").forEach((part, i) => p.append(i % 2 ? el("code", { textContent: part }) : part));
  return p;
}

/** A KPI card: a title, a big value and an optional note. */
export function kpi(title, value, note = "", props = {}) {
  return el(
    "div",
    { className: "card", ...props },
    el("h2", { textContent: title }),
    el("span", {
      className: String(value).length > 14 ? "big long" : "big",
      textContent: String(value),
      data: { kpi: title },
    }),
    note ? el("div", { className: "muted", textContent: note }) : null,
  );
}

/** A card with a heading and content. */
export function card(title, ...content) {
  return el(
    "div",
    { className: "card" },
    title ? el("h2", { textContent: title }) : null,
    ...content,
  );
}

/** Swatches naming what each colour or line means. */
export function legend(items) {
  return el(
    "div",
    { className: "legend" },
    items.map(({ label, color, dash }) =>
      el(
        "span",
        { className: "swatch" },
        el("i", {
          style: `border-top: 3px ${dash ? "dashed" : "solid"} ${color}; background: ${
            dash ? "none" : color
          }`,
        }),
        label,
      )
    ),
  );
}

/** A link to a SKU's page; `root` is the path from the current page to the site root. */
export function skuLink(sku, root = "./") {
  return el("a", { href: `${root}sku/${encodeURIComponent(sku)}.html`, textContent: sku });
}

/** Words on what each reason code means. */
export const REASONS = {
  ML_OPTIMIZED: "the model's expected profit was highest at this price within the guardrails",
  ML_NO_APPROVED_MODEL: "no approved model: priced by the rules",
  ML_COLD_START: "fewer than 28 days of history: priced by the rules",
  ML_INVALID_PREDICTION: "the model gave an invalid prediction: priced by the rules",
  GUARDRAIL_CONFLICT: "no price met every guardrail: the safest price was kept",
  MARKDOWN_OVERSTOCK: "more than 45 days of cover: marked down",
  MARKUP_LOW_COVER: "fewer than 7 days of cover: marked up",
  STOCK_LIMITED: "expected sales are capped by the stock until the next receipt",
  STATIC_KEEP_PRICE: "static strategy: the last price was kept",
  OVERRIDE_PRICE_FREEZE: "a PRICE_FREEZE override kept the last price",
  OVERRIDE_FORCE_RULE_BASED: "a FORCE_RULE_BASED override priced by the rules",
  FROZEN_OUTSIDE_GUARDRAILS: "the frozen price breaks a guardrail",
  COST_PLUS: "rules: cost plus the 30% target margin",
  COMPETITOR_BAND: "rules: kept within 0.95-1.08 x the competitor's price",
  GUARDRAIL_CLAMPED: "a guardrail bound moved the price",
  PRICE_ENDING: "the price ending moved the price",
};

/** Marks a chart (an SVG or a figure) with `data-chart="name"` for readers and tests. */
export function chart(name, node) {
  node.dataset.chart = name;
  return node;
}

/**
 * A chart width that is never too narrow to draw: the page's width can be 0 for a moment
 * (while the page lays out), and margins wider than the chart draw bars of negative width.
 */
export function fit(width, min = 360) {
  return Math.max(Number.isFinite(width) ? width : 0, min);
}
