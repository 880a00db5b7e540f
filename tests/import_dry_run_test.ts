/**
 * Issue 11, through the tasks as a user runs them: `deno task import --dry-run`
 * validates and reports (status, row counts, every problem and data-quality finding)
 * but writes nothing to the store, not even the import's own record; and a decision's
 * `previous_price` (with the max-daily-change guardrail measured from it) is the last
 * shelf price, never the average paid (revenue / units) when a discount separates them.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { readDecisions, readSnapshots } from "../engine/store/queries.ts";
import { contractStore, SALES_HEADER, salesCsv, seededSales, skuCodes } from "./_contract_store.ts";
import { onlyJson, runTask } from "./_run_task.ts";

const SKUS = skuCodes(4);
const CATALOG = SKUS.map((sku) => ({ sku }));

/** Every row of every table of the store at `path`, by table, sorted (the store's content). */
function contents(path: string): Record<string, string[]> {
  const db = openStore(path, { readOnly: true });
  try {
    const tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ).all().map((r) => String(r.name));
    return Object.fromEntries(
      tables.map((t) => [
        t,
        db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

const bytes = (path: string) => Deno.readFileSync(path);

Deno.test("deno task import --dry-run reports rows, problems and findings but writes nothing to the store", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "import-dry-run-" });
  try {
    const db = await contractStore(dir, CATALOG, seededSales(SKUS, "2024-02-01", 28));
    const before = contents(db);
    const fileBefore = bytes(db);
    assert.ok(before.imports.length >= 2 && before.sales.length === 4 * 28);
    const unchanged = () => {
      assert.deepEqual(contents(db), before, "no row of any table changed");
      assert.deepEqual(bytes(db), fileBefore, "the store file's bytes are the same");
    };

    // Seven good days, one of them with revenue far from units x price (a finding).
    const rows = seededSales(SKUS, "2024-02-29", 7, 11).map((r) => ({ ...r, units: r.units + 1 }));
    const text = salesCsv(rows).replace(/^(S01,2024-03-02,(\d+)),[\d.]+,/m, "$1,999.00,");
    assert.notEqual(text, salesCsv(rows), "the odd revenue is in the file");
    const good = join(dir, "sales-march.csv");
    writeFileSync(good, text);

    await t.step("a good file: validated, counted, nothing written", async () => {
      const r = await runTask("import", ["sales", good, "--db", db, "--dry-run", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const report = onlyJson(r) as {
        status: string;
        files: { status: string; import_id: number | null; rows: Record<string, number> }[];
        problems: { total: number };
        quality: { total: number; by_check: Record<string, number> };
      };
      assert.equal(report.status, "dry_run");
      assert.equal(report.files[0].status, "validated");
      assert.equal(report.files[0].import_id, null);
      assert.deepEqual(report.files[0].rows, {
        read: 28,
        written: 0,
        unchanged: 0,
        corrected: 0,
        rejected: 0,
      });
      assert.equal(report.problems.total, 0);
      assert.ok(report.quality.total >= 1, "the implausible revenue is reported");
      unchanged();
    });

    const bad = join(dir, "sales-bad.csv");
    writeFileSync(
      bad,
      `${SALES_HEADER}\nS01,2024-02-29,-3,1,4.49\nS02,2024-02-29,2,8.98,4.49\nZ9,2024-02-29,1,4.49,4.49\n`,
    );
    for (const onError of ["reject", "skip"]) {
      await t.step(
        `a bad file with --on-error ${onError}: exit 2, problems named, nothing written`,
        async () => {
          const r = await runTask("import", [
            "sales",
            bad,
            "--db",
            db,
            "--dry-run",
            "--on-error",
            onError,
            "--json",
          ]);
          assert.equal(r.code, 2, r.stderr);
          const report = onlyJson(r) as {
            status: string;
            files: { rows: Record<string, number> }[];
            problems: { total: number; by_rule: Record<string, number>; first: { line: number }[] };
          };
          assert.equal(report.status, onError === "reject" ? "rejected" : "dry_run");
          assert.equal(report.problems.total, 2);
          assert.deepEqual(report.problems.by_rule, { negative: 1, not_in_catalog: 1 });
          assert.deepEqual(report.problems.first.map((p) => p.line), [2, 4]);
          assert.equal(report.files[0].rows.read, 3);
          assert.equal(report.files[0].rows.written, 0);
          assert.equal(report.files[0].rows.rejected, 2);
          unchanged();
        },
      );
    }

    await t.step(
      "the same good file without --dry-run is imported (the dry run recorded no import)",
      async () => {
        const r = await runTask("import", ["sales", good, "--db", db, "--json"]);
        assert.equal(r.code, 0, r.stderr);
        const report = onlyJson(r) as { status: string; files: { rows: { written: number } }[] };
        assert.equal(report.status, "imported");
        assert.equal(report.files[0].rows.written, 28);
        const after = contents(db);
        assert.equal(after.sales.length, before.sales.length + 28);
        assert.equal(after.imports.length, before.imports.length + 1);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a decision's previous_price is the last shelf price, not the average paid, and the daily change is measured from it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "previous-price-" });
  try {
    // 28 days at 4.49, then a day at a shelf price of 4.99 sold at 3.99 on average (20% off).
    const db = await contractStore(
      dir,
      CATALOG.map((c) => ({ ...c, max_daily_change: 0.1 })),
      seededSales(SKUS, "2024-02-01", 28),
    );
    const last = join(dir, "sales-last.csv");
    writeFileSync(
      last,
      [SALES_HEADER, ...SKUS.map((sku) => `${sku},2024-02-29,5,19.95,4.99`)].join("\n") + "\n",
    );
    let r = await runTask("import", ["sales", last, "--db", db, "--as-of", "2024-02-29", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    r = await runTask("daily", ["--db", db, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const summary = onlyJson(r) as { run_id: string; run_date: string; status: string };
    assert.equal(summary.status, "succeeded");
    assert.equal(summary.run_date, "2024-03-01");
    const store = openStore(db, { readOnly: true });
    try {
      const decisions = readDecisions(store, summary.run_id);
      assert.equal(decisions.length, SKUS.length);
      const snapshots = new Map(
        readSnapshots(store, summary.run_date).map((s) => [s.sku, s.features]),
      );
      for (const d of decisions) {
        assert.equal(d.previous_price, 4.99, `${d.sku}: the last shelf price, not 19.95 / 5`);
        assert.equal(snapshots.get(d.sku)!.last_price, 4.99);
        // Within 10% of 4.99 ([4.49, 5.49]); 10% around 3.99 would be [3.59, 4.39].
        assert.ok(
          Math.abs(d.price / 4.99 - 1) <= 0.1 + 1e-9,
          `${d.sku}: ${d.price} is more than 10% from 4.99`,
        );
      }
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
