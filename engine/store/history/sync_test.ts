import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { openStore, statement } from "../db.ts";
import { appendCompetitorPrices, appendInventory, appendSales } from "../write/inputs.ts";
import { syncHistory } from "./sync.ts";
import { readHistoryBlocks } from "./read.ts";
import { addDays, toDayNumber } from "../../util/date.ts";

/** A store of 6 SKUs over 70 days (three months), with corrections and a gap, in any row order. */
function store(order: "time" | "shuffled"): DatabaseSync {
  const db = openStore(":memory:");
  const days = Array.from({ length: 70 }, (_, i) => addDays("2025-01-20", i));
  const skus = ["A1", "B2", "C3", "D4", "E5", "F6"];
  const rows = days.flatMap((date, d) =>
    skus.filter((_, k) => (d + k) % 9 !== 0).map((sku, k) => ({ sku, date, d, k }))
  );
  if (order === "shuffled") rows.reverse();
  for (const { sku, date, d, k } of rows) {
    appendSales(db, [{
      sku,
      date,
      units: (d * 7 + k) % 13,
      revenue: ((d * 7 + k) % 13) * 2.5,
      shelf_price: 2.5,
      promo: d % 11 === 0,
    }]);
    if ((d + k) % 3 === 0) {
      appendInventory(db, [{
        sku,
        date,
        on_hand: (d + k) % 5,
        on_order: 12,
        next_receipt_date: (d + k) % 2 ? null : addDays(date, 3),
      }]);
    }
    if ((d + k) % 4 === 0) {
      appendCompetitorPrices(db, [{ sku, date, competitor_price: 2.4 + k / 10 }]);
    }
  }
  // Corrections of old dates, appended last: the latest row for a key wins.
  appendSales(db, [{
    sku: "B2",
    date: "2025-01-25",
    units: 40,
    revenue: 100,
    shelf_price: 2.5,
    promo: true,
    reason: "correction",
  }]);
  appendInventory(db, [{
    sku: "C3",
    date: "2025-02-10",
    on_hand: 0,
    on_order: 0,
    next_receipt_date: null,
    reason: "correction",
  }]);
  return db;
}

function blocks(db: DatabaseSync): string[] {
  return statement(
    db,
    "SELECT sku, month, days, sales_days, hex(data) AS h FROM history_blocks ORDER BY sku, month",
  )
    .all().map((r) => `${r.sku} ${r.month} ${r.days} ${r.sales_days} ${r.h}`);
}

Deno.test("syncHistory(): a whole-month rebuild, batch-by-batch merges and row order give the same blocks", () => {
  const rebuilt = store("time");
  const merged = store("time");
  const shuffled = store("shuffled");
  assert.equal(syncHistory(rebuilt, { rebuildAbove: 0 }).rebuilt, true);
  assert.equal(syncHistory(merged, { batchRows: 17 }).rebuilt, false);
  assert.equal(syncHistory(shuffled, { batchRows: 50 }).rebuilt, false);
  const expected = blocks(rebuilt);
  assert.ok(expected.length >= 18, `${expected.length} blocks`); // 6 SKUs × 3 months
  assert.deepEqual(blocks(merged), expected);
  assert.deepEqual(blocks(shuffled), expected);
  const b2 = readHistoryBlocks(
    rebuilt,
    ["B2"],
    toDayNumber("2025-01-25"),
    toDayNumber("2025-01-26"),
  )
    .get("B2")!;
  assert.deepEqual([b2.units[0], b2.flags[0] & 8], [40, 8]);
});

Deno.test("syncHistory(): rows appended after a sync merge into the blocks a rebuild would write; the fits of their window are dropped", () => {
  const a = store("time");
  const b = store("time");
  syncHistory(a);
  statement(
    a,
    "INSERT INTO elasticity_fits (sku, anchor, window_days, options_key, estimate, se, n, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run("B2", toDayNumber("2025-03-02"), 365, "k", -2, 0.1, 40, null);
  statement(
    a,
    "INSERT INTO elasticity_fits (sku, anchor, window_days, options_key, estimate, se, n, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run("C3", toDayNumber("2025-03-02"), 365, "k", -2, 0.1, 40, null);
  const more = (db: DatabaseSync) =>
    appendSales(db, [{
      sku: "B2",
      date: "2025-02-01",
      units: 9,
      revenue: 22.5,
      shelf_price: 2.5,
      promo: false,
      reason: "correction",
    }, { sku: "G7", date: "2025-03-30", units: 1, revenue: 3, shelf_price: 3, promo: false }]);
  more(a);
  more(b);
  const report = syncHistory(a);
  assert.equal(report.rows, 2);
  syncHistory(b, { rebuildAbove: 0 });
  assert.deepEqual(blocks(a), blocks(b));
  const fits = statement(a, "SELECT sku FROM elasticity_fits ORDER BY sku").all().map((r) => r.sku);
  assert.deepEqual(fits, ["C3"]); // B2's window held the corrected day
});

Deno.test("syncHistory(): a row planted with a value the checks refuse is left out and quarantined once, naming the column and value", () => {
  const db = store("time");
  db.exec("PRAGMA ignore_check_constraints = 1");
  db.exec(
    `INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
     VALUES ('A1', '2025-02-02', 3, 0, 1e999, 2.5, 0, 'observed'),
            ('A1', '2024-7-18', 3, 0, 7.5, 2.5, 0, 'observed'),
            ('A1', '2025-02-03', 9223372036854775807, 0, 7.5, 2.5, 0, 'observed')`,
  );
  db.exec("PRAGMA ignore_check_constraints = 0");
  for (const [i, options] of [{}, { rebuildAbove: 0 }].entries()) {
    // The second time from scratch, by a rebuild: the same rows are recorded once.
    if (i) db.exec("DELETE FROM history_blocks; DELETE FROM history_state");
    const report = syncHistory(db, options);
    assert.equal(report.quarantined.length, 3, JSON.stringify(report.quarantined));
    const problems = report.quarantined.map((q) => q.problem).join(" | ");
    assert.match(problems, /revenue = Infinity/);
    assert.match(problems, /date = '2024-7-18'/);
    assert.match(problems, /units = 9223372036854775807/);
    const stored = statement(db, "SELECT count(*) AS n FROM input_quarantine").get()!.n;
    assert.equal(Number(stored), 3);
  }
  const a1 = readHistoryBlocks(db, ["A1"], toDayNumber("2025-02-02"), toDayNumber("2025-02-04"));
  // Both days keep the valid rows they had before the bad ones.
  assert.deepEqual([...a1.get("A1")!.units], [0, 7]);
});
