/**
 * The simulator meets the store: write a simulated catalog and history into a
 * database, and, in a simulator-backed store, record each day's actual sales
 * in answer to the prices the engine decided for it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { syncHistory } from "../engine/store/history/sync.ts";
import { statement } from "../engine/store/db.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  appendSales,
  appendSimConfig,
  appendStoreSettings,
  transaction,
} from "../engine/store/writer.ts";
import { withoutIndexes } from "../engine/store/bulk.ts";
import {
  readDecidedPrices,
  readInventory,
  readRuns,
  readSales,
  readSimConfig,
} from "../engine/store/queries.ts";
import { addDays, toDayNumber } from "../engine/util/date.ts";
import { type Market, memoryFromSales, memoryWindow, type SimConfig } from "./market.ts";
import {
  catalogRecords,
  createMarket,
  type DayBatch,
  launchedSkus,
  simulateDay,
  simulateHistory,
} from "./simulate.ts";
import { inventoryStateFromRecords } from "./inventory.ts";
import { parseScenario } from "./scenario.ts";
import { InputError } from "../engine/util/errors.ts";

/** Progress of a long write: days done of days in all. */
export type Progress = (done: number, total: number) => void;

/** What {@linkcode writeSimulatedStore} wrote. */
export interface SimStoreSummary {
  scenario: string;
  seed: number;
  skus: number;
  startDate: string;
  endDate: string;
  days: number;
  rows: { catalog: number; sales: number; inventory: number; competitor: number };
}

/** Writes the simulator settings, catalog and history of `config` into an empty store. */
export function writeSimulatedStore(
  db: DatabaseSync,
  config: SimConfig,
  options: {
    onProgress?: Progress;
    /** Progress of building the history blocks after the rows: months done of months in all. */
    onIndexProgress?: Progress;
  } = {},
): SimStoreSummary {
  const existing = statement(db, "SELECT count(*) AS n FROM catalog").get();
  if (Number(existing?.n ?? 0) > 0) {
    throw new InputError("Cannot write a simulated store: the database already has a catalog");
  }
  const market = createMarket(config);
  const rows = { catalog: 0, sales: 0, inventory: 0, competitor: 0 };
  let days = 0;
  // A bulk load into a new store: a rollback journal has nothing to save for new pages
  // (WAL would copy each page twice), and a small page cache would spill over and over.
  const cache = statement(db, "PRAGMA cache_size").get()?.cache_size;
  const wal = String(statement(db, "PRAGMA journal_mode").get()?.journal_mode) === "wal";
  if (wal) db.exec("PRAGMA journal_mode = DELETE");
  db.exec("PRAGMA cache_size = -1000000");
  transaction(db, () => {
    appendSimConfig(db, {
      scenario: market.scenario as unknown as Record<string, unknown>,
      seed: market.seed,
      skus: market.skus.length,
      start_date: market.startDate,
      history_days: market.historyDays,
    });
    appendStoreSettings(db, {
      name: `sim-${market.scenario.name}`.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 64),
      period: "day",
      week_start: null,
    }, { actor: "simulator", reason: "a simulated store", recordedAt: null });
    rows.catalog = appendCatalog(db, catalogRecords(market), { validate: false });
    withoutIndexes(db, ["sales", "inventory", "competitor_prices"], () => {
      for (const batch of simulateHistory(market)) {
        add(rows, appendBatch(db, batch));
        // Counted apart from the callback: `f?.(++days)` skips the increment when f is absent.
        days++;
        options.onProgress?.(days, market.historyDays);
      }
    });
  });
  // The history blocks of the whole history, so that the first daily run reads only its window.
  syncHistory(db, {
    recordedBy: "simulator",
    onMonths: options.onIndexProgress,
  });
  db.exec(`PRAGMA cache_size = ${Number(cache ?? -2000)}`);
  if (wal) db.exec("PRAGMA journal_mode = WAL");
  return {
    scenario: market.scenario.name,
    seed: market.seed,
    skus: market.skus.length,
    startDate: market.startDate,
    endDate: addDays(market.startDate, market.historyDays - 1),
    days,
    rows,
  };
}

function appendBatch(db: DatabaseSync, b: DayBatch) {
  return {
    catalog: 0,
    sales: appendSales(db, b.sales, { validate: false }),
    inventory: appendInventory(db, b.inventory, { validate: false }),
    competitor: appendCompetitorPrices(db, b.competitor, { validate: false }),
  };
}

function add(to: SimStoreSummary["rows"], from: SimStoreSummary["rows"]) {
  to.catalog += from.catalog;
  to.sales += from.sales;
  to.inventory += from.inventory;
  to.competitor += from.competitor;
}

const markets = new WeakMap<DatabaseSync, Market | null>();

/** The market of a simulator-backed store, or null for a store of real data. */
export function storeMarket(db: DatabaseSync): Market | null {
  if (markets.has(db)) return markets.get(db)!;
  const c = readSimConfig(db);
  const market = c
    ? createMarket({
      scenario: parseScenario(c.scenario, "the stored scenario"),
      seed: c.seed,
      skus: c.skus,
      startDate: c.start_date,
      historyDays: c.history_days,
    })
    : null;
  markets.set(db, market);
  return market;
}

/**
 * In a simulator-backed store, records the actual sales of the day before
 * `runDate` in answer to the prices decided for it, if that day was priced by a
 * successful run and has no sales yet. Returns the number of SKUs recorded (0
 * when there was nothing to record or the store is not simulator-backed).
 */
export function recordSimulatedActuals(db: DatabaseSync, runDate: string): number {
  const market = storeMarket(db);
  if (!market) return 0;
  const day = addDays(runDate, -1);
  if (readSales(db, day, runDate).length > 0) return 0;
  const run = readRuns(db, { date: day }).find((r) => r.status === "succeeded");
  if (!run) return 0;
  const dayNumber = toDayNumber(day);
  const prices = new Map<string, number>();
  for (const d of readDecidedPrices(db, run.run_id)) prices.set(d.sku, d.price);
  let state = inventoryStateFromRecords(readInventory(db, addDays(day, -1), day));
  const launched = launchedSkus(market, dayNumber).map((i) => market.skus[i].sku);
  if (launched.some((sku) => !prices.has(sku) || !state.has(sku))) {
    // A SKU the run did not price (e.g. no snapshot) keeps its last price and stock.
    for (const s of readSales(db, addDays(day, -28), day)) {
      if (!prices.has(s.sku)) prices.set(s.sku, s.shelf_price);
    }
    state = inventoryStateFromRecords(readInventory(db, addDays(day, -28), day));
  }
  // Shapes that remember prices rebuild the market's memory from the shelf prices on record.
  const window = memoryWindow(market);
  const memory = window > 0
    ? memoryFromSales(market, readSales(db, addDays(day, -window), day), dayNumber)
    : null;
  const batch = simulateDay(market, dayNumber, prices, state, { memory });
  appendBatch(db, batch);
  return batch.sales.length;
}
