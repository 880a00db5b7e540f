/**
 * Migration 6: the data contract. Input tables are rebuilt with write-time
 * checks (finite numbers, whole counts within 2^53 − 1, calendar dates in the
 * years 2000–2199, enums, SKU codes, text without control characters); sales
 * gain the day's shelf price (taken from the average price of earlier rows,
 * which in a simulator-backed store is the shelf price) and returned units;
 * every input row may point to the import that brought it. New tables: the
 * store's settings, imports and their data-quality issues, the trading
 * calendar, price exports, and the quarantine of stored rows that fail the new
 * checks (moved there with the reason, never dropped).
 *
 * @module
 */
import type { Migration } from "../migrations.ts";
import { appendOnly } from "./_append_only.ts";
import { count, finite, isoDate, plainText, positive, skuCode } from "./_checks.ts";

/** One column of a rebuilt table: its declaration, its check, and its value from the old row. */
interface Column {
  name: string;
  decl: string;
  check?: string;
  /** Expression over the old table's row (default: the column of the same name). */
  from?: string;
}

/** A rebuilt input table. */
interface Rebuilt {
  table: string;
  columns: Column[];
  indexes: string[];
}

const reason = (max = 500): Column => ({
  name: "reason",
  decl: "TEXT NOT NULL",
  check: plainText("reason", max),
});
const importId: Column = {
  name: "import_id",
  decl: "INTEGER REFERENCES imports (id)",
  from: "NULL",
};
const sku: Column = { name: "sku", decl: "TEXT NOT NULL", check: skuCode("sku") };
const date = (name: string): Column => ({ name, decl: "TEXT NOT NULL", check: isoDate(name) });

const REBUILT: readonly Rebuilt[] = [
  {
    table: "catalog",
    columns: [
      sku,
      date("effective_date"),
      {
        name: "category",
        decl: "TEXT NOT NULL",
        check: `(length(category) >= 1 AND ${plainText("category", 64)})`,
      },
      {
        name: "name",
        decl: "TEXT",
        check: `(name IS NULL OR ${plainText("name", 200)})`,
        from: "NULL",
      },
      { name: "unit_cost", decl: "REAL NOT NULL", check: positive("unit_cost") },
      { name: "floor_price", decl: "REAL NOT NULL", check: positive("floor_price") },
      {
        name: "ceiling_price",
        decl: "REAL NOT NULL",
        check: `(${positive("ceiling_price")} AND ceiling_price >= floor_price)`,
      },
      { name: "min_margin", decl: "REAL NOT NULL", check: "(min_margin >= 0 AND min_margin < 1)" },
      {
        name: "max_daily_change",
        decl: "REAL NOT NULL",
        check: "(max_daily_change > 0 AND max_daily_change <= 1)",
      },
      {
        name: "price_ending",
        decl: "TEXT NOT NULL",
        check: "(price_ending IN ('any', '9', '99', '49|99'))",
      },
      { name: "active", decl: "INTEGER NOT NULL", check: "(active IN (0, 1))" },
      reason(),
      importId,
    ],
    indexes: ["CREATE INDEX catalog_by_sku ON catalog (sku, effective_date, id)"],
  },
  {
    table: "sales",
    columns: [
      sku,
      date("date"),
      { name: "units", decl: "INTEGER NOT NULL", check: count("units") },
      {
        name: "returned_units",
        decl: "INTEGER NOT NULL",
        check: count("returned_units"),
        from: "0",
      },
      { name: "revenue", decl: "REAL NOT NULL", check: `(${finite("revenue")} AND revenue >= 0)` },
      {
        name: "shelf_price",
        decl: "REAL NOT NULL",
        check: positive("shelf_price"),
        from: "avg_price",
      },
      { name: "promo", decl: "INTEGER NOT NULL", check: "(promo IN (0, 1))" },
      reason(),
      importId,
    ],
    indexes: [
      "CREATE INDEX sales_by_sku ON sales (sku, date, id)",
      "CREATE INDEX sales_by_date ON sales (date)",
    ],
  },
  {
    table: "inventory",
    columns: [
      sku,
      date("date"),
      { name: "on_hand", decl: "INTEGER NOT NULL", check: count("on_hand") },
      { name: "on_order", decl: "INTEGER NOT NULL", check: count("on_order") },
      {
        name: "next_receipt_date",
        decl: "TEXT",
        check: `(next_receipt_date IS NULL OR ${isoDate("next_receipt_date")})`,
      },
      reason(),
      importId,
    ],
    indexes: [
      "CREATE INDEX inventory_by_sku ON inventory (sku, date, id)",
      "CREATE INDEX inventory_by_date ON inventory (date)",
    ],
  },
  {
    table: "competitor_prices",
    columns: [
      sku,
      date("date"),
      { name: "competitor_price", decl: "REAL NOT NULL", check: positive("competitor_price") },
      reason(),
      importId,
    ],
    indexes: [
      "CREATE INDEX competitor_prices_by_sku ON competitor_prices (sku, date, id)",
      "CREATE INDEX competitor_prices_by_date ON competitor_prices (date)",
    ],
  },
];

/** SQL that rebuilds `t` with its checks, moving old rows that fail them to the quarantine. */
function rebuild(t: Rebuilt): string {
  const next = `${t.table}__v6`;
  const decls = t.columns.map((c) => `  ${c.name} ${c.decl}${c.check ? ` CHECK ${c.check}` : ""}`);
  const exprs = t.columns.map((c) => c.from ?? c.name);
  // The checks over the old row's values, each new column's value in its place.
  const derived = t.columns.filter((c) => c.from !== undefined);
  const valid = t.columns.filter((c) => c.check).map((c) => {
    let check = c.check!;
    for (const d of derived) {
      check = check.replaceAll(new RegExp(`\\b${d.name}\\b(?!\\()`, "g"), `(${d.from})`);
    }
    return `coalesce(${check}, 0)`;
  }).join(" AND ");
  const oldColumns = t.columns.map((c) => c.from ?? c.name).filter((e) => /^[a-z_]+$/.test(e));
  return `
CREATE TABLE ${next} (
  id INTEGER PRIMARY KEY,
${decls.join(",\n")}
) STRICT;
INSERT INTO input_quarantine (table_name, row_id, row_json, problem, recorded_by)
SELECT '${t.table}', id, json_object(${oldColumns.map((c) => `'${c}', ${c}`).join(", ")}),
  'fails a write-time check added by migration 6', 'migration 6'
FROM ${t.table} WHERE NOT (${valid});
INSERT INTO ${next} (id, ${t.columns.map((c) => c.name).join(", ")})
SELECT id, ${exprs.join(", ")} FROM ${t.table} WHERE ${valid} ORDER BY id;
DROP TABLE ${t.table};
ALTER TABLE ${next} RENAME TO ${t.table};
${t.indexes.map((ix) => `${ix};`).join("\n")}
${appendOnly(t.table)}`;
}

/** The tables this migration creates append-only (the rebuilt input tables get their triggers back). */
const AUDIT = [
  "store_settings",
  "imports",
  "import_issues",
  "trading_calendar",
  "price_exports",
  "input_quarantine",
];

export const contract: Migration = {
  auditTables: AUDIT,
  version: 6,
  name: "data contract: checked input tables, shelf prices, imports, calendar, settings, exports",
  sql: `
CREATE TABLE store_settings (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (${skuCode("name")}),
  period TEXT NOT NULL CHECK (period IN ('day', 'week')),
  week_start TEXT CHECK (week_start IS NULL OR week_start IN
    ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
  actor TEXT NOT NULL CHECK (${plainText("actor", 100)}),
  reason TEXT NOT NULL CHECK (${plainText("reason")}),
  recorded_at TEXT,
  CHECK ((period = 'week') = (week_start IS NOT NULL))
) STRICT;

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('catalog', 'sales', 'inventory', 'competitor', 'transactions')),
  file TEXT NOT NULL CHECK (${plainText("file", 1000)}),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND NOT sha256 GLOB '*[^0-9a-f]*'),
  rows_read INTEGER NOT NULL CHECK (${count("rows_read")}),
  rows_written INTEGER NOT NULL CHECK (${count("rows_written")}),
  rows_unchanged INTEGER NOT NULL CHECK (${count("rows_unchanged")}),
  rows_rejected INTEGER NOT NULL CHECK (${count("rows_rejected")}),
  details TEXT NOT NULL CHECK (json_valid(details)),
  actor TEXT NOT NULL CHECK (${plainText("actor", 100)}),
  reason TEXT CHECK (reason IS NULL OR ${plainText("reason")}),
  recorded_at TEXT
) STRICT;
CREATE INDEX imports_by_content ON imports (kind, sha256);

CREATE TABLE import_issues (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports (id),
  line INTEGER,
  sku TEXT,
  "check" TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT,
  message TEXT NOT NULL
) STRICT;
CREATE INDEX import_issues_by_import ON import_issues (import_id, id);

CREATE TABLE trading_calendar (
  id INTEGER PRIMARY KEY,
  date TEXT NOT NULL CHECK (${isoDate("date")}),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  import_id INTEGER REFERENCES imports (id),
  reason TEXT NOT NULL CHECK (${plainText("reason")})
) STRICT;
CREATE INDEX trading_calendar_by_date ON trading_calendar (date, id);

CREATE TABLE price_exports (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  status TEXT NOT NULL CHECK (status IN ('written', 'failed')),
  infeasible TEXT NOT NULL CHECK (infeasible IN ('hold', 'export')),
  file TEXT NOT NULL,
  sha256 TEXT,
  rows INTEGER,
  error TEXT,
  recorded_at TEXT
) STRICT;
CREATE INDEX price_exports_by_run ON price_exports (run_id, id);

CREATE TABLE input_quarantine (
  id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  row_json TEXT NOT NULL,
  problem TEXT NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
${REBUILT.map(rebuild).join("\n")}
${AUDIT.map((t) => appendOnly(t)).join("\n")}
`,
};
