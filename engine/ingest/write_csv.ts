/**
 * The inverse of the importer: a store's inputs written as data-contract CSV
 * files (corrections applied: the latest row per key), so a simulated store
 * can be imported like a retailer's data, or a store's data moved elsewhere.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { CONTRACT, type ContractKind } from "../schema/contract.ts";
import {
  earliestSalesDate,
  latestSalesDate,
  readCatalogHistory,
  readCompetitorPrices,
  readInventory,
  readSales,
} from "../store/queries.ts";
import { addDays } from "../util/date.ts";

/** The kinds a store's inputs are written as (transactions are aggregated away on import). */
export type StoredKind = Exclude<ContractKind, "transactions">;

/** A cell as the contract writes it: text as is (quoted when needed), booleans true/false. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Yields the CSV text of one kind of input in chunks (the header first, then
 * rows by SKU and date, `days` days of rows per chunk so memory stays bounded).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { appendSales, contractCsv, openStore } from "../mod.ts";
 *
 * const db = openStore(":memory:");
 * appendSales(db, [{
 *   sku: "A1", date: "2025-01-06", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * }]);
 * assert.equal(
 *   [...contractCsv(db, "sales")].join(""),
 *   "sku,date,units,revenue,shelf_price,promo,returned_units\nA1,2025-01-06,3,8.97,2.99,false,0\n",
 * );
 * ```
 */
export function* contractCsv(
  db: DatabaseSync,
  kind: StoredKind,
  options: { days?: number } = {},
): Generator<string> {
  const columns = CONTRACT[kind].columns.map((c) => c.name);
  yield `${columns.join(",")}\n`;
  const rowText = (r: Record<string, unknown>) => columns.map((c) => cell(r[c])).join(",") + "\n";
  if (kind === "catalog") {
    const latest = new Map<string, Record<string, unknown>>();
    for (const r of readCatalogHistory(db, "2200-01-01")) {
      latest.set(`${r.sku}\u0000${r.effective_date}`, r);
    }
    let text = "";
    for (const r of latest.values()) text += rowText(r);
    yield text;
    return;
  }
  const first = earliestSalesDate(db);
  const last = latestSalesDate(db);
  if (first === null || last === null) return;
  const read =
    { sales: readSales, inventory: readInventory, competitor: readCompetitorPrices }[kind];
  const step = options.days ?? 30;
  // Inventory and competitor rows may start before the first sale: begin a year earlier.
  for (
    let from = addDays(first, kind === "sales" ? 0 : -366);
    from <= last;
    from = addDays(from, step)
  ) {
    let text = "";
    for (const r of read(db, from, addDays(from, step))) text += rowText(r);
    if (text) yield text;
  }
}
