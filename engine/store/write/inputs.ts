/**
 * Writes of the input data: catalog, sales, inventory, competitor prices (bulk
 * appenders) and the simulator settings of a simulator-backed store.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import { type Infer, type InferInput, parseInput, parseOrThrow } from "../../schema/common.ts";
import {
  CatalogRecord,
  CompetitorPriceRecord,
  InventoryRecord,
  SalesRecord,
} from "../../schema/inputs.ts";
import { canonicalJson } from "../../util/hash.ts";

/** Options of the bulk appenders. */
export interface AppendOptions {
  /**
   * Validate every record with its zod schema first (default true). Only code
   * whose output is itself tested against the schemas (the simulator, the importer)
   * turns this off; the database's CHECK constraints still refuse an impossible value.
   */
  validate?: boolean;
  /** The import that brings the records (recorded on each row). Default: none. */
  importId?: number | null;
}

/**
 * A bulk appender of one input table. It checks every record with the table's schema
 * (unless `options.validate` is false) before it writes any, then inserts them all
 * under a savepoint: either every record is appended or, when an insert fails, none.
 * Fields with defaults (`reason`) may be left out.
 *
 * @param db A connection open for writing.
 * @param records The records to append, in order.
 * @param options Whether to validate (default true).
 * @returns The number of rows appended.
 * @throws {TypeError} When a record fails its schema; the message names the record and field.
 */
export type Appender<T> = (
  db: DatabaseSync,
  records: Iterable<T>,
  options?: AppendOptions,
) => number;

function appender<S extends z.ZodType>(
  schema: S,
  what: string,
  sql: string,
  values: (r: z.infer<S>, importId: number | null) => SQLInputValue[],
) {
  return (db: DatabaseSync, records: Iterable<z.input<S>>, options: AppendOptions = {}): number => {
    const list = options.validate ?? true
      ? Array.from(
        records,
        (raw, i) => parseInput(schema, raw, `append ${what} record #${i + 1}`),
      )
      : records as Iterable<z.infer<S>>;
    const stmt = statement(db, sql);
    const importId = options.importId ?? null;
    let n = 0;
    db.exec("SAVEPOINT append_batch");
    try {
      for (const r of list) {
        stmt.run(...values(r, importId));
        n++;
      }
      db.exec("RELEASE append_batch");
    } catch (error) {
      db.exec("ROLLBACK TO append_batch; RELEASE append_batch");
      throw error;
    }
    return n;
  };
}

/**
 * Appends catalog attribute records, each in force from its `effective_date` until a
 * later record for its SKU. See {@linkcode Appender}.
 *
 * @example Usage
 * ```ts
 * import { appendCatalog } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { readCatalogBefore } from "../read/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const record = {
 *   sku: "A1",
 *   effective_date: "2025-01-01",
 *   category: "snacks",
 *   unit_cost: 1.5,
 *   floor_price: 1.99,
 *   ceiling_price: 4.99,
 *   min_margin: 0.2,
 *   max_daily_change: 0.1,
 *   price_ending: "99",
 *   active: true,
 * } as const;
 * assert.equal(appendCatalog(db, [record]), 1);
 * assert.equal(readCatalogBefore(db, "2025-01-02")[0].reason, "initial");
 * assert.throws(() => appendCatalog(db, [{ ...record, floor_price: 5 }]), TypeError);
 * db.close();
 * ```
 */
export const appendCatalog: Appender<InferInput<typeof CatalogRecord>> = appender(
  CatalogRecord,
  "catalog",
  `INSERT INTO catalog (sku, effective_date, category, name, unit_cost, floor_price, ceiling_price,
    min_margin, max_daily_change, price_ending, active, reason, import_id, family, size,
    key_value_item) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  (r, importId) => [
    r.sku,
    r.effective_date,
    r.category,
    r.name ?? null,
    r.unit_cost,
    r.floor_price,
    r.ceiling_price,
    r.min_margin,
    r.max_daily_change,
    r.price_ending,
    r.active ? 1 : 0,
    r.reason ?? "initial",
    importId,
    r.family ?? null,
    r.size ?? null,
    r.key_value_item ? 1 : 0,
  ],
);

/**
 * Appends daily sales records; a correction is a later record for the same SKU and
 * date. See {@linkcode Appender}.
 *
 * @example Usage
 * ```ts
 * import { appendSales } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { readSales } from "../read/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const day = {
 *   sku: "A1", date: "2025-01-01", units: 3, revenue: 8.97, shelf_price: 2.99, promo: false,
 * };
 * appendSales(db, [day, { ...day, units: 4, revenue: 11.96, reason: "late till receipt" }]);
 * assert.equal(readSales(db, "2025-01-01", "2025-01-02")[0].units, 4);
 * db.close();
 * ```
 */
export const appendSales: Appender<InferInput<typeof SalesRecord>> = appender(
  SalesRecord,
  "sales",
  `INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason,
    import_id) VALUES (?,?,?,?,?,?,?,?,?)`,
  (r, importId) => [
    r.sku,
    r.date,
    r.units,
    r.returned_units ?? 0,
    r.revenue,
    r.shelf_price,
    r.promo ? 1 : 0,
    r.reason ?? "observed",
    importId,
  ],
);

/**
 * Appends end-of-day inventory records. See {@linkcode Appender}.
 *
 * @example Usage
 * ```ts
 * import { appendInventory } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { readInventory } from "../read/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendInventory(db, [
 *   { sku: "A1", date: "2025-01-01", on_hand: 40, on_order: 100, next_receipt_date: "2025-01-04" },
 * ]);
 * assert.equal(readInventory(db, "2025-01-01", "2025-01-02")[0].on_order, 100);
 * db.close();
 * ```
 */
export const appendInventory: Appender<InferInput<typeof InventoryRecord>> = appender(
  InventoryRecord,
  "inventory",
  `INSERT INTO inventory (sku, date, on_hand, on_order, next_receipt_date, reason, import_id)
    VALUES (?,?,?,?,?,?,?)`,
  (r, importId) => [
    r.sku,
    r.date,
    r.on_hand,
    r.on_order,
    r.next_receipt_date,
    r.reason ?? "observed",
    importId,
  ],
);

/**
 * Appends competitor price observations. See {@linkcode Appender}.
 *
 * @example Usage
 * ```ts
 * import { appendCompetitorPrices } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { readCompetitorPrices } from "../read/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * appendCompetitorPrices(db, [{ sku: "A1", date: "2025-01-01", competitor_price: 3.09 }]);
 * assert.equal(readCompetitorPrices(db, "2025-01-01", "2025-01-02")[0].reason, "observed");
 * db.close();
 * ```
 */
export const appendCompetitorPrices: Appender<InferInput<typeof CompetitorPriceRecord>> = appender(
  CompetitorPriceRecord,
  "competitor price",
  `INSERT INTO competitor_prices (sku, date, competitor_price, reason, import_id)
    VALUES (?,?,?,?,?)`,
  (r, importId) => [r.sku, r.date, r.competitor_price, r.reason ?? "observed", importId],
);

const /** @ignore */ _SimConfigRow = z.object({
  scenario: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  skus: z.number().int().positive(),
  start_date: z.string(),
  history_days: z.number().int().positive(),
});
/** The simulator settings a demo or backtest store was generated with. */
export const SimConfigRow: typeof _SimConfigRow = _SimConfigRow;
/** The type {@linkcode SimConfigRow} parses to. */
export type SimConfigRow = Infer<typeof SimConfigRow>;

/**
 * Records the simulator settings of a simulator-backed store (a later record
 * supersedes an earlier one).
 *
 * @param db A connection open for writing.
 * @param config The settings.
 * @throws {TypeError} When `config` fails {@linkcode SimConfigRow}.
 *
 * @example Usage
 * ```ts
 * import { appendSimConfig } from "./inputs.ts";
 * import { openStore } from "../db.ts";
 * import { readSimConfig } from "../read/inputs.ts";
 * import assert from "node:assert/strict";
 *
 * const db = openStore(":memory:");
 * const config = {
 *   scenario: { name: "default" }, seed: 7, skus: 20, start_date: "2024-01-01", history_days: 365,
 * };
 * appendSimConfig(db, config);
 * assert.deepEqual(readSimConfig(db), config);
 * db.close();
 * ```
 */
export function appendSimConfig(db: DatabaseSync, config: SimConfigRow): void {
  const c = parseOrThrow(SimConfigRow, config, "record the simulator settings");
  statement(
    db,
    "INSERT INTO sim_config (scenario, seed, skus, start_date, history_days) VALUES (?,?,?,?,?)",
  ).run(canonicalJson(c.scenario), c.seed, c.skus, c.start_date, c.history_days);
}
