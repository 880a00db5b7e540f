/**
 * Writes of the input data: catalog, sales, inventory, competitor prices (bulk
 * appenders) and the simulator settings of a simulator-backed store.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { statement } from "../db.ts";
import { z } from "zod";
import { parseOrThrow } from "../../schema/common.ts";
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
   * whose output is itself tested against the schemas (the simulator) turns this off.
   */
  validate?: boolean;
}

function appender<S extends z.ZodType>(
  schema: S,
  what: string,
  sql: string,
  values: (r: z.infer<S>) => SQLInputValue[],
) {
  return (db: DatabaseSync, records: Iterable<z.input<S>>, options: AppendOptions = {}): number => {
    const list = options.validate ?? true
      ? Array.from(
        records,
        (raw, i) => parseOrThrow(schema, raw, `append ${what} record #${i + 1}`),
      )
      : records as Iterable<z.infer<S>>;
    const stmt = statement(db, sql);
    let n = 0;
    db.exec("SAVEPOINT append_batch");
    try {
      for (const r of list) {
        stmt.run(...values(r));
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

/** Appends catalog attribute records (effective-dated). */
export const appendCatalog = appender(
  CatalogRecord,
  "catalog",
  `INSERT INTO catalog (sku, effective_date, category, unit_cost, floor_price, ceiling_price,
    min_margin, max_daily_change, price_ending, active, reason, family, size, key_value_item)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  (r) => [
    r.sku,
    r.effective_date,
    r.category,
    r.unit_cost,
    r.floor_price,
    r.ceiling_price,
    r.min_margin,
    r.max_daily_change,
    r.price_ending,
    r.active ? 1 : 0,
    r.reason ?? "initial",
    r.family ?? null,
    r.size ?? null,
    r.key_value_item ? 1 : 0,
  ],
);

/** Appends daily sales records. */
export const appendSales = appender(
  SalesRecord,
  "sales",
  "INSERT INTO sales (sku, date, units, revenue, avg_price, promo, reason) VALUES (?,?,?,?,?,?,?)",
  (r) => [r.sku, r.date, r.units, r.revenue, r.avg_price, r.promo ? 1 : 0, r.reason ?? "observed"],
);

/** Appends end-of-day inventory records. */
export const appendInventory = appender(
  InventoryRecord,
  "inventory",
  `INSERT INTO inventory (sku, date, on_hand, on_order, next_receipt_date, reason)
    VALUES (?,?,?,?,?,?)`,
  (r) => [r.sku, r.date, r.on_hand, r.on_order, r.next_receipt_date, r.reason ?? "observed"],
);

/** Appends competitor price observations. */
export const appendCompetitorPrices = appender(
  CompetitorPriceRecord,
  "competitor price",
  "INSERT INTO competitor_prices (sku, date, competitor_price, reason) VALUES (?,?,?,?)",
  (r) => [r.sku, r.date, r.competitor_price, r.reason ?? "observed"],
);

/** The simulator settings a demo or backtest store was generated with. */
export const SimConfigRow = z.object({
  scenario: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  skus: z.number().int().positive(),
  start_date: z.string(),
  history_days: z.number().int().positive(),
});
export type SimConfigRow = z.infer<typeof SimConfigRow>;

/** Records the simulator settings of a simulator-backed store. */
export function appendSimConfig(db: DatabaseSync, config: SimConfigRow): void {
  const c = parseOrThrow(SimConfigRow, config, "record the simulator settings");
  statement(
    db,
    "INSERT INTO sim_config (scenario, seed, skus, start_date, history_days) VALUES (?,?,?,?,?)",
  ).run(canonicalJson(c.scenario), c.seed, c.skus, c.start_date, c.history_days);
}
