/**
 * Bad stored data degrades one SKU, never the run (issue 12, §3): each bad value a
 * reliability review planted — revenue 1e999 (Infinity), an Infinity cost, ceiling or
 * competitor price, a price ending "abc", a date "2024-7-18", units of 2^63 − 1 — is
 * written into a simulated store with the checks bypassed; the next run succeeds, the
 * SKU is kept at its last price (`DATA_QUARANTINED`) or skipped as `quarantined`, and
 * the row is reported as a data-quality issue naming its table, row id, field and value.
 * A correction lifts it. Forged or stray run records do not block later runs either;
 * `verify` reports them.
 */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openStore, statement } from "../engine/store/db.ts";
import { appendSales } from "../engine/store/writer.ts";
import { readDecisions, readOpenQuarantine } from "../engine/store/queries.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { type DailyReport, runDaily } from "../engine/pipeline/daily.ts";
import { verifyStore } from "../engine/pipeline/verify.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { onlyJson, runTask } from "./_run_task.ts";
import { simulatedStore } from "./_stores.ts";

const SKU = "SKU-00004";
const CATALOG_COLUMNS =
  "sku, effective_date, category, unit_cost, floor_price, ceiling_price, min_margin, max_daily_change, price_ending, active, reason, name, family, size, key_value_item";

/** A copy of SKU's latest catalog record with `column` set to the SQL `value`. */
function catalogRow(column: string, value: string, sku = SKU): string {
  const select = CATALOG_COLUMNS.split(", ").map((c) =>
    c === column ? `${value} AS ${c}` : c === "sku" ? `'${sku}' AS sku` : c
  ).join(", ");
  return `INSERT INTO catalog (${CATALOG_COLUMNS}) SELECT ${select} FROM catalog
    WHERE sku = '${SKU}' ORDER BY id DESC LIMIT 1`;
}

/** A copy of SKU's latest row of `table` with `column` set to the SQL `value`. */
function datedRow(table: string, columns: string[], column: string, value: string): string {
  const select = columns.map((c) => (c === column ? `${value} AS ${c}` : c)).join(", ");
  return `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${select} FROM ${table}
    WHERE sku = '${SKU}' ORDER BY id DESC LIMIT 1`;
}

const SALES = [
  "sku",
  "date",
  "units",
  "returned_units",
  "revenue",
  "shelf_price",
  "promo",
  "reason",
];

/** Each bad value of the issue: the SQL that plants it, and the field and value reported. */
const PLANTS: { name: string; sql: string; field: string; value: string; held?: false }[] = [
  {
    name: "sales revenue 1e999",
    sql: datedRow("sales", SALES, "revenue", "1e999"),
    field: "sales.revenue",
    value: "Infinity",
  },
  {
    name: "sales units 2^63 - 1",
    sql: datedRow("sales", SALES, "units", "9223372036854775807"),
    field: "sales.units",
    value: "9223372036854775807",
  },
  {
    name: "sales date 2024-7-18",
    sql: datedRow("sales", SALES, "date", "'2024-7-18'"),
    field: "sales.date",
    value: "'2024-7-18'",
    // A row whose date cannot be read stands for no day the run reads; any later valid row
    // of the SKU lifts it, and here the run itself records the SKU's sales of the day before.
    held: false,
  },
  {
    name: "catalog cost 1e999",
    sql: catalogRow("unit_cost", "1e999"),
    field: "catalog.unit_cost",
    value: "Infinity",
  },
  {
    name: "catalog ceiling 1e999",
    sql: catalogRow("ceiling_price", "1e999"),
    field: "catalog.ceiling_price",
    value: "Infinity",
  },
  {
    name: "catalog price ending abc",
    sql: catalogRow("price_ending", "'abc'"),
    field: "catalog.price_ending",
    value: "'abc'",
  },
  {
    name: "competitor price 1e999",
    sql: datedRow(
      "competitor_prices",
      ["sku", "date", "competitor_price", "reason"],
      "competitor_price",
      "1e999",
    ),
    field: "competitor_prices.competitor_price",
    value: "Infinity",
  },
  {
    name: "inventory on hand 2^63 - 1",
    sql: datedRow(
      "inventory",
      ["sku", "date", "on_hand", "on_order", "next_receipt_date", "reason"],
      "on_hand",
      "9223372036854775807",
    ),
    field: "inventory.on_hand",
    value: "9223372036854775807",
  },
];

/** A simulated store that has run one day (so that it has a chain), in a new directory. */
async function baseStore(): Promise<{ path: string; dir: string }> {
  const store = await simulatedStore({ skus: 12, days: 120 });
  runDates(store.db, { days: 1, recordActuals: recordSimulatedActuals, monitoring: {} });
  store.db.close();
  return { path: store.path, dir: store.dir };
}

/** Copies the store and runs `sql` on the copy with the CHECK constraints bypassed. */
function planted(base: string, name: string, sql: string): string {
  const path = join(base, "..", `${name.replaceAll(/[^a-z0-9]+/gi, "-")}.db`);
  copyFileSync(base, path);
  const raw = new DatabaseSync(path);
  raw.exec("PRAGMA ignore_check_constraints = 1");
  raw.exec(sql);
  raw.close();
  return path;
}

/** Runs the next date as `deno task daily` does (simulated actuals, monitoring). */
function nextRun(db: DatabaseSync): DailyReport {
  const [report] = runDates(db, { days: 1, recordActuals: recordSimulatedActuals, monitoring: {} });
  return report;
}

function issuesOf(db: DatabaseSync, runId: string) {
  return statement(
    db,
    `SELECT sku, field, value, message FROM data_quality_issues
     WHERE run_id = ? AND "check" = 'QUARANTINED_ROW' ORDER BY id`,
  ).all(runId).map((r) => ({ ...r }));
}

function noModel(): never {
  throw new Error("the runs priced without a model");
}

Deno.test("each bad value planted in a store lets the next run succeed, its SKU kept at its last price and the row reported", async (t) => {
  const base = await baseStore();
  try {
    for (const plant of PLANTS) {
      await t.step(plant.name, () => {
        const db = openStore(planted(base.path, plant.name, plant.sql));
        try {
          const rowId = Number(
            statement(
              db,
              `SELECT max(id) AS id FROM ${plant.field.split(".")[0]}`,
            ).get()!.id,
          );
          const report = nextRun(db);
          assert.equal(report.status, "succeeded");
          assert.equal(report.skus, 12, "every SKU is still decided");
          const decisions = readDecisions(db, report.run_id);
          const held = decisions.find((d) => d.sku === SKU)!;
          if (plant.held === false) {
            assert.deepEqual(report.quarantined, { rows: 1, skus: [] });
            assert.ok(!held.reason_codes.includes("DATA_QUARANTINED"));
          } else {
            assert.deepEqual(report.quarantined, { rows: 1, skus: [SKU] });
            assert.equal(held.strategy, "static");
            assert.equal(held.price, held.previous_price, "kept at its last price");
            assert.equal(held.reason_codes[0], "DATA_QUARANTINED");
          }
          assert.ok(
            decisions.filter((d) => d.sku !== SKU).every((d) =>
              !d.reason_codes.includes("DATA_QUARANTINED")
            ),
            "no other SKU is held",
          );
          const [issue, ...more] = issuesOf(db, report.run_id);
          assert.equal(more.length, 0);
          assert.equal(issue.sku, SKU);
          assert.equal(issue.field, plant.field);
          assert.equal(issue.value, plant.value);
          const table = plant.field.split(".")[0];
          assert.match(String(issue.message), new RegExp(`^${table} row ${rowId}: `));
          // The audit trail still verifies, and the run replays to the same digest.
          assert.deepEqual(verifyStore(db).findings, []);
          assert.equal(replayRun(db, report.run_id, noModel).match, true);
        } finally {
          db.close();
        }
      });
    }
  } finally {
    await Deno.remove(base.dir, { recursive: true });
  }
});

Deno.test("a correction of a quarantined sales row lifts the hold: the next run prices the SKU again", async () => {
  const base = await baseStore();
  try {
    const path = planted(base.path, "correction", datedRow("sales", SALES, "revenue", "1e999"));
    const db = openStore(path);
    try {
      const held = nextRun(db);
      assert.deepEqual(held.quarantined?.skus, [SKU]);
      const [open] = readOpenQuarantine(db, "2199-12-31");
      // The README's remedy: append a correction of the same SKU and date.
      const bad = statement(db, "SELECT * FROM sales WHERE id = ?").get(open.row_id)!;
      appendSales(db, [{
        sku: SKU,
        date: String(bad.date),
        units: Number(bad.units),
        revenue: Number(bad.units) * Number(bad.shelf_price),
        shelf_price: Number(bad.shelf_price),
        promo: bad.promo === 1,
        reason: "correction of a revenue stored as Infinity",
      }]);
      assert.deepEqual(readOpenQuarantine(db, "2199-12-31"), []);
      const priced = nextRun(db);
      assert.equal(priced.status, "succeeded");
      assert.equal(priced.quarantined, undefined);
      const d = readDecisions(db, priced.run_id).find((x) => x.sku === SKU)!;
      assert.ok(!d.reason_codes.includes("DATA_QUARANTINED"), d.reason_codes.join(","));
      assert.notEqual(d.strategy, "static");
      assert.deepEqual(verifyStore(db).findings, []);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(base.dir, { recursive: true });
  }
});

Deno.test("a SKU whose only catalog record is unreadable is skipped as quarantined; a row with an unreadable SKU is reported", async () => {
  const base = await baseStore();
  try {
    const path = planted(
      base.path,
      "unlisted",
      `${catalogRow("unit_cost", "1e999", "SKU-NEW")};
       INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
       VALUES ('bad sku!', '2024-04-01', 3, 0, 6, 2, 0, 'observed')`,
    );
    const db = openStore(path);
    try {
      const report = nextRun(db);
      assert.equal(report.status, "succeeded");
      assert.equal(report.skus, 12);
      assert.deepEqual(report.skipped, [{ sku: "SKU-NEW", reason: "quarantined" }]);
      const issues = issuesOf(db, report.run_id);
      assert.deepEqual(issues.map((i) => [i.sku, i.field, i.value]), [
        ["SKU-NEW", "catalog.unit_cost", "Infinity"],
        ["(unreadable)", "sales.sku", "'bad sku!'"],
      ]);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(base.dir, { recursive: true });
  }
});

Deno.test("deno task daily succeeds on a store holding units of 2^63 - 1 and says which SKU it kept", async () => {
  const base = await baseStore();
  try {
    const path = planted(
      base.path,
      "cli",
      datedRow("sales", SALES, "units", "9223372036854775807"),
    );
    const r = await runTask("daily", ["--db", path, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = onlyJson(r);
    assert.equal(out.status, "succeeded");
    assert.deepEqual(out.quarantined, { rows: 1, skus: [SKU] });
  } finally {
    await Deno.remove(base.dir, { recursive: true });
  }
});

/** Forged or stray run records, each planted after the first run. */
const FORGED: {
  name: string;
  sql: (last: string, next: string) => string;
  found: RegExp | null;
}[] = [
  {
    name: "a failed event after a success",
    sql: (last) =>
      `INSERT INTO run_events (run_id, event, details) VALUES ('${last}', 'failed', '{"error":"forged"}')`,
    found: /has a 'failed' event \(id \d+\) after it succeeded/,
  },
  {
    name: "a run row of the next date without events",
    sql: (_, next) =>
      `INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash)
         VALUES ('${next}#1', '${next}', 1, 'forged', 'forged')`,
    found: /has a run row but no event/,
  },
  {
    name: "a run of the next date left started without shards",
    sql: (_, next) =>
      `INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash)
         VALUES ('${next}#1', '${next}', 1, 'forged', 'forged');
         INSERT INTO run_events (run_id, event, details) VALUES ('${next}#1', 'started', '{}')`,
    found: /left started without shards/,
  },
  {
    name: "a started event whose details are not JSON",
    sql: (_, next) =>
      `INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash)
         VALUES ('${next}#1', '${next}', 1, 'forged', 'forged');
         INSERT INTO run_events (run_id, event, details) VALUES ('${next}#1', 'started', 'not json')`,
    found: /details that are not a JSON object/,
  },
  {
    name: "a failed run whose id takes the next attempt's",
    sql: (_, next) =>
      `INSERT INTO runs (run_id, run_date, attempt, code_version, config_hash)
         VALUES ('${next}#2', '${next}', 1, 'forged', 'forged');
         INSERT INTO run_events (run_id, event, details) VALUES ('${next}#2', 'failed', '{}')`,
    found: null,
  },
];

Deno.test("a forged or stray run record never blocks later runs; verify reports it", async (t) => {
  const base = await baseStore();
  try {
    const probe = openStore(base.path, { readOnly: true });
    const last = String(
      statement(probe, "SELECT max(run_id) AS id FROM runs").get()!.id,
    );
    probe.close();
    const lastDate = last.slice(0, 10);
    const next = new Date(Date.parse(lastDate) + 86_400_000).toISOString().slice(0, 10);
    for (const forged of FORGED) {
      await t.step(forged.name, () => {
        const db = openStore(planted(base.path, forged.name, forged.sql(last, next)));
        try {
          const reports = runDates(db, {
            days: 2,
            recordActuals: recordSimulatedActuals,
            monitoring: {},
          });
          assert.deepEqual(reports.map((r) => [r.run_date, r.status]), [
            [next, "succeeded"],
            [new Date(Date.parse(next) + 86_400_000).toISOString().slice(0, 10), "succeeded"],
          ]);
          // The date that already succeeded still says so (its success stands).
          assert.equal(
            runDaily(db, { runDate: lastDate, model: null }).status,
            "already_succeeded",
          );
          const findings = verifyStore(db).findings;
          if (forged.found === null) assert.deepEqual(findings, []);
          else {
            assert.ok(findings.length > 0 && findings.every((f) => f.check === "stray_event"));
            assert.ok(
              findings.some((f) => forged.found!.test(f.message)),
              JSON.stringify(findings),
            );
          }
        } finally {
          db.close();
        }
      });
    }
  } finally {
    await Deno.remove(base.dir, { recursive: true });
  }
});
