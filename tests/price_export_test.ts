/**
 * The price export belongs to the run: a failed write leaves the run succeeded,
 * exits 1 naming the file and is recorded; the next `deno task daily` writes the
 * missing file first; `deno task export --run` re-creates any run's file byte for
 * byte; infeasible prices are held back unless `--export-infeasible`.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { readDecisions, readPriceExports, readRuns } from "../engine/store/queries.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import type { DailyReport } from "../engine/pipeline/daily.ts";
import type { PriceExportRecord } from "../engine/schema/imports.ts";
import { sha256Bytes } from "../engine/util/hash.ts";
import {
  type CatalogLine,
  contractStore,
  rowCounts,
  salesCsv,
  seededSales,
  skuCodes,
} from "./_contract_store.ts";
import { onlyJson, runTask } from "./_run_task.ts";

const SKUS = skuCodes(8);
/** X1's minimum margin puts its lowest price (6.25) above its ceiling (6): infeasible. */
const CATALOG: CatalogLine[] = [
  ...SKUS.map((sku) => ({ sku })),
  { sku: "X1", unit_cost: 5, floor_price: 5.5, ceiling_price: 6, min_margin: 0.2 },
];
const sales = (from: string, days: number, seed = 7) => [
  ...seededSales(SKUS, from, days, seed),
  ...seededSales(["X1"], from, days, seed).map((s) => ({ ...s, shelf_price: 5.99 })),
];
const FILE = "prices-shop-2024-03-01.csv";
const RUN = "2024-03-01#1";

type Summary = DailyReport & { price_export?: PriceExportRecord };

function exportsOf(path: string): PriceExportRecord[] {
  const db = openStore(path, { readOnly: true });
  try {
    return readPriceExports(db, RUN);
  } finally {
    db.close();
  }
}

const sha256 = (path: string) => sha256Bytes(readFileSync(path));

/** The price file's row of `sku`, by column name. */
function rowOf(path: string, sku: string): Record<string, string> {
  const [header, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  const line = lines.find((l) => l.startsWith(`${sku},`));
  assert.ok(line, `${sku} in ${path}`);
  const cells = line.split(",");
  return Object.fromEntries(header.split(",").map((name, i) => [name, cells[i]]));
}

Deno.test("a price file that fails to write is recorded, written by the next daily, and re-created byte for byte", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "price-export-" });
  const db = await contractStore(dir, CATALOG, sales("2024-02-01", 29));
  const exportsDir = join(dir, "exports");
  try {
    await t.step("the target name is taken by a folder: exit 1 naming the file", async () => {
      // Permissions do not stop root; a folder in the file's place stops anyone.
      mkdirSync(join(exportsDir, FILE), { recursive: true });
      const r = await runTask("daily", ["--db", db, "--json"]);
      assert.equal(r.code, 1, r.stderr);
      const out = onlyJson(r);
      assert.equal(out.status, "error");
      assert.match(
        String(out.error),
        new RegExp(`Cannot write the price file ${FILE} of run ${RUN}`),
      );
      assert.match(String(out.error), /deno task export --run 2024-03-01#1/);
    });

    await t.step("the run stays succeeded and the failure is recorded", () => {
      const store = openStore(db, { readOnly: true });
      try {
        const runs = readRuns(store);
        assert.deepEqual(runs.map((r) => [r.run_id, r.status]), [[RUN, "succeeded"]]);
        assert.equal(readDecisions(store, RUN).length, CATALOG.length);
      } finally {
        store.close();
      }
      const [failed, ...rest] = exportsOf(db);
      assert.equal(rest.length, 0);
      assert.equal(failed.status, "failed");
      assert.equal(failed.file, FILE);
      assert.equal(failed.sha256, null);
      assert.ok(failed.error && failed.error.length > 0);
      assert.ok(!existsSync(join(exportsDir, `.${FILE}`)), "no temporary file left");
    });

    await t.step(
      "while the folder is there, the next daily fails before pricing anything",
      async () => {
        const before = rowCounts(db);
        const r = await runTask("daily", ["--db", db, "--json"]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(String(onlyJson(r).error), new RegExp(FILE));
        const after = rowCounts(db);
        assert.equal(after.price_exports, before.price_exports + 1, "the second failure recorded");
        assert.deepEqual({ ...after, price_exports: 0 }, { ...before, price_exports: 0 });
      },
    );

    let summary: Summary;
    await t.step("the next daily writes the missing file first, then prices its day", async () => {
      rmSync(join(exportsDir, FILE), { recursive: true });
      const next = join(dir, "sales-0301.csv");
      writeFileSync(next, salesCsv(sales("2024-03-01", 1, 8)));
      assert.equal((await runTask("import", ["sales", next, "--db", db])).code, 0);
      const r = await runTask("daily", ["--db", db, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      summary = onlyJson(r) as unknown as Summary;
      assert.equal(summary.run_date, "2024-03-02");
      assert.equal(summary.price_export?.file, "prices-shop-2024-03-02.csv");
      const records = exportsOf(db);
      assert.deepEqual(records.map((e) => e.status), ["failed", "failed", "written"]);
      const written = records[2];
      assert.equal(written.rows, CATALOG.length);
      assert.equal(sha256(join(exportsDir, FILE)), written.sha256);
    });

    await t.step("deno task export --run re-creates the file byte for byte", async () => {
      const original = readFileSync(join(exportsDir, FILE));
      const recorded = exportsOf(db).at(-1)!.sha256;
      const elsewhere = join(dir, "resend");
      const r = await runTask("export", ["--run", RUN, "--db", db, "--out", elsewhere, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const out = onlyJson(r);
      assert.equal(out.path, join(elsewhere, FILE));
      assert.equal(out.sha256, recorded);
      assert.deepEqual(readFileSync(join(elsewhere, FILE)), original);
      // The default folder, after the file was lost.
      rmSync(join(exportsDir, FILE));
      const again = await runTask("export", ["--run", RUN, "--db", db]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(sha256(join(exportsDir, FILE)), recorded);
      assert.deepEqual(exportsOf(db).map((e) => e.status), [
        "failed",
        "failed",
        "written",
        "written",
        "written",
      ]);
      // The run priced after it is re-created the same way.
      const second = `prices-shop-2024-03-02.csv`;
      const before = sha256(join(exportsDir, second));
      rmSync(join(exportsDir, second));
      const r2 = await runTask("export", ["--run", summary.run_id, "--db", db]);
      assert.equal(r2.code, 0, r2.stderr);
      assert.equal(sha256(join(exportsDir, second)), before);
    });

    await t.step("export of an unknown run exits 2", async () => {
      const r = await runTask("export", ["--run", "2024-03-09#1", "--db", db, "--json"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(String(onlyJson(r).error), /no succeeded run has that id/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run whose process ended before its price file was written gets it from the next daily", async () => {
  const dir = await Deno.makeTempDir({ prefix: "price-export-crash-" });
  try {
    const path = await contractStore(dir, CATALOG, sales("2024-02-01", 29));
    // The run commits; its file is never written (as when the process dies in between).
    const db = openStore(path);
    try {
      const [report] = runDates(db, { from: "2024-03-01" });
      assert.equal(report.run_id, RUN);
    } finally {
      db.close();
    }
    assert.deepEqual(exportsOf(path), []);
    const next = join(dir, "sales-0301.csv");
    writeFileSync(next, salesCsv(sales("2024-03-01", 1, 8)));
    assert.equal((await runTask("import", ["sales", next, "--db", path])).code, 0);
    const r = await runTask("daily", ["--db", path, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((onlyJson(r) as unknown as Summary).run_date, "2024-03-02");
    const [written] = exportsOf(path);
    assert.equal(written.status, "written");
    assert.equal(sha256(join(dir, "exports", FILE)), written.sha256);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("infeasible prices are held back by default and exported as decided with --export-infeasible", async () => {
  const dir = await Deno.makeTempDir({ prefix: "price-export-infeasible-" });
  try {
    const held = await contractStore(dir, CATALOG, sales("2024-02-01", 29));
    const exported = join(dir, "as-decided", "store.db");
    mkdirSync(join(dir, "as-decided"));
    copyFileSync(held, exported);

    const a = await runTask("daily", ["--db", held, "--json"]);
    assert.equal(a.code, 0, a.stderr);
    const b = await runTask("daily", ["--db", exported, "--export-infeasible", "--json"]);
    assert.equal(b.code, 0, b.stderr);
    const summary = onlyJson(a) as unknown as Summary;
    assert.equal(summary.infeasible, 1);
    assert.equal(summary.price_export?.infeasible, "hold");
    assert.equal((onlyJson(b) as unknown as Summary).price_export?.infeasible, "export");

    const store = openStore(held, { readOnly: true });
    const decision = readDecisions(store, RUN).find((d) => d.sku === "X1")!;
    store.close();
    assert.equal(decision.infeasible, true);
    assert.ok(decision.conflict);
    assert.notEqual(decision.price.toFixed(2), decision.previous_price.toFixed(2));

    const heldFile = join(dir, "exports", FILE);
    const exportedFile = join(dir, "as-decided", "exports", FILE);
    assert.deepEqual(rowOf(heldFile, "X1"), {
      sku: "X1",
      price: decision.previous_price.toFixed(2),
      effective_date: "2024-03-01",
      strategy: decision.strategy,
      run_id: RUN,
      infeasible: "true",
      conflict: decision.conflict!,
      held_back: `infeasible price ${decision.price.toFixed(2)} held back`,
    });
    assert.deepEqual(rowOf(exportedFile, "X1"), {
      ...rowOf(heldFile, "X1"),
      price: decision.price.toFixed(2),
      held_back: "",
    });
    // Feasible prices are the same either way.
    assert.deepEqual(rowOf(exportedFile, "S01"), rowOf(heldFile, "S01"));
    assert.equal(rowOf(heldFile, "S01").infeasible, "false");

    // A re-export keeps the run's policy, whatever the flags of today.
    for (const [db, file] of [[held, heldFile], [exported, exportedFile]]) {
      const before = readFileSync(file);
      rmSync(file);
      const r = await runTask("export", ["--run", RUN, "--db", db]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(file), before);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
