/**
 * Point-of-sale lines imported as the data contract says (engine/ingest/transactions.ts
 * and import.ts): returns, quantity discounts and non-merchandise codes; zero-sale rows
 * on covered days; closed days for days without a line, which the daily run then skips.
 */
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { importFiles, type ImportReport } from "../engine/ingest/import.ts";
import type { DailyReport } from "../engine/pipeline/daily.ts";
import { dailyTotals } from "../engine/ingest/transactions.ts";
import {
  defaultRunDate,
  readClosedDays,
  readImportIssues,
  readImports,
  readSales,
} from "../engine/store/queries.ts";
import { catalogCsv, type CatalogLine, rowCounts, salesCsv } from "./_contract_store.ts";
import { onlyJson, runTask } from "./_run_task.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** What deno task import --json prints. */
type TaskReport = ImportReport & { rejects_files: string[] };
/** What deno task daily --json prints. */
type DailyJson = DailyReport & { runs?: { run_date: string }[] };

/** A1..D4 and F6 active, E5 inactive. */
const CATALOG: CatalogLine[] = [
  { sku: "A1", unit_cost: 1, floor_price: 2, ceiling_price: 4 },
  { sku: "B2", unit_cost: 2, floor_price: 3, ceiling_price: 6 },
  { sku: "C3", unit_cost: 1.5, floor_price: 2.5, ceiling_price: 5 },
  { sku: "D4", unit_cost: 2.5, floor_price: 4, ceiling_price: 7 },
  { sku: "E5", active: false },
  { sku: "F6" },
];

/** The store's own sales before the transactions: C3's last shelf price is 3.49. */
const PRIOR = salesCsv([{ sku: "C3", date: "2024-02-29", units: 2, shelf_price: 3.49 }]);

/**
 * Five days of lines. 03-01: A1 sells at the full price 2.95 on two lines and 24 units at
 * the quantity price 2.55 on one, one unit comes back; B2's two prices tie; D4 sells once;
 * postage and a fee are not merchandise. 03-02: no line (closed). 03-03: A1's returns exceed
 * its sales, B2 only has a return. 03-04: A1 at 2.49. 03-05: B2 again.
 */
const LINES = [
  "sku,timestamp,quantity,unit_price,receipt",
  "A1,2024-03-01T09:00:00,1,2.95,r1",
  "A1,2024-03-01T09:05,2,2.95,r2",
  "POST,2024-03-01T09:05,1,4.95,r2",
  "A1,2024-03-01T10:00,24,2.55,r3",
  "FEE,2024-03-01T10:00,1,1.00,r3",
  "B2,2024-03-01T11:00,1,4.00,r4",
  "B2,2024-03-01T11:30,1,4.20,r5",
  "D4,2024-03-01T12:00,1,5.00,r6",
  "A1,2024-03-01T17:00,-1,2.95,r7",
  "A1,2024-03-03T09:00,1,2.95,r8",
  "A1,2024-03-03T10:00,-3,2.95,r9",
  "B2,2024-03-03,-1,4.20,r10",
  "POST,2024-03-03T10:00,2,4.95,r9",
  "A1,2024-03-04T08:00,3,2.49,r11",
  "B2,2024-03-05T08:00,2,4.20,r12",
].join("\n") + "\n";

/** What the five days become: [sku, date, units, returned, revenue, shelf price]. */
const EXPECTED: [string, string, number, number, number, number][] = [
  // units net of the return; the full price, not the average paid (67.1 / 26 = 2.58)
  ["A1", "2024-03-01", 26, 1, 67.1, 2.95],
  ["A1", "2024-03-03", 0, 3, 0, 2.95], // returns exceed sales: 0 units, all 3 returns kept
  ["A1", "2024-03-04", 3, 0, 7.47, 2.49],
  ["A1", "2024-03-05", 0, 0, 0, 2.49], // zero-sale day at the last price of this import
  ["B2", "2024-03-01", 2, 0, 8.2, 4.2], // a tie of two prices: the higher one
  ["B2", "2024-03-03", 0, 1, 0, 4.2], // only a return: the last known price
  ["B2", "2024-03-04", 0, 0, 0, 4.2],
  ["B2", "2024-03-05", 2, 0, 8.4, 4.2],
  ["C3", "2024-02-29", 2, 0, 6.98, 3.49], // the store's own row
  ["C3", "2024-03-01", 0, 0, 0, 3.49], // zero-sale days at the store's last price
  ["C3", "2024-03-03", 0, 0, 0, 3.49],
  ["C3", "2024-03-04", 0, 0, 0, 3.49],
  ["C3", "2024-03-05", 0, 0, 0, 3.49],
  ["D4", "2024-03-01", 1, 0, 5, 5],
  ["D4", "2024-03-03", 0, 0, 0, 5],
  ["D4", "2024-03-04", 0, 0, 0, 5],
  ["D4", "2024-03-05", 0, 0, 0, 5],
];

Deno.test("dailyTotals() takes the most frequent full price as the shelf price, never the average paid", () => {
  // 100 units at a deep quantity price on one line, 3 units at the full price on three lines:
  // the average paid is 2.03, the shelf price is the full price.
  const lines = [1, 1, 1].map((q, i) => ({
    sku: "A",
    date: "2024-01-02",
    quantity: q,
    unit_price: 3,
    line: i + 2,
  }));
  lines.push({ sku: "A", date: "2024-01-02", quantity: 100, unit_price: 2, line: 5 });
  const [t] = dailyTotals(lines);
  assert.equal(t.shelf_price, 3);
  assert.equal(t.revenue, 209);
  assert.equal(t.units, 103);
  // A return at another price does not count as a price the SKU was on the shelf at.
  const returns = [0, 1, 2].map((i) => ({
    sku: "A",
    date: "2024-01-03",
    quantity: -1,
    unit_price: 1.99,
    line: 10 + i,
  }));
  const [r] = dailyTotals([...returns, { ...lines[0], date: "2024-01-03", line: 20 }]);
  assert.deepEqual([r.shelf_price, r.units, r.returned_units, r.revenue], [3, 0, 3, 0]);
  assert.equal(r.returnsExceedSales, true);
  assert.equal(r.line, 10);
});

Deno.test("importFiles() aggregates transactions with returns, quantity discounts and non-merchandise codes as the contract says", async () => {
  const db = openStore(":memory:");
  try {
    const first = await importFiles(db, [
      { file: "catalog.csv", kind: "catalog", bytes: text(catalogCsv(CATALOG)) },
      { file: "sales.csv", kind: "sales", bytes: text(PRIOR) },
    ], { asOf: "2024-03-10", actor: "test" });
    assert.equal(first.report.status, "imported");
    const { report } = await importFiles(db, [
      { file: "pos.csv", kind: "transactions", bytes: text(LINES) },
    ], { asOf: "2024-03-10", actor: "test", excludeSkus: ["POST", "FEE"] });
    assert.equal(report.status, "imported", JSON.stringify(report.problems.first));
    assert.equal(report.problems.total, 0);

    const stored = readSales(db, "2024-01-01", "2024-04-01").map((s) =>
      [s.sku, s.date, s.units, s.returned_units, s.revenue, s.shelf_price] as const
    );
    assert.deepEqual(stored, EXPECTED);
    // The inactive SKU gets no zero-sale rows; F6 has no known price, so none either.
    assert.ok(!stored.some(([sku]) => sku === "E5" || sku === "F6"));

    const [file] = report.files;
    assert.equal(file.rows.read, 15);
    assert.equal(file.rows.written, 16);
    assert.deepEqual(file.details.excluded, { FEE: 1, POST: 2 });
    assert.equal(file.details.lines, 12);
    assert.deepEqual(file.details.covered, { from: "2024-03-01", to: "2024-03-05" });
    assert.equal(file.details.zero_sale_rows, 9);
    assert.equal(file.details.skipped_without_shelf_price, 4); // F6 on each of 4 open days
    assert.deepEqual(file.details.closed_days, ["2024-03-02"]);

    // The excess of returns is reported and recorded with the import: A1 (3 back, 1 sold)
    // and B2 (a return only), each naming its first line and the units returned.
    assert.deepEqual(report.quality.by_check, { RETURNS_EXCEED_SALES: 2 });
    const issues = readImportIssues(db, file.import_id!);
    assert.deepEqual(issues.map((i) => [i.check, i.sku, i.line, i.value]), [
      ["RETURNS_EXCEED_SALES", "A1", 11, "3"],
      ["RETURNS_EXCEED_SALES", "B2", 13, "1"],
    ]);
    assert.match(issues[0].message, /2024-03-03/);
    // The recorded import says what was skipped.
    const recorded = readImports(db).find((i) => i.id === file.import_id)!;
    assert.deepEqual(recorded.details.excluded, { FEE: 1, POST: 2 });
    assert.equal(recorded.rows_written, 16);

    // A covered day without a line is a closed day of the trading calendar.
    assert.deepEqual(readClosedDays(db, "2024-02-01", "2024-04-01"), ["2024-03-02"]);
  } finally {
    db.close();
  }
});

Deno.test("importFiles() refuses non-merchandise codes that are not excluded, naming each line", async () => {
  const db = openStore(":memory:");
  try {
    await importFiles(db, [
      { file: "catalog.csv", kind: "catalog", bytes: text(catalogCsv(CATALOG)) },
    ], { asOf: "2024-03-10", actor: "test" });
    const { report, problems } = await importFiles(db, [
      { file: "pos.csv", kind: "transactions", bytes: text(LINES) },
    ], { asOf: "2024-03-10", actor: "test", excludeSkus: ["FEE"] });
    assert.equal(report.status, "rejected");
    assert.deepEqual(problems.map((p) => [p.line, p.column, p.value, p.rule]), [
      [4, "sku", "POST", "not_in_catalog"],
      [14, "sku", "POST", "not_in_catalog"],
    ]);
    assert.deepEqual(report.files[0].details.excluded, { FEE: 1 });
    assert.equal(readSales(db, "2024-01-01", "2024-04-01").length, 0);
    assert.deepEqual(readClosedDays(db, "2024-01-01", "2024-04-01"), []);
  } finally {
    db.close();
  }
});

Deno.test("importFiles() gives zero-sale rows only to SKUs active on the day", async () => {
  const db = openStore(":memory:");
  try {
    // X9 is delisted from 03-02 on; Y8 is listed from 03-02 on, with a price from the store.
    const catalog = catalogCsv([
      { sku: "X9" },
      { sku: "X9", effective_date: "2024-03-02", active: false },
      { sku: "Y8", effective_date: "2024-03-02" },
      { sku: "Z7" },
    ]);
    const prior = salesCsv([
      { sku: "X9", date: "2024-02-28", units: 1, shelf_price: 4.5 },
      { sku: "Y8", date: "2024-02-28", units: 1, shelf_price: 3.5 },
    ]);
    await importFiles(db, [
      { file: "catalog.csv", kind: "catalog", bytes: text(catalog) },
      { file: "sales.csv", kind: "sales", bytes: text(prior) },
    ], { asOf: "2024-03-10", actor: "test" });
    const lines = "sku,timestamp,quantity,unit_price\nZ7,2024-03-01,1,4\nZ7,2024-03-03,1,4\n";
    const { report } = await importFiles(db, [
      { file: "pos.csv", kind: "transactions", bytes: text(lines) },
    ], { asOf: "2024-03-10", actor: "test" });
    assert.equal(report.status, "imported");
    const rows = readSales(db, "2024-03-01", "2024-03-04").map((s) =>
      `${s.sku} ${s.date} ${s.units}@${s.shelf_price}`
    );
    assert.deepEqual(rows, [
      "X9 2024-03-01 0@4.5",
      "Y8 2024-03-03 0@3.5",
      "Z7 2024-03-01 1@4",
      "Z7 2024-03-03 1@4",
    ]);
    assert.deepEqual(report.files[0].details.closed_days, ["2024-03-02"]);
  } finally {
    db.close();
  }
});

Deno.test("deno task import transactions, then deno task daily steps over the closed days", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "import-transactions-" });
  const db = join(dir, "shop.db");
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const catalog = file("catalog.csv", catalogCsv(CATALOG));
  const prior = file("sales.csv", PRIOR);
  const pos = file("pos.csv", LINES);
  const calendar = file("calendar.csv", "sku,date,units,revenue,shelf_price\n");
  try {
    await t.step("init and the store's own history", async () => {
      assert.equal((await runTask("init", ["--db", db, "--json"])).code, 0);
      for (const [kind, path] of [["catalog", catalog], ["sales", prior]]) {
        const r = await runTask("import", [kind, path, "--db", db, "--json"]);
        assert.equal(r.code, 0, r.stderr);
      }
    });

    await t.step("postage not excluded: exit 2, nothing written, every line named", async () => {
      const before = rowCounts(db);
      const r = await runTask("import", ["transactions", pos, "--db", db, "--json"]);
      assert.equal(r.code, 2, r.stderr);
      const report = onlyJson(r) as unknown as TaskReport;
      assert.equal(report.status, "rejected");
      assert.deepEqual(report.problems.by_rule, { not_in_catalog: 3 });
      assert.deepEqual(report.problems.first.map((p) => p.line), [4, 6, 14]);
      assert.deepEqual(report.rejects_files, [`${pos}.rejects.csv`]);
      assert.ok(existsSync(`${pos}.rejects.csv`));
      assert.deepEqual(rowCounts(db), before);
    });

    await t.step("--exclude-sku: exit 0, the JSON report counts what was skipped", async () => {
      const r = await runTask("import", [
        "transactions",
        pos,
        "--db",
        db,
        "--exclude-sku",
        "POST, FEE",
        "--json",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const report = onlyJson(r) as unknown as TaskReport;
      assert.equal(report.status, "imported");
      const [f] = report.files;
      assert.equal(f.kind, "transactions");
      assert.deepEqual(f.rows, { read: 15, written: 16, unchanged: 0, corrected: 0, rejected: 0 });
      assert.deepEqual(f.details.excluded, { FEE: 1, POST: 2 });
      assert.equal(f.details.zero_sale_rows, 9);
      assert.deepEqual(f.details.closed_days, ["2024-03-02"]);
      assert.deepEqual(report.quality.by_check, { RETURNS_EXCEED_SALES: 2 });
      const store = openStore(db, { readOnly: true });
      try {
        assert.deepEqual(
          readSales(store, "2024-01-01", "2024-04-01").map((
            s,
          ) => [s.sku, s.date, s.units, s.returned_units, s.revenue, s.shelf_price]),
          EXPECTED,
        );
      } finally {
        store.close();
      }
    });

    await t.step("a sales import declares the day after the latest sales closed", async () => {
      const r = await runTask("import", [
        "sales",
        calendar,
        "--db",
        db,
        "--closed-days",
        "2024-03-06",
        "--json",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const store = openStore(db, { readOnly: true });
      try {
        assert.deepEqual(readClosedDays(store, "2024-01-01", "2024-04-01"), [
          "2024-03-02",
          "2024-03-06",
        ]);
        assert.equal(defaultRunDate(store, { asOf: "2024-03-10" }), "2024-03-07");
      } finally {
        store.close();
      }
    });

    await t.step(
      "daily --date on a closed day is refused with exit 2, nothing written",
      async () => {
        const before = rowCounts(db);
        const r = await runTask("daily", ["--db", db, "--date", "2024-03-06", "--json"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(String(onlyJson(r).error), /2024-03-06.*closed/);
        assert.deepEqual(rowCounts(db), before);
      },
    );

    await t.step("daily over a span prices the open days only", async () => {
      const r = await runTask("daily", [
        "--db",
        db,
        "--date",
        "2024-03-01",
        "--days",
        "3",
        "--json",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const summary = onlyJson(r) as unknown as DailyJson;
      assert.deepEqual(
        summary.runs?.map((x) => x.run_date),
        ["2024-03-01", "2024-03-03"],
      );
      // The run after the closed day reads the sales of the last open day before it.
      assert.equal(summary.preconditions?.last_open_day, "2024-03-01");
      assert.match(r.stderr, /2024-03-02: the store is closed/);
    });

    await t.step("daily without --date steps over the declared closed day", async () => {
      const r = await runTask("daily", ["--db", db, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const summary = onlyJson(r) as unknown as DailyJson;
      assert.equal(summary.run_date, "2024-03-07");
      assert.equal(summary.preconditions?.last_open_day, "2024-03-05");
      assert.equal(summary.preconditions?.actuals.missing, 0);
      const store = openStore(db, { readOnly: true });
      try {
        const dates = store.prepare("SELECT DISTINCT run_date FROM runs ORDER BY run_date").all()
          .map((x) => x.run_date);
        assert.deepEqual(dates, ["2024-03-01", "2024-03-03", "2024-03-07"]);
      } finally {
        store.close();
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
