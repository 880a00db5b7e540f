/**
 * The data contract as a Markdown page (`docs/data-contract.md` is this
 * function's output; a test keeps them equal), so the documentation cannot
 * drift from what the importer checks.
 *
 * @module
 */
import { CONTRACT, CONTRACT_KINDS } from "./contract.ts";

const INTRO = `# Data contract

What a store reads, file by file. Every file is CSV with a header row (UTF-8, comma-separated,
RFC 4180 quoting; a byte-order mark is allowed) or Parquet (\`.parquet\`, read through
nodejs-polars; every value is read as its text). Columns may come in any order. A column the
contract does not name is refused (so a renamed column is never read as empty), and so is a
column given twice or a required column missing.

Import with \`deno task import KIND FILE... --db PATH\` (\`KIND\` \`auto\` takes each file's kind
from the start of its name: \`catalog*\`, \`sales*\`, \`transactions*\`, \`inventory*\`,
\`competitor*\`). This page is generated from \`engine/schema/contract.ts\`, the table the importer
checks against.

## Rules for every file

- **Dates** are store-local calendar days, written \`YYYY-MM-DD\` (\`2011-02-30\` is refused), in
  the years 2000-2199. A fact (a sales, inventory, competitor or transaction date) may not be
  later than the as-of day (\`--as-of\`, default today); a catalog row may take effect in the
  future.
- **Numbers** are plain decimals (\`12\`, \`3.49\`, \`1e3\`): finite, no thousands separators.
  Counts (units, stock) are whole and not negative, at most 2^53 - 1; prices are above 0.
- **Booleans** are \`true\` or \`false\` (\`1\` and \`0\` are read too).
- **Text** has no control characters (no newline, tab or escape).
- **Every problem is named**: file, line (as a text editor counts it; the header is line 1),
  column, value and the rule broken. The import prints counts per rule and the first problems;
  the full list goes to \`FILE.rejects.csv\` beside the input (the original row, then
  \`line, column, value, problem\`). With \`--on-error reject\` (the default) nothing is written
  when any row is bad; with \`--on-error skip\` the good rows are written. Either way the exit
  code is 2 when any row was rejected.
- **Keys.** A sales, inventory or competitor row is identified by \`(sku, date)\`, a catalog row
  by \`(sku, effective_date)\`. The same key twice in one import is refused, both lines named.
- **Corrections and late data.** A row for a key the store already has: equal to the stored
  row, it is skipped and counted as unchanged; different, it is a correction, accepted only
  with \`--reason\` (recorded on the row), otherwise refused as a conflict. A correction is a new
  row: nothing is ever updated or deleted, and the latest row for a key wins. Late data (a day
  imported after later days) is simply imported.
- **The catalog comes first.** A sales, inventory, competitor or transaction row whose SKU has
  no catalog row (in the store or in the same import) is refused.
- **Imported once.** Every import is recorded (kind, file name, content sha256, rows read,
  written, unchanged and rejected, actor, reason); a file whose content was imported before
  changes nothing and says so. Every row written points to its import.
- **Plausibility** findings do not refuse a row; they are recorded with the import and
  reported: revenue more than 50% away from units x shelf price, a day's units above 10 x the
  SKU's 99th percentile of daily units over the 90 days before it, a unit cost more than 25%
  away from the SKU's previous catalog row, returns that exceed a day's sales.
- **Zero-sale days are rows.** A day a SKU was on sale and sold nothing is a sales row with
  \`units\` 0 at that day's shelf price: elasticity and demand estimates need the days nothing
  sold. A day the store was closed has no rows at all and is a closed day of the trading
  calendar (\`--closed-days\` on a sales import, or found by a transactions import); the daily
  run and its features skip closed days.
`;

const TRANSACTIONS = `
### How point-of-sale lines become daily sales

- Lines are summed per SKU and day (the date of the timestamp, as written).
- A negative quantity is a return. Returned units are summed into \`returned_units\`; \`units\`
  is the units sold net of returns and never below zero (when returns exceed sales, the day is
  recorded with \`units\` 0, all returns kept, and a finding reported). Nothing is dropped
  silently.
- The day's \`shelf_price\` is the most frequent \`unit_price\` among its positive lines (the
  highest on a tie): the full price, not the average paid, which mixes in quantity discounts.
- \`revenue\` is the sum paid (quantity x unit price, refunds subtracted), never below zero.
- \`--exclude-sku CODE,...\` skips lines of codes that are not merchandise (postage, fees,
  manual adjustments) and counts them.
- The file covers the days from its first to its last line's date. On a covered day, every
  active catalog SKU without a line gets a zero-sale row at its last known shelf price (from
  the store or an earlier day of the file; a SKU that never sold has none and is counted). A
  covered day without any line at all is recorded as a closed day. One transactions file
  should therefore hold whole days.
`;

/**
 * The data contract as Markdown: the rules, then one table per kind of file.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { contractMarkdown } from "./contract_doc.ts";
 *
 * const md = contractMarkdown();
 * assert.ok(md.startsWith("# Data contract"));
 * assert.ok(md.includes("| `shelf_price` | price | required |"));
 * ```
 */
export function contractMarkdown(): string {
  const parts = [INTRO];
  for (const kind of CONTRACT_KINDS) {
    const spec = CONTRACT[kind];
    parts.push(
      `\n## \`${kind}\`\n\n${spec.row}${
        spec.key.length ? ` Key: \`(${spec.key.join(", ")})\`.` : ""
      }\n\n| column | type | required | unit | meaning |\n|---|---|---|---|---|\n`,
    );
    for (const c of spec.columns) {
      const required = c.required
        ? (c.nullable ? "required (may be empty)" : "required")
        : c.default !== undefined
        ? `optional (default \`${c.default}\`)`
        : "optional";
      parts.push(
        `| \`${c.name}\` | ${c.type} | ${required} | ${c.unit.replaceAll("|", "\\|")} | ${
          c.meaning.replaceAll("|", "\\|")
        } |\n`,
      );
    }
    if (kind === "transactions") parts.push(TRANSACTIONS);
  }
  return parts.join("");
}
