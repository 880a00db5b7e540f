/**
 * The daily run's preconditions, through `deno task daily` as a scheduler runs it:
 * each refusal exits 2, names the problem and the values, and writes nothing (no
 * run, event, decision, snapshot, price export or price file); each escape hatch
 * prices and records that it was used.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import { latestSalesDate, readRuns } from "../engine/store/queries.ts";
import type { DailyReport } from "../engine/pipeline/daily.ts";
import { addDays } from "../engine/util/date.ts";
import { contractStore, rowCounts, salesCsv, seededSales, skuCodes } from "./_contract_store.ts";
import { onlyJson, ROOT, runTask, type TaskResult } from "./_run_task.ts";
import { simulatedStore } from "./_stores.ts";

const SKUS = skuCodes(20);
const CATALOG = SKUS.map((sku) => ({ sku }));
/** 28 days of sales of every SKU, 2024-02-01 to 2024-02-28. */
const HISTORY = seededSales(SKUS, "2024-02-01", 28);
/** The sales of 2024-02-29 for the first `n` SKUs. */
const lastDay = (n: number) => seededSales(SKUS.slice(0, n), "2024-02-29", 1, 99);

type Summary = DailyReport & { export_dir: string };

async function daily(db: string, ...args: string[]): Promise<TaskResult> {
  return await runTask("daily", ["--db", db, "--json", ...args]);
}

/** Runs daily with `args`, expecting a refusal: exit 2, the message, nothing written. */
async function refused(db: string, args: string[], message: RegExp): Promise<void> {
  const before = rowCounts(db);
  const files = priceFiles(db);
  const r = await daily(db, ...args);
  assert.equal(r.code, 2, `exit 2 expected for ${args.join(" ")}: ${r.stderr}`);
  const out = onlyJson(r);
  assert.equal(out.status, "error");
  assert.match(String(out.error), message);
  assert.deepEqual(rowCounts(db), before, "nothing written");
  assert.deepEqual(priceFiles(db), files, "no price file written");
}

/** Runs daily with `args`, expecting a priced run; returns its summary. */
async function priced(db: string, ...args: string[]): Promise<Summary> {
  const r = await daily(db, ...args);
  assert.equal(r.code, 0, r.stderr);
  const s = onlyJson(r) as unknown as Summary;
  assert.equal(s.status, "succeeded");
  return s;
}

function priceFiles(db: string): string[] {
  const dir = join(db, "..", "exports");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A copy of the store file `path` named `name` beside it. */
function copy(path: string, name: string): string {
  const to = join(path, "..", name);
  copyFileSync(path, to);
  return to;
}

/** The summary recorded with the run `runId` (its succeeded event). */
function storedSummary(path: string, runId: string): Record<string, unknown> {
  const db = openStore(path, { readOnly: true });
  try {
    const run = readRuns(db).find((r) => r.run_id === runId);
    assert.ok(run, `run ${runId} recorded`);
    return run.details;
  } finally {
    db.close();
  }
}

Deno.test("daily refuses when the last open day's sales are missing for more than 5% of the active SKUs", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "preconditions-actuals-" });
  try {
    // 18 of 20 SKUs reported 2024-02-29: 10% missing.
    const db = await contractStore(dir, CATALOG, [...HISTORY, ...lastDay(18)]);
    const allowed = copy(db, "allowed.db");

    await t.step("refused, naming the day, the counts and the SKUs", async () => {
      await refused(db, [], /2024-02-29 .*missing for 2 of 20 active SKUs.*S19, S20/);
      await refused(db, ["--date", "2024-03-01"], /missing for 2 of 20/);
    });

    await t.step("--allow-missing-actuals prices and records it in the summary", async () => {
      const s = await priced(allowed, "--allow-missing-actuals");
      assert.equal(s.run_date, "2024-03-01");
      assert.equal(s.skus, 20);
      assert.deepEqual(s.preconditions?.actuals, { expected: 20, missing: 2, allowed: true });
      assert.deepEqual(storedSummary(allowed, s.run_id).preconditions, s.preconditions);
    });

    await t.step("one SKU missing (5%, not more) is priced without the flag", async () => {
      const path = join(dir, "s19.csv");
      writeFileSync(path, salesCsv(seededSales(["S19"], "2024-02-29", 1)));
      const r = await runTask("import", ["sales", path, "--db", db, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const s = await priced(db);
      assert.equal(s.run_date, "2024-03-01");
      assert.deepEqual(s.preconditions?.actuals, { expected: 20, missing: 1, allowed: false });
      assert.equal(s.preconditions?.last_open_day, "2024-02-29");
      assert.deepEqual(priceFiles(db), ["prices-shop-2024-03-01.csv"]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("daily refuses a run date more than 7 days after the latest sales date", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preconditions-ahead-" });
  try {
    const db = await contractStore(dir, CATALOG, [...HISTORY, ...lastDay(20)]);
    await refused(
      db,
      ["--date", "2024-03-08", "--allow-missing-actuals"],
      /2024-03-08: it is 8 days after the latest sales date 2024-02-29 \(at most 7\)/,
    );
    await refused(db, ["--date", "2024-12-31"], /after the latest sales date 2024-02-29/);
    // Seven days ahead is allowed, the missing days' actuals only with the flag.
    await refused(db, ["--date", "2024-03-07"], /sales of 2024-03-06 .* missing for 20 of 20/);
    const s = await priced(db, "--date", "2024-03-07", "--allow-missing-actuals");
    assert.equal(s.preconditions?.latest_sales_date, "2024-02-29");
    assert.deepEqual(s.preconditions?.actuals, { expected: 20, missing: 20, allowed: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("closed days do not count toward the 7 days: a store reopening after a long closure is priced", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preconditions-closure-" });
  try {
    const db = await contractStore(dir, CATALOG, [...HISTORY, ...lastDay(20)]);
    // Closed from 2024-03-01 to 2024-03-10 (ten days), declared with a sales import.
    const calendar = join(dir, "calendar.csv");
    writeFileSync(calendar, "sku,date,units,revenue,shelf_price\n");
    const closed = Array.from({ length: 10 }, (_, i) => addDays("2024-03-01", i)).join(",");
    const r = await runTask("import", ["sales", calendar, "--db", db, "--closed-days", closed]);
    assert.equal(r.code, 0, r.stderr);
    const s = await priced(db);
    assert.equal(s.run_date, "2024-03-11");
    assert.equal(s.preconditions?.last_open_day, "2024-02-29");
    assert.equal(s.preconditions?.actuals.missing, 0);
    // Eight open days after the latest sales are still too many, closed days or not.
    await refused(
      db,
      ["--date", "2024-03-18", "--allow-missing-actuals"],
      /8 days after the latest sales date 2024-02-29, not counting 10 closed days \(at most 7\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("daily refuses a date earlier than the latest succeeded run, even after recording simulated actuals; --backfill prices it without monitoring", async () => {
  const { path: db, db: handle, dir } = await simulatedStore({ skus: 20, days: 120 });
  const last = latestSalesDate(handle)!;
  handle.close();
  try {
    const first = await priced(db);
    assert.equal(first.run_date, addDays(last, 1));
    assert.equal(first.monitoring, "monitored");
    // The day after is skipped: its actuals (those of `first`'s date) are not in, as asked.
    const third = await priced(db, "--date", addDays(last, 3), "--allow-missing-actuals");
    assert.equal(third.preconditions?.actuals.allowed, true);

    // This run would first record the simulated sales of addDays(last, 1): they go too.
    await refused(
      db,
      ["--date", addDays(last, 2)],
      new RegExp(`earlier than the latest succeeded run \\(${addDays(last, 3)}\\).*--backfill`),
    );

    const before = rowCounts(db);
    const back = await priced(db, "--date", addDays(last, 2), "--backfill");
    assert.equal(back.run_date, addDays(last, 2));
    assert.equal(back.preconditions?.backfill, true);
    assert.equal(back.actuals_recorded, 20);
    assert.equal(back.monitoring, undefined, "a backfill is not monitored");
    const after = rowCounts(db);
    assert.equal(after.monitoring_runs, before.monitoring_runs);
    assert.equal(after.decisions - before.decisions, 20);
    assert.equal(after.sales - before.sales, 20);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a sales row dated in the future never moves the default run date and is reported as FUTURE_DATED", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preconditions-future-" });
  try {
    const db = await contractStore(dir, CATALOG, [...HISTORY, ...lastDay(20)]);
    const future = join(dir, "future.csv");
    writeFileSync(
      future,
      salesCsv([{ sku: "S03", date: "2099-06-01", units: 9999, shelf_price: 4.49 }]),
    );
    // The importer refuses it as dated after today; an as-of in 2099 lets it in.
    assert.equal((await runTask("import", ["sales", future, "--db", db])).code, 2);
    const r = await runTask("import", ["sales", future, "--db", db, "--as-of", "2099-12-31"]);
    assert.equal(r.code, 0, r.stderr);

    const s = await priced(db);
    assert.equal(s.run_date, "2024-03-01");
    assert.equal(s.preconditions?.latest_sales_date, "2024-02-29");
    assert.deepEqual(s.preconditions?.future_rows, [
      { table: "sales", rows: 1, skus: [{ sku: "S03", date: "2099-06-01" }] },
    ]);
    const store = openStore(db, { readOnly: true });
    try {
      const issues = store.prepare(
        `SELECT "check", sku, field, value FROM data_quality_issues WHERE run_id = ?
         AND "check" = 'FUTURE_DATED'`,
      ).all(s.run_id).map((x) => ({ ...x }));
      assert.deepEqual(issues, [
        { check: "FUTURE_DATED", sku: "S03", field: "sales.date", value: "2099-06-01" },
      ]);
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("daily on a missing --db exits 2 naming the path and creates nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "preconditions-nodb-" });
  try {
    const typo = join(dir, "stores", "pricng.db");
    const r = await runTask("daily", ["--db", typo, "--json"]);
    assert.equal(r.code, 2, r.stderr);
    const out = onlyJson(r);
    assert.ok(String(out.error).includes(typo), String(out.error));
    assert.match(String(out.error), /deno task init/);
    assert.deepEqual(readdirSync(dir), [], "no store, no folder, no export");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("daily at the default path creates the demo store and prices it", async () => {
  // The default path is relative (data/pricing.db): run from an empty folder.
  const dir = await Deno.makeTempDir({ prefix: "preconditions-default-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        join(ROOT, "deno.json"),
        join(ROOT, "tasks/daily.ts"),
        "--json",
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder();
    const r = { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
    assert.equal(r.code, 0, r.stderr);
    const s = onlyJson(r) as unknown as Summary;
    assert.equal(s.status, "succeeded");
    assert.ok(s.skus > 0);
    assert.ok(existsSync(join(dir, "data", "pricing.db")));
    assert.deepEqual(readdirSync(join(dir, "data", "exports")), [`prices-demo-${s.run_date}.csv`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
