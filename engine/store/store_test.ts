import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStore } from "./db.ts";
import { AUDIT_TABLES } from "./migrations.ts";
import { appendCatalog, appendCompetitorPrices, appendInventory, appendSales } from "./writer.ts";
import { populateEveryAuditTable, SAMPLE_CATALOG } from "./_populate_test_helper.ts";
import {
  readBacktestPricePaths,
  readBacktests,
  readCatalogAfter,
  readCatalogBefore,
  readCatalogHistory,
  readPricingSettings,
  readSales,
  readSkuDays,
} from "./queries.ts";
import { appendPricingSettings } from "./writer.ts";
import { MIGRATIONS } from "./migrations.ts";

const cat = SAMPLE_CATALOG;

Deno.test("openStore() applies every migration once and tables are STRICT", () => {
  const db = openStore(":memory:");
  const versions = db.prepare("SELECT version FROM schema_migrations").all().map((r) => r.version);
  assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
  const sql = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all();
  for (const t of sql) assert.match(String(t.sql), /STRICT$/, `${t.name} is not STRICT`);
});

Deno.test("every audit table refuses UPDATE, DELETE, REPLACE, INSERT OR REPLACE and an upsert in the database itself", () => {
  const db = openStore(":memory:");
  populateEveryAuditTable(db);
  const columns = (t: string) =>
    db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid").all(t).map((c) =>
      `"${String(c.name)}"`
    );
  let refused = 0;
  for (const table of AUDIT_TABLES) {
    const rows = () => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
    const before = rows();
    assert.ok(before.length > 0, `${table} has a row to rewrite`);
    const cols = columns(table).join(", ");
    const first = `SELECT ${cols} FROM ${table} WHERE rowid = (SELECT min(rowid) FROM ${table})`;
    // The key columns, for the upsert's conflict target.
    const keys = db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`)
      .all(table).map((c) => String(c.name)).join(", ");
    const forms: [string, string, RegExp][] = [
      ["UPDATE", `UPDATE ${table} SET rowid = rowid`, /append-only: UPDATE refused/],
      ["DELETE", `DELETE FROM ${table}`, /append-only: DELETE refused/],
      [
        "REPLACE",
        `REPLACE INTO ${table} (${cols}) ${first}`,
        /append-only: an insert that would replace/,
      ],
      [
        "INSERT OR REPLACE",
        `INSERT OR REPLACE INTO ${table} (${cols}) ${first}`,
        /append-only: an insert that would replace/,
      ],
      [
        "upsert",
        `INSERT INTO ${table} (${cols}) ${first} ON CONFLICT (${keys}) DO UPDATE SET rowid = rowid`,
        /append-only: an insert that would replace/,
      ],
    ];
    for (const [form, sql, message] of forms) {
      assert.throws(() => db.exec(sql), message, `${table}: ${form} is refused`);
      refused++;
    }
    assert.deepEqual(rows(), before, `${table} is unchanged`);
  }
  assert.equal(refused, AUDIT_TABLES.length * 5);
});

Deno.test("a correction is a new row with a reason and wins over the original", () => {
  const db = openStore(":memory:");
  const base = { sku: "A1", date: "2024-01-02", revenue: 5.97, shelf_price: 1.99, promo: false };
  appendSales(db, [{ ...base, units: 3 }]);
  appendSales(db, [{ ...base, units: 4, revenue: 7.96, reason: "late scan" }]);
  const rows = readSales(db, "2024-01-01", "2024-02-01");
  assert.equal(rows.length, 1);
  assert.equal(rows[0].units, 4);
  assert.equal(rows[0].reason, "late scan");
  assert.equal(db.prepare("SELECT count(*) AS n FROM sales").get()?.n, 2);
});

Deno.test("readCatalogBefore() takes the latest record effective strictly before the date", () => {
  const db = openStore(":memory:");
  appendCatalog(db, [cat, {
    ...cat,
    effective_date: "2024-03-01",
    unit_cost: 1.5,
    reason: "cost up",
  }]);
  assert.equal(readCatalogBefore(db, "2024-03-01")[0].unit_cost, 1);
  assert.equal(readCatalogBefore(db, "2024-03-02")[0].unit_cost, 1.5);
  assert.equal(readCatalogBefore(db, "2024-01-01").length, 0);
});

Deno.test("appenders reject malformed records naming the field and the value, writing nothing", () => {
  const db = openStore(":memory:");
  assert.throws(
    () => appendCatalog(db, [cat, { ...cat, sku: "A2", unit_cost: -1 }]),
    (e: Error) =>
      e instanceof TypeError && /catalog record #2/.test(e.message) &&
      /unit_cost/.test(e.message) && /value: -1/.test(e.message),
  );
  assert.throws(
    () =>
      appendInventory(db, [{
        sku: "A1",
        date: "2024-02-30",
        on_hand: 1,
        on_order: 0,
        next_receipt_date: null,
      }]),
    /date: .*"2024-02-30"/,
  );
  assert.throws(
    () => appendCatalog(db, [{ ...cat, floor_price: 5 }]),
    /floor_price: floor_price must not exceed ceiling_price \(value: 5\)/,
  );
  assert.equal(db.prepare("SELECT count(*) AS n FROM catalog").get()?.n, 0);
});

Deno.test("readBacktests() gives none on a store that predates the backtest tables", () => {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE runs (run_id TEXT)");
  assert.deepEqual(readBacktests(db), []);
  const current = openStore(":memory:");
  assert.deepEqual(readBacktests(current), []);
});

Deno.test("readSkuDays() joins one SKU's sales, competitor prices and stock by date, corrections winning", () => {
  const db = openStore(":memory:");
  const sale = { sku: "A1", units: 3, revenue: 5.97, shelf_price: 1.99, promo: false };
  appendSales(db, [
    { ...sale, date: "2024-01-02" },
    { ...sale, date: "2024-01-03", promo: true },
    { ...sale, sku: "B2", date: "2024-01-02" },
  ]);
  appendSales(db, [{ ...sale, date: "2024-01-02", units: 4, revenue: 7.96, reason: "late scan" }]);
  appendCompetitorPrices(db, [{ sku: "A1", date: "2024-01-03", competitor_price: 2.09 }]);
  appendInventory(db, [{
    sku: "A1",
    date: "2024-01-04",
    on_hand: 0,
    on_order: 5,
    next_receipt_date: null,
  }]);
  assert.deepEqual(readSkuDays(db, "A1", "2024-01-01", "2024-01-05"), [
    {
      date: "2024-01-02",
      price: 1.99,
      units: 4,
      promo: false,
      competitor_price: null,
      on_hand: null,
    },
    {
      date: "2024-01-03",
      price: 1.99,
      units: 3,
      promo: true,
      competitor_price: 2.09,
      on_hand: null,
    },
    {
      date: "2024-01-04",
      price: null,
      units: null,
      promo: false,
      competitor_price: null,
      on_hand: 0,
    },
  ]);
  assert.deepEqual(readSkuDays(db, "A1", "2024-01-03", "2024-01-04").map((d) => d.date), [
    "2024-01-03",
  ]);
});

Deno.test("a backtest's price paths are stored beside it and read back by SKU and strategy", () => {
  const db = openStore(":memory:");
  populateEveryAuditTable(db);
  const [b] = readBacktests(db);
  assert.deepEqual(readBacktestPricePaths(db, b.backtest_id), [{
    sku: "A1",
    category: "snacks",
    strategy: "static",
    from_date: "2024-01-03",
    prices: [1.99],
  }]);
  assert.deepEqual(readBacktestPricePaths(db, "none"), []);
});

Deno.test("catalog price lines are optional and read back as written", () => {
  const db = openStore(":memory:");
  appendCatalog(db, [
    { ...cat, sku: "A1" },
    { ...cat, sku: "A2", family: "cola", size: 1.5, key_value_item: true },
  ]);
  for (
    const rows of [
      readCatalogBefore(db, "2030-01-01"),
      readCatalogHistory(db, "2030-01-01"),
      readCatalogAfter(db, 0).rows.map((r) => r.record),
    ]
  ) {
    const [a1, a2] = rows;
    assert.deepEqual([a1.family, a1.size, a1.key_value_item], [null, null, false]);
    assert.deepEqual([a2.family, a2.size, a2.key_value_item], ["cola", 1.5, true]);
  }
  assert.throws(() => appendCatalog(db, [{ ...cat, sku: "A3", size: -1 }]), /size/);
});

Deno.test("pricing settings are appended, read back and refused when malformed", () => {
  const db = openStore(":memory:");
  const base = {
    scope: "store" as const,
    target: null,
    effective_from: "2026-01-01",
    actor: "alice",
    reason: "protect traffic",
  };
  appendPricingSettings(db, { ...base, settings: { units_floor: 0.97 } }, null);
  appendPricingSettings(db, {
    ...base,
    scope: "category",
    target: "snacks",
    effective_from: "2026-02-01",
    settings: { price_index: [0.97, 1.05], modes: { price_index: { hard: true } } },
  }, null);
  assert.deepEqual(readPricingSettings(db).map((r) => r.settings), [
    { units_floor: 0.97 },
    { price_index: [0.97, 1.05], modes: { price_index: { hard: true } } },
  ]);
  assert.equal(readPricingSettings(db, { effectiveOn: "2026-01-15" }).length, 1);
  assert.throws(
    () => appendPricingSettings(db, { ...base, settings: { price_index: [1.1, 1.0] } }, null),
    /settings\.price_index: band must be \[low, high\]/,
  );
  assert.throws(
    () => appendPricingSettings(db, { ...base, target: "snacks", settings: {} }, null),
    /target: must be empty for scope store/,
  );
});

Deno.test("a store made before price lines migrates, and its catalog reads as no lines", () => {
  const path = Deno.makeTempFileSync({ suffix: ".db" });
  try {
    const old = new DatabaseSync(path);
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT",
    );
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) {
      old.exec(m.sql);
      old.prepare("INSERT INTO schema_migrations VALUES (?, ?)").run(m.version, m.name);
    }
    old.prepare(
      `INSERT INTO catalog (sku, effective_date, category, unit_cost, floor_price, ceiling_price,
        min_margin, max_daily_change, price_ending, active, reason)
       VALUES ('A1', '2024-01-01', 'snacks', 1, 1.5, 3, 0.1, 0.1, '9', 1, 'initial')`,
    ).run();
    old.close();
    const db = openStore(path);
    const [row] = readCatalogBefore(db, "2030-01-01");
    assert.deepEqual([row.sku, row.family, row.size, row.key_value_item], [
      "A1",
      null,
      null,
      false,
    ]);
    assert.deepEqual(readPricingSettings(db), []);
    db.close();
  } finally {
    Deno.removeSync(path);
  }
});
