/**
 * The data contract's importer: every problem of a bad file named with its line,
 * nothing written on refusal, every good row written with --on-error skip, a
 * re-import that changes nothing, corrections only with a reason, plausibility
 * findings recorded, and the round trip from a simulated store through contract
 * files to the same output digest.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { importFiles, type ImportOptions } from "../engine/ingest/import.ts";
import { contractMarkdown } from "../engine/schema/contract_doc.ts";
import type { ContractKind } from "../engine/schema/contract.ts";
import {
  readCatalogHistory,
  readCompetitorPrices,
  readImportIssues,
  readImports,
  readSales,
} from "../engine/store/queries.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const text = (s: string) => new TextEncoder().encode(s);
const options: ImportOptions = { asOf: "2024-03-31", actor: "test" };

const CATALOG_HEADER =
  "sku,effective_date,category,unit_cost,floor_price,ceiling_price,min_margin,max_daily_change,price_ending,active";
const CATALOG = `${CATALOG_HEADER}
A1,2024-01-01,snacks,1.2,1.99,3.99,0.1,0.1,99,true
B2,2024-01-01,snacks,2,2.49,4.99,0.1,0.1,9,true
C3,2024-01-01,drinks,0.8,0.99,1.99,0.1,0.2,any,true
`;

function count(db: DatabaseSync, table: string): number {
  return Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
}

async function withStore(fn: (db: DatabaseSync, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "import_test_" });
  const db = openStore(join(dir, "pricing.db"));
  try {
    await fn(db, dir);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const file = (name: string, kind: ContractKind, body: string) => ({
  file: name,
  kind,
  bytes: text(body),
});

Deno.test("a file with every kind of bad row is refused whole, each problem named with its line, column and value", async () => {
  await withStore(async (db) => {
    await importFiles(db, [file("catalog.csv", "catalog", CATALOG)], options);
    await importFiles(db, [
      file("sales.csv", "sales", "sku,date,units,revenue,shelf_price\nA1,2024-03-01,4,7.96,1.99\n"),
    ], options);
    const before = count(db, "sales");
    const sales = [
      "sku,date,units,revenue,shelf_price,promo",
      "A1,2024-03-02,3,5.97,1.99,false", //  2 good
      "A1,2024-02-30,3,5.97,1.99,false", //  3 not a calendar date
      "A1,2024-03-03,-1,5.97,1.99,false", // 4 negative units
      "A1,2024-03-04,2.5,5.97,1.99,false", // 5 not whole
      "A1,2024-03-05,3,1e999,1.99,false", // 6 not finite
      "A1,2024-03-06,3,5.97,0,false", //     7 price not positive
      "A1,2024-03-07,3,5.97,1.99,maybe", //  8 not a boolean
      "A1,2024-03-08,,5.97,1.99,false", //   9 missing value
      "Z9,2024-03-09,3,5.97,1.99,false", // 10 not in catalog
      "B2,2024-03-10,3,7.47,2.49,false", // 11 duplicate of 12
      "B2,2024-03-10,4,9.96,2.49,false", // 12 duplicate of 11
      "A1,2024-03-01,5,9.95,1.99,false", // 13 conflicts with the stored row
      "A1,2099-01-01,3,5.97,1.99,false", // 14 after as-of
      "A B,2024-03-11,3,5.97,1.99,false", // 15 bad SKU code
      "A1,2024-03-12,9007199254740993,5.97,1.99,false", // 16 beyond 2^53 - 1
      "A1,2024-03-13,3,5.97", //            17 wrong cell count
      "C3,2024-03-14,2,1.98,0.99,true", //  18 good
    ].join("\n") + "\n";
    const { report, problems, rejects } = await importFiles(
      db,
      [file("sales.csv", "sales", sales)],
      options,
    );
    assert.equal(report.status, "rejected");
    assert.equal(count(db, "sales"), before, "a refusal writes nothing");
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.rule);
    const expected: [number, string, string?][] = [
      [3, "not_a_date", "2024-02-30"],
      [4, "negative", "-1"],
      [5, "not_whole", "2.5"],
      [6, "not_finite", "1e999"],
      [7, "not_positive", "0"],
      [8, "bad_boolean", "maybe"],
      [9, "missing_value"],
      [10, "not_in_catalog", "Z9"],
      [11, "duplicate_key", "B2"],
      [12, "duplicate_key", "B2"],
      [13, "conflict"],
      [14, "after_as_of", "2099-01-01"],
      [15, "bad_sku", "A B"],
      [16, "out_of_range", "9007199254740993"],
      [17, "wrong_cell_count"],
    ];
    for (const [line, rule, value] of expected) {
      assert.deepEqual(at(line), [rule], `line ${line}`);
      const p = problems.find((x) => x.line === line)!;
      assert.equal(p.file, "sales.csv");
      if (value !== undefined) assert.equal(p.value, value, `line ${line} value`);
    }
    assert.deepEqual(at(2), []);
    assert.deepEqual(at(18), []);
    assert.match(problems.find((p) => p.line === 11)!.message, /sales\.csv line 12/);
    assert.match(problems.find((p) => p.line === 12)!.message, /sales\.csv line 11/);
    assert.match(problems.find((p) => p.line === 13)!.message, /units 4 -> 5.*--reason/);
    assert.equal(report.files[0].rows.read, 17);
    assert.equal(report.files[0].rows.rejected, 15);
    assert.equal(report.problems.by_rule.duplicate_key, 2);
    // The rejects file: the original line, then line, column, value, problem.
    const csv = rejects[0].csv.trimEnd().split("\n");
    assert.equal(csv[0], "sku,date,units,revenue,shelf_price,promo,line,column,value,problem");
    assert.equal(csv.length, 1 + problems.length);
    assert.ok(
      csv.includes(
        "A1,2024-03-03,-1,5.97,1.99,false,4,units,-1,negative: expected a whole number >= 0",
      ),
    );
  });
});

Deno.test("a header with a missing, an unknown and a repeated column is refused, naming each", async () => {
  await withStore(async (db) => {
    await importFiles(db, [file("catalog.csv", "catalog", CATALOG)], options);
    const { report, problems } = await importFiles(db, [
      file(
        "sales.csv",
        "sales",
        "sku,date,units,units,revenu,shelf_price\nA1,2024-03-02,3,3,5.97,1.99\n",
      ),
    ], options);
    assert.equal(report.status, "rejected");
    assert.deepEqual(
      problems.map((p) => [p.line, p.rule, p.column]),
      [
        [1, "repeated_column", "units"],
        [1, "unknown_column", "revenu"],
        [1, "missing_column", "revenue"],
      ],
    );
    assert.equal(report.files[0].rows.read, 1);
    assert.equal(count(db, "sales"), 0);
  });
});

Deno.test("catalog rows: floor above ceiling, a bad price ending and text with a control character are refused", async () => {
  await withStore(async (db) => {
    const bad = `${CATALOG_HEADER}
A1,2024-01-01,snacks,1.2,4.99,3.99,0.1,0.1,99,true
B2,2024-01-01,snacks,2,2.49,4.99,0.1,0.1,98,true
C3,2024-01-01,"dri\u001bnks",0.8,0.99,1.99,0.1,0.2,any,true
D4,2024-01-01,snacks,1,1.49,2.99,1,0.2,any,true
`;
    const { problems } = await importFiles(db, [file("catalog.csv", "catalog", bad)], options);
    assert.deepEqual(
      problems.map((p) => [p.line, p.rule, p.column]),
      [
        [2, "floor_above_ceiling", "floor_price"],
        [3, "bad_enum", "price_ending"],
        [4, "bad_text", "category"],
        [5, "out_of_range", "min_margin"],
      ],
    );
    assert.equal(count(db, "catalog"), 0);
  });
});

Deno.test("--on-error skip writes every good row and none of the bad ones, and counts both", async () => {
  await withStore(async (db) => {
    await importFiles(db, [file("catalog.csv", "catalog", CATALOG)], options);
    const lines = ["sku,date,units,revenue,shelf_price"];
    let good = 0, bad = 0;
    for (let d = 1; d <= 28; d++) {
      const date = `2024-02-${String(d).padStart(2, "0")}`;
      for (const sku of ["A1", "B2", "C3", "Z9"]) {
        if (sku === "Z9" || d % 7 === 0) {
          lines.push(`${sku},${date},${sku === "Z9" ? 1 : -1},1,1.99`);
          bad++;
        } else {
          lines.push(`${sku},${date},2,3.98,1.99`);
          good++;
        }
      }
    }
    const { report } = await importFiles(
      db,
      [file("sales.csv", "sales", lines.join("\n") + "\n")],
      { ...options, onError: "skip" },
    );
    assert.equal(report.status, "imported");
    const f = report.files[0];
    assert.deepEqual(f.rows, {
      read: good + bad,
      written: good,
      unchanged: 0,
      corrected: 0,
      rejected: bad,
    });
    assert.equal(
      readSales(db, "2024-02-01", "2024-03-01").length,
      good,
      "every good row is stored",
    );
    const recorded = readImports(db)[0];
    assert.equal(recorded.rows_written, good);
    assert.equal(recorded.rows_rejected, bad);
  });
});

Deno.test("importing the same file twice changes nothing and says so; a correction needs a reason", async () => {
  await withStore(async (db) => {
    await importFiles(db, [file("catalog.csv", "catalog", CATALOG)], options);
    const sales =
      "sku,date,units,revenue,shelf_price\nA1,2024-03-01,4,7.96,1.99\nB2,2024-03-01,1,2.49,2.49\n";
    const first = await importFiles(db, [file("sales.csv", "sales", sales)], options);
    assert.equal(first.report.status, "imported");
    const again = await importFiles(db, [file("copy-of-sales.csv", "sales", sales)], options);
    assert.equal(again.report.status, "already_imported");
    assert.equal(again.report.files[0].import_id, first.report.files[0].import_id);
    assert.equal(count(db, "sales"), 2);
    assert.equal(
      readImports(db).length,
      2,
      "catalog and sales: the second import recorded nothing",
    );

    // The same rows in another file: unchanged, not written again.
    const reordered = "sku,shelf_price,revenue,units,date\nB2,2.49,2.49,1,2024-03-01\n";
    const same = await importFiles(db, [file("b2.csv", "sales", reordered)], options);
    assert.deepEqual(same.report.files[0].rows, {
      read: 1,
      written: 0,
      unchanged: 1,
      corrected: 0,
      rejected: 0,
    });

    // A different value for a stored key: refused without a reason, applied with one.
    const fix = "sku,date,units,revenue,shelf_price\nA1,2024-03-01,5,9.95,1.99\n";
    const refused = await importFiles(db, [file("fix.csv", "sales", fix)], options);
    assert.equal(refused.report.status, "rejected");
    assert.equal(refused.problems[0].rule, "conflict");
    assert.equal(readSales(db, "2024-03-01", "2024-03-02")[0].units, 4);
    const applied = await importFiles(db, [file("fix.csv", "sales", fix)], {
      ...options,
      reason: "register 3 scanned twice",
    });
    assert.equal(applied.report.files[0].rows.corrected, 1);
    const a1 = readSales(db, "2024-03-01", "2024-03-02").find((s) => s.sku === "A1")!;
    assert.equal(a1.units, 5);
    assert.equal(a1.reason, "register 3 scanned twice");
    assert.equal(count(db, "sales"), 3, "the correction is a new row; the old one stays");
  });
});

Deno.test("implausible rows are imported and recorded: revenue far from units x price, an outlier day, a cost jump", async () => {
  await withStore(async (db) => {
    await importFiles(db, [file("catalog.csv", "catalog", CATALOG)], options);
    const lines = ["sku,date,units,revenue,shelf_price"];
    for (let d = 1; d <= 28; d++) {
      lines.push(`A1,2024-02-${String(d).padStart(2, "0")},3,5.97,1.99`);
    }
    await importFiles(db, [file("feb.csv", "sales", lines.join("\n") + "\n")], options);
    const march = [
      "sku,date,units,revenue,shelf_price",
      "A1,2024-03-01,3,59.70,1.99", //  revenue 10x units x price
      "A1,2024-03-02,9999,19898.01,1.99", // an outlier (a backdated 9,999-unit row)
    ].join("\n") + "\n";
    const r = await importFiles(db, [file("march.csv", "sales", march)], options);
    assert.equal(r.report.status, "imported");
    assert.deepEqual(r.report.quality.by_check, { REVENUE_MISMATCH: 1, UNITS_OUTLIER: 1 });
    const issues = readImportIssues(db, r.report.files[0].import_id!);
    assert.deepEqual(issues.map((i) => [i.line, i.check, i.value]), [
      [2, "REVENUE_MISMATCH", "59.7"],
      [3, "UNITS_OUTLIER", "9999"],
    ]);
    const cost = `${CATALOG_HEADER}\nA1,2024-03-15,snacks,1.8,1.99,3.99,0.1,0.1,99,true\n`;
    const c = await importFiles(db, [file("cost.csv", "catalog", cost)], options);
    assert.deepEqual(c.report.quality.by_check, { COST_JUMP: 1 });
    assert.equal(readCatalogHistory(db, "2024-04-01").filter((x) => x.sku === "A1").length, 2);
  });
});

Deno.test("a sales row needs its catalog row, which the same import may bring; Parquet reads like CSV", async () => {
  await withStore(async (db) => {
    const r = await importFiles(db, [
      file("competitor.csv", "competitor", "sku,date,competitor_price\nA1,2024-03-01,2.09\n"),
      file("catalog.csv", "catalog", CATALOG),
    ], options);
    assert.equal(r.report.status, "imported");
    assert.deepEqual(r.report.files.map((f) => f.kind), ["catalog", "competitor"]);
    assert.equal(readCompetitorPrices(db, "2024-03-01", "2024-03-02").length, 1);
    const df = pl.DataFrame({
      sku: ["B2", "C3"],
      date: ["2024-03-02", "2024-03-02"],
      competitor_price: [2.59, 1.09],
    });
    const parquet = await importFiles(db, [{
      file: "competitor.parquet",
      kind: "competitor",
      bytes: new Uint8Array(df.writeParquet()),
    }], options);
    assert.equal(parquet.report.status, "imported");
    assert.deepEqual(
      readCompetitorPrices(db, "2024-03-02", "2024-03-03").map((c) => [c.sku, c.competitor_price]),
      [["B2", 2.59], ["C3", 1.09]],
    );
    const bad = pl.DataFrame({ sku: ["B2"], date: ["2024-03-03"], competitor_price: [-1] });
    const refused = await importFiles(db, [{
      file: "bad.parquet",
      kind: "competitor",
      bytes: new Uint8Array(bad.writeParquet()),
    }], options);
    assert.deepEqual(refused.problems.map((p) => [p.line, p.rule, p.value]), [[
      2,
      "not_positive",
      "-1.0",
    ]]);
  });
});

async function task(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("deno task import writes FILE.rejects.csv and exits 2 on a bad row; a simulated store exported as contract files and imported prices to the same digest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "import_cli_test_" });
  try {
    const a = join(dir, "a.db"), b = join(dir, "b.db"), csv = join(dir, "csv");
    let r = await task("sim", "--db", a, "--skus", "25", "--days", "120", "--export-csv", csv);
    assert.equal(r.code, 0, r.stderr);
    r = await task("init", "--db", b, "--name", "shop");
    assert.equal(r.code, 0, r.stderr);

    // A bad file first: nothing is imported, the rejects file names the line.
    const bad = join(dir, "sales-bad.csv");
    writeFileSync(bad, "sku,date,units,revenue,shelf_price\nSKU-00001,2024-02-30,1,1,1\n");
    r = await task("import", "sales", bad, "--db", b, "--json");
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.status, "rejected");
    assert.match(readFileSync(`${bad}.rejects.csv`, "utf8"), /,2,date,2024-02-30,not_a_date/);

    const files = ["catalog", "sales", "inventory", "competitor"].map((k) => join(csv, `${k}.csv`));
    r = await task("import", "auto", ...files, "--db", b, "--as-of", "2030-01-01", "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).files.map((f: { rows: { written: number } }) => f.rows.written),
      [
        25,
        3000,
        3000,
        3000,
      ],
    );
    assert.equal(existsSync(`${files[1]}.rejects.csv`), false);
    r = await task("import", "auto", ...files, "--db", b, "--as-of", "2030-01-01", "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, "already_imported");

    // The same model and the same day on both stores: the same decisions.
    const digests: string[] = [];
    for (const db of [a, b]) {
      r = await task("models", "train", "--db", db, "--json");
      assert.equal(r.code, 0, r.stderr);
      const version = JSON.parse(r.stdout).version;
      r = await task("models", "approve", version, "--db", db, "--by", "t", "--reason", "r");
      assert.equal(r.code, 0, r.stderr);
      r = await task("daily", "--db", db, "--date", "2024-04-30", "--json");
      assert.equal(r.code, 0, r.stderr);
      const summary = JSON.parse(r.stdout);
      assert.equal(summary.skus, 25);
      digests.push(summary.output_digest);
    }
    assert.equal(digests[0], digests[1]);
    assert.ok(existsSync(join(dir, "exports", "prices-shop-2024-04-30.csv")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("docs/data-contract.md is what the contract table says (regenerate it with deno task contract-doc)", async () => {
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "md", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(text(contractMarkdown()));
  await writer.close();
  const formatted = new TextDecoder().decode((await fmt.output()).stdout);
  assert.equal(readFileSync(join(ROOT, "docs", "data-contract.md"), "utf8"), formatted);
});
