/**
 * HTML for notebooks: a fragment the Deno Jupyter kernel displays as HTML (with
 * a plain-text fallback), and tables of records rendered as HTML tables.
 *
 * @module
 */

/** The symbol the Deno Jupyter kernel looks for to display an object richly. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A piece of HTML that a notebook cell displays as HTML, and a text fallback. */
export interface Html {
  /** The markup. */
  readonly html: string;
  /** The text shown where HTML is not (a terminal, a text export). */
  readonly text: string;
  /** What the kernel displays: `text/html` and `text/plain`. */
  [JUPYTER_DISPLAY](): Record<string, string>;
}

/** Options of {@linkcode htmlTable}. */
export interface TableOptions {
  /** A caption above the table. Default none. */
  caption?: string;
  /** Columns in order. Default: the keys of the first row, then any new key of later rows. */
  columns?: readonly string[];
  /** Decimals of a number that is not whole, per column or for all. Default 2. */
  digits?: number | Readonly<Record<string, number>>;
  /** Formatters per column; they win over `digits`. */
  format?: Readonly<Record<string, (value: unknown) => string>>;
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>`, `"` and `'` escaped.
 *
 * @example Usage
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml(`<b title="x">A & B's</b>`), "&lt;b title=&quot;x&quot;&gt;A &amp; B&#39;s&lt;/b&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/**
 * Wraps markup so that a notebook displays it as HTML: the last expression of a
 * cell, or `await Deno.jupyter.display(html(...))`.
 *
 * @param markup Trusted markup (escape what came from data with {@linkcode escapeHtml}).
 * @param text The plain-text fallback. Default: the markup without its tags.
 * @returns The displayable fragment.
 *
 * @example Usage
 * ```ts
 * import { html, JUPYTER_DISPLAY } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * const h = html("<p>ML earns <b>35%</b> more</p>");
 * assert.deepEqual(h[JUPYTER_DISPLAY](), {
 *   "text/html": "<p>ML earns <b>35%</b> more</p>",
 *   "text/plain": "ML earns 35% more",
 * });
 * ```
 */
export function html(markup: string, text?: string): Html {
  const plain = text ??
    markup.replace(/<[^>]*>/g, "").replaceAll("&lt;", "<").replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&");
  return {
    html: markup,
    text: plain,
    [JUPYTER_DISPLAY]: () => ({ "text/html": markup, "text/plain": plain }),
  };
}

/**
 * Renders records as a table: one row per record, numbers right-aligned with
 * thousands separators (whole numbers without decimals, others with `digits`), a pair of numbers as
 * an interval `[lo, hi]`, null as empty. The text fallback is a fixed-width table.
 *
 * @param rows The records.
 * @param options Caption, columns, decimals and formatters.
 * @returns The displayable table.
 *
 * @example Usage
 * ```ts
 * import { htmlTable } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * const t = htmlTable([
 *   { strategy: "static", profit: 1192171.5, ci95: [1180000, 1204000], note: null },
 *   { strategy: "ml", profit: 1616434.25, ci95: [1600000.5, 1632000], note: "<best>" },
 * ], { caption: "Gross profit", digits: { profit: 0 } });
 * assert.match(t.html, /^<table/);
 * assert.match(t.html, /<caption>Gross profit<\/caption>/);
 * assert.match(t.html, /<td style="text-align:right">1,616,434<\/td>/);
 * assert.match(t.html, /\[1,600,000\.50, 1,632,000\]/);
 * assert.match(t.html, /&lt;best&gt;/);
 * assert.equal(t.text.split("\n")[2], "static    1,192,172     [1,180,000, 1,204,000]");
 * ```
 */
export function htmlTable(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: TableOptions = {},
): Html {
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const digitsOf = (c: string) =>
    typeof options.digits === "number" ? options.digits : options.digits?.[c] ?? 2;
  const cell = (c: string, v: unknown): { text: string; numeric: boolean } => {
    const f = options.format?.[c];
    if (f) return { text: f(v), numeric: typeof v === "number" };
    if (v === null || v === undefined) return { text: "", numeric: false };
    if (typeof v === "number") return { text: _number(v, digitsOf(c)), numeric: true };
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")) {
      return {
        text: `[${_number(v[0], digitsOf(c))}, ${_number(v[1], digitsOf(c))}]`,
        numeric: true,
      };
    }
    if (typeof v === "object") return { text: JSON.stringify(v), numeric: false };
    return { text: String(v), numeric: false };
  };
  const body = rows.map((r) => columns.map((c) => cell(c, r[c])));
  const right = ' style="text-align:right"';
  const markup = [
    '<table class="pricing-table">',
    options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "",
    `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...body.map((cells) =>
      `<tr>${
        cells.map((x) => `<td${x.numeric ? right : ""}>${escapeHtml(x.text)}</td>`).join("")
      }</tr>`
    ),
    "</tbody></table>",
  ].join("");
  const widths = columns.map((c, k) =>
    Math.max(c.length, ...body.map((cells) => cells[k].text.length))
  );
  const line = (cells: { text: string; numeric: boolean }[]) =>
    cells.map((x, k) => (x.numeric ? x.text.padStart(widths[k]) : x.text.padEnd(widths[k])))
      .join("  ").trimEnd();
  const text = [
    ...(options.caption ? [options.caption] : []),
    line(columns.map((c) => ({ text: c, numeric: false }))),
    ...body.map(line),
  ].join("\n");
  return html(markup, text);
}

function _number(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const d = Number.isInteger(x) ? 0 : digits;
  return x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
}
