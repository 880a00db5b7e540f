/**
 * The input tables are indexed by date then SKU (migration 18): the readers that look
 * SKUs up date by date must give what a scan of every row gives, corrections and rows
 * that fail their checks included.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../db.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  appendSales,
} from "../write/inputs.ts";
import { readLastShelfPrices, readSkusWithSales } from "./inputs.ts";
import { readLatestValidInventory } from "./windowed_inputs.ts";
import { readSkuDays } from "./sku.ts";
import { createRandom } from "../../util/random.ts";
import { addDays } from "../../util/date.ts";

const START = "2025-01-01";
const DAYS = 60;

/** 24 catalog SKUs over 60 days with gaps, same-day corrections and rows that fail their checks. */
function store(): DatabaseSync {
  const db = openStore(":memory:");
  const rand = createRandom(18);
  const skus = Array.from({ length: 24 }, (_, i) => `S${String(i).padStart(2, "0")}`);
  appendCatalog(
    db,
    skus.map((sku) => ({
      sku,
      effective_date: START,
      category: "c",
      unit_cost: 1,
      floor_price: 1.5,
      ceiling_price: 5,
      min_margin: 0.1,
      max_daily_change: 0.2,
      price_ending: "any" as const,
      active: true,
    })),
  );
  for (let d = 0; d < DAYS; d++) {
    const date = addDays(START, d);
    // SKU 0-3 never sell; 4-7 stop after day 20; the rest sell on most days.
    const selling = skus.filter((_, i) => i >= 4 && (i >= 8 || d < 20) && rand() < 0.8);
    const sales = selling.map((sku) => ({
      sku,
      date,
      units: Math.floor(rand() * 5),
      revenue: 5,
      shelf_price: 2 + Math.round(rand() * 100) / 100,
      promo: false,
    }));
    appendSales(db, sales);
    // A correction for some: a later row of the same date.
    appendSales(
      db,
      sales.filter(() => rand() < 0.2).map((s) => ({ ...s, shelf_price: s.shelf_price + 0.5 })),
    );
    appendInventory(
      db,
      skus.filter((_, i) => i % 5 !== 0 && rand() < 0.7).map((sku) => ({
        sku,
        date,
        on_hand: Math.floor(rand() * 40),
        on_order: 0,
        next_receipt_date: null,
      })),
    );
    appendCompetitorPrices(
      db,
      skus.filter(() => rand() < 0.5).map((sku) => ({ sku, date, competitor_price: 2.5 })),
    );
    if (d % 7 === 3) {
      // Rows written with the checks bypassed, newest for their SKU and date: never read.
      db.exec("PRAGMA ignore_check_constraints = 1");
      const sku = skus[8 + (d % 16)];
      db.exec(
        `INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
        VALUES ('${sku}', '${date}', 1, 0, 1, -1, 0, 'observed')`,
      );
      db.exec(`INSERT INTO inventory (sku, date, on_hand, on_order, next_receipt_date, reason)
        VALUES ('${sku}', '${date}', -3, 0, NULL, 'observed')`);
      db.exec("PRAGMA ignore_check_constraints = 0");
    }
  }
  return db;
}

const skusOf = (db: DatabaseSync) =>
  db.prepare("SELECT DISTINCT sku FROM catalog ORDER BY sku").all().map((r) => String(r.sku));

Deno.test("the input tables have one index each, by date then SKU, and per-SKU look-ups use it", () => {
  const db = openStore(":memory:");
  const indexes = db.prepare(
    `SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('sales', 'inventory', 'competitor_prices') ORDER BY tbl_name`,
  ).all().map((r) => [r.tbl_name, r.name, String(r.sql).replace(/.* ON /, "")]);
  assert.deepEqual(indexes, [
    ["competitor_prices", "competitor_prices_by_date", "competitor_prices (date, sku, id)"],
    ["inventory", "inventory_by_date", "inventory (date, sku, id)"],
    ["sales", "sales_by_date", "sales (date, sku, id)"],
  ]);
  const plan = db.prepare(
    "EXPLAIN QUERY PLAN SELECT shelf_price FROM sales WHERE date = ? AND sku = ? ORDER BY id DESC",
  ).all().map((r) => String(r.detail)).join("; ");
  assert.match(plan, /SEARCH sales USING INDEX sales_by_date \(date=\? AND sku=\?\)/);
  db.close();
});

Deno.test("readSkusWithSales() and readLastShelfPrices() by SKU equal their reads of every row", () => {
  const db = store();
  const skus = skusOf(db);
  for (
    const [from, to] of [[START, "2025-03-02"], ["2025-01-25", "2025-02-22"], [
      "2025-03-01",
      "2025-04-01",
    ], ["2024-01-01", "2024-02-01"]]
  ) {
    const all = readSkusWithSales(db, from, to);
    const among = readSkusWithSales(db, from, to, [...skus, "NOT-SOLD"]);
    assert.deepEqual(
      [...among].sort(),
      [...all].filter((s) => skus.includes(s)).sort(),
      `${from}..${to}`,
    );
  }
  assert.ok(
    readSkusWithSales(db, "2025-01-25", "2025-02-22", skus).size < 20,
    "the stopped SKUs are out",
  );
  for (
    const date of [START, "2025-01-02", "2025-01-21", "2025-02-14", "2025-03-01", "2025-06-01"]
  ) {
    const all = readLastShelfPrices(db, date);
    const among = readLastShelfPrices(db, date, skus);
    assert.deepEqual(
      [...among].sort(),
      [...all].filter(([s]) => skus.includes(s)).sort(),
      `before ${date}`,
    );
  }
  assert.equal(readLastShelfPrices(db, "2025-03-01", skus).size, 20, "four SKUs never sold");
  db.close();
});

Deno.test("readLatestValidInventory() and readSkuDays() equal a scan of every row", () => {
  const db = store();
  const valid = (t: string) =>
    db.prepare(`SELECT * FROM ${t} ORDER BY date, id`).all().filter((r) =>
      Number(t === "inventory" ? r.on_hand : t === "sales" ? r.shelf_price : 1) >= 0
    );
  const inventory = valid("inventory");
  for (
    const [since, date] of [[START, "2025-03-02"], ["2025-02-01", "2025-02-10"], [
      "2025-02-28",
      "2025-03-01",
    ]]
  ) {
    const latest = new Map<string, Record<string, unknown>>();
    for (const r of inventory) {
      if (String(r.date) >= since && String(r.date) < date) latest.set(String(r.sku), r);
    }
    const got = readLatestValidInventory(db, date, since);
    assert.deepEqual(
      got.map((r) => [r.sku, r.date, r.on_hand]),
      [...latest.values()].sort((a, b) => String(a.sku) < String(b.sku) ? -1 : 1).map((
        r,
      ) => [r.sku, r.date, r.on_hand]),
      `${since}..${date}`,
    );
  }
  const sales = valid("sales"), competitor = valid("competitor_prices");
  for (const sku of ["S00", "S05", "S11", "S23"]) {
    const from = "2025-01-10", to = "2025-02-20";
    const days = new Map<string, { price: unknown; on_hand: unknown; competitor_price: unknown }>();
    const day = (d: string) => {
      if (!days.has(d)) days.set(d, { price: null, on_hand: null, competitor_price: null });
      return days.get(d)!;
    };
    const mine = (r: Record<string, unknown>) =>
      r.sku === sku && String(r.date) >= from && String(r.date) < to;
    for (const r of sales.filter(mine)) day(String(r.date)).price = r.shelf_price;
    for (const r of competitor.filter(mine)) {
      day(String(r.date)).competitor_price = r.competitor_price;
    }
    for (const r of inventory.filter(mine)) day(String(r.date)).on_hand = r.on_hand;
    assert.deepEqual(
      readSkuDays(db, sku, from, to).map((d) => [d.date, d.price, d.on_hand, d.competitor_price]),
      [...days].sort(([a], [b]) => a < b ? -1 : 1).map((
        [d, v],
      ) => [d, v.price, v.on_hand, v.competitor_price]),
      sku,
    );
  }
  db.close();
});
