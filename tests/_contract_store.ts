/**
 * Test helpers: small stores of a retailer's own data, built as `deno task init`
 * and `deno task import` build them (settings, then contract CSV files through
 * the importer), with seeded sales; and row counts of the tables a run writes.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { appendStoreSettings, transaction } from "../engine/store/writer.ts";
import { type ImportFile, importFiles } from "../engine/ingest/import.ts";
import type { ContractKind } from "../engine/schema/contract.ts";
import { addDays } from "../engine/util/date.ts";
import { createRandom } from "../engine/util/random.ts";

/** The header of a catalog file. */
export const CATALOG_HEADER =
  "sku,effective_date,category,unit_cost,floor_price,ceiling_price,min_margin,max_daily_change,price_ending,active";

/** The header of a sales file (required columns only). */
export const SALES_HEADER = "sku,date,units,revenue,shelf_price";

/** One catalog row; omitted fields take the values of an ordinary, feasible SKU. */
export interface CatalogLine {
  sku: string;
  effective_date?: string;
  category?: string;
  unit_cost?: number;
  floor_price?: number;
  ceiling_price?: number;
  min_margin?: number;
  max_daily_change?: number;
  price_ending?: string;
  active?: boolean;
}

/**
 * A catalog CSV of `lines`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { catalogCsv } from "./_contract_store.ts";
 *
 * const csv = catalogCsv([{ sku: "A1", ceiling_price: 9 }]);
 * assert.equal(csv.split("\n")[1], "A1,2024-01-01,gifts,2,3,9,0.1,0.1,any,true");
 * ```
 */
export function catalogCsv(lines: readonly CatalogLine[]): string {
  const rows = lines.map((l) =>
    [
      l.sku,
      l.effective_date ?? "2024-01-01",
      l.category ?? "gifts",
      l.unit_cost ?? 2,
      l.floor_price ?? 3,
      l.ceiling_price ?? 6,
      l.min_margin ?? 0.1,
      l.max_daily_change ?? 0.1,
      l.price_ending ?? "any",
      l.active ?? true,
    ].join(",")
  );
  return [CATALOG_HEADER, ...rows].join("\n") + "\n";
}

/** One day of one SKU's sales. */
export interface SalesLine {
  sku: string;
  date: string;
  units: number;
  shelf_price: number;
}

/**
 * A sales CSV of `lines` (revenue = units × shelf price).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { salesCsv } from "./_contract_store.ts";
 *
 * const csv = salesCsv([{ sku: "A1", date: "2024-01-02", units: 3, shelf_price: 2.5 }]);
 * assert.equal(csv, "sku,date,units,revenue,shelf_price\nA1,2024-01-02,3,7.50,2.5\n");
 * ```
 */
export function salesCsv(lines: readonly SalesLine[]): string {
  const rows = lines.map((l) =>
    `${l.sku},${l.date},${l.units},${(l.units * l.shelf_price).toFixed(2)},${l.shelf_price}`
  );
  return [SALES_HEADER, ...rows].join("\n") + "\n";
}

/**
 * SKU codes `S01`, `S02`, ...
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { skuCodes } from "./_contract_store.ts";
 *
 * assert.deepEqual(skuCodes(3), ["S01", "S02", "S03"]);
 * ```
 */
export function skuCodes(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(2, "0")}`);
}

/**
 * Seeded daily sales of every SKU from `from` for `days` days: units 0-9, the shelf
 * price 4.49 (a feasible price under the default catalog line).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededSales } from "./_contract_store.ts";
 *
 * const rows = seededSales(["A1", "B2"], "2024-01-30", 3);
 * assert.equal(rows.length, 6);
 * assert.deepEqual(rows.map((r) => r.date).slice(-2), ["2024-02-01", "2024-02-01"]);
 * assert.deepEqual(seededSales(["A1"], "2024-01-30", 3), seededSales(["A1"], "2024-01-30", 3));
 * ```
 */
export function seededSales(
  skus: readonly string[],
  from: string,
  days: number,
  seed = 7,
): SalesLine[] {
  const random = createRandom(seed);
  const out: SalesLine[] = [];
  for (let d = 0; d < days; d++) {
    for (const sku of skus) {
      out.push({
        sku,
        date: addDays(from, d),
        units: Math.floor(random() * 10),
        shelf_price: 4.49,
      });
    }
  }
  return out;
}

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * Imports contract files into an open store through the importer, as `deno task import`
 * does, and fails the test when any row is refused.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../engine/store/db.ts";
 * import { readSales } from "../engine/store/queries.ts";
 * import { catalogCsv, importText, salesCsv } from "./_contract_store.ts";
 *
 * const db = openStore(":memory:");
 * await importText(db, [
 *   { kind: "catalog", file: "catalog.csv", text: catalogCsv([{ sku: "A1" }]) },
 *   {
 *     kind: "sales",
 *     file: "sales.csv",
 *     text: salesCsv([{ sku: "A1", date: "2024-01-02", units: 1, shelf_price: 4 }]),
 *   },
 * ]);
 * assert.equal(readSales(db, "2024-01-01", "2024-02-01").length, 1);
 * ```
 */
export async function importText(
  db: DatabaseSync,
  files: { kind: ContractKind; file: string; text: string }[],
  options: { asOf?: string; closedDays?: string[]; excludeSkus?: string[] } = {},
): Promise<void> {
  const inputs: ImportFile[] = files.map((f) => ({
    file: f.file,
    kind: f.kind,
    bytes: encode(f.text),
  }));
  const { report } = await importFiles(db, inputs, {
    asOf: options.asOf ?? "2026-01-01",
    actor: "test",
    closedDays: options.closedDays,
    excludeSkus: options.excludeSkus,
  });
  assert.equal(report.problems.total, 0, JSON.stringify(report.problems.first));
}

/**
 * Creates a store named `name` at `dir/store.db` as `deno task init` does and imports
 * `catalog` and `sales` into it; returns the closed store's path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { contractStore, rowCounts, seededSales } from "./_contract_store.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const path = await contractStore(dir, [{ sku: "A1" }], seededSales(["A1"], "2024-01-01", 5));
 * assert.equal(rowCounts(path).sales, 5);
 * assert.equal(rowCounts(path).runs, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function contractStore(
  dir: string,
  catalog: readonly CatalogLine[],
  sales: readonly SalesLine[],
  options: { name?: string; file?: string } = {},
): Promise<string> {
  const path = join(dir, options.file ?? "store.db");
  const db = openStore(path);
  try {
    transaction(
      db,
      () =>
        appendStoreSettings(db, { name: options.name ?? "shop", period: "day", week_start: null }, {
          actor: "test",
          reason: "deno task init",
          recordedAt: null,
        }),
    );
    await importText(db, [
      { kind: "catalog", file: "catalog.csv", text: catalogCsv(catalog) },
      { kind: "sales", file: "sales.csv", text: salesCsv(sales) },
    ]);
  } finally {
    db.close();
  }
  return path;
}

/** The tables a daily run writes. */
export const RUN_TABLES = [
  "runs",
  "run_events",
  "decisions",
  "feature_snapshots",
  "price_exports",
  "data_quality_issues",
  "monitoring_runs",
  "sales",
] as const;

/**
 * Row counts of {@linkcode RUN_TABLES} in the store at `path`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "../engine/store/db.ts";
 * import { rowCounts } from "./_contract_store.ts";
 *
 * const dir = await Deno.makeTempDir();
 * openStore(`${dir}/s.db`).close();
 * assert.deepEqual(Object.values(rowCounts(`${dir}/s.db`)), [0, 0, 0, 0, 0, 0, 0, 0]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function rowCounts(path: string): Record<string, number> {
  const db = openStore(path, { readOnly: true });
  try {
    return Object.fromEntries(
      RUN_TABLES.map((t) => [t, Number(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()?.n)]),
    );
  } finally {
    db.close();
  }
}
