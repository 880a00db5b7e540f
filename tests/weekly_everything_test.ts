/**
 * Issue 14's "everything else works on weekly stores", on the weekly test store
 * (weeks from Thursday): overrides resolved for the week a run prices and
 * defaulting to the store's next week, the audit trail verifying after several
 * weekly runs and catching a rewritten decision, `deno task export --run`,
 * `replay`, `verify` and `override` on weekly runs, the site built for a weekly
 * store with its pages' data saying the store prices by week, and the health
 * judgement not calling a week-old run stale. (`deno task backtest` runs on a
 * simulated daily market only; it refuses a model from a weekly store.)
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { approveModel } from "../engine/registry/approval.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { championModel } from "../engine/registry/load.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { nextRunDate } from "../engine/pipeline/due.ts";
import { verifyStore } from "../engine/pipeline/verify.ts";
import { importFiles } from "../engine/ingest/import.ts";
import { recordOverride } from "../engine/pricing/override_requests.ts";
import type { DailyReport } from "../engine/pipeline/daily.ts";
import type { Decision } from "../engine/schema/pricing.ts";
import { readDecisions } from "../engine/store/queries.ts";
import { openStore } from "../engine/store/db.ts";
import { toDayNumber, weekdayOf } from "../engine/util/date.ts";
import { healthView } from "../site/lib/views/health.ts";
import { onlyJson, runTask } from "./_run_task.ts";
import { browser, buildSite, open, plainStaticServer, watchedPage } from "./_site.ts";
import { weeklyStore, weeklyStoreFiles } from "./_weekly_store.ts";

const THURSDAY = 3; // weekdayOf: Monday is 0

/** Imports the sales of the week from `date` (a Thursday after the store's 110 weeks). */
async function importWeek(db: DatabaseSync, date: string): Promise<void> {
  const files = weeklyStoreFiles({ weeks: 116 });
  const [header, ...lines] = files["sales.csv"].split("\n");
  const rows = lines.filter((l) => l.includes(`,${date},`));
  assert.equal(rows.length, 12, `the fixture has the week from ${date}`);
  const { report } = await importFiles(db, [{
    file: `sales-${date}.csv`,
    kind: "sales",
    bytes: new TextEncoder().encode(`${header}\n${rows.join("\n")}\n`),
  }], { asOf: "2100-01-01", actor: "test" });
  assert.equal(report.status, "imported", JSON.stringify(report.problems));
}

/** Prices the store's next week with its champion (rule without one), recorded at `at`. */
function runWeek(db: DatabaseSync, at: string | null = null): DailyReport {
  const [report] = runDates(db, {
    model: () => championModel(db),
    monitoring: {},
    clock: () => at,
  });
  assert.equal(
    weekdayOf(toDayNumber(report.run_date)),
    THURSDAY,
    `${report.run_date} starts a week`,
  );
  return report;
}

function decisionOf(db: DatabaseSync, run: DailyReport, sku: string): Decision {
  const found = readDecisions(db, run.run_id).find((d) => d.sku === sku);
  assert.ok(found, `run ${run.run_id} has a decision for ${sku}`);
  return found;
}

async function approvedWeeklyStore(path = ":memory:"): Promise<DatabaseSync> {
  const db = await weeklyStore(path);
  const r = trainCandidate(db, { actor: "test", recordedAt: null });
  approveModel(db, r.version, { actor: "test", reason: "weekly", recordedAt: null });
  return db;
}

Deno.test("a weekly store: an override recorded without a first day starts at the next week, applies to that week's run and the decision says so", async () => {
  const db = await approvedWeeklyStore();
  try {
    const first = runWeek(db);
    assert.equal(first.run_date, "2024-02-15");
    assert.equal(first.strategies.ml, 12);
    // Typed during the week from 2024-02-15, before its sales are in: the next run is 2024-02-22.
    assert.equal(nextRunDate(db), "2024-02-22");
    const freeze = recordOverride(db, {
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: "W003",
      until: "2024-03-07",
      actor: "ops",
      reason: "supplier promotion",
    }, "2099-12-31T23:59:59.000Z");
    assert.equal(freeze.effective_from, "2024-02-22", "the next week's start, not the wall clock");
    const rule = recordOverride(db, {
      kind: "FORCE_RULE_BASED",
      scope: "category",
      target: "cereal",
      from: "2024-02-29",
      until: "2024-03-07",
      actor: "ops",
      reason: "one week by the rules",
    }, null);

    await importWeek(db, "2024-02-15");
    const second = runWeek(db);
    assert.equal(second.run_date, "2024-02-22");
    const frozen = decisionOf(db, second, "W003");
    assert.equal(frozen.strategy, "static");
    assert.equal(frozen.override_id, freeze.id);
    assert.equal(frozen.override_kind, "PRICE_FREEZE");
    assert.deepEqual(frozen.reason_codes, ["OVERRIDE_PRICE_FREEZE"]);
    assert.equal(frozen.price, frozen.previous_price);
    const shelf = db.prepare("SELECT shelf_price FROM sales WHERE sku = 'W003' AND date = ?")
      .get("2024-02-15")!;
    assert.equal(frozen.price, shelf.shelf_price, "the last week's shelf price is kept");
    assert.equal(decisionOf(db, second, "W002").strategy, "ml", "the cereal rule starts next week");

    await importWeek(db, "2024-02-22");
    const third = runWeek(db);
    assert.equal(third.run_date, "2024-02-29");
    for (const d of readDecisions(db, third.run_id)) {
      if (d.sku === "W003") assert.equal(d.override_id, freeze.id);
      else if (Number(d.sku.slice(1)) % 2 === 0) { // W002, W004, ...: cereal
        assert.equal(d.strategy, "rule", `${d.sku} priced by the rules this week`);
        assert.equal(d.override_id, rule.id);
        assert.ok(d.reason_codes.includes("OVERRIDE_FORCE_RULE_BASED"), d.reason_codes.join());
      } else assert.equal(d.strategy, "ml", `${d.sku} (snacks) left to the model`);
    }

    await importWeek(db, "2024-02-29");
    const fourth = runWeek(db);
    assert.equal(fourth.run_date, "2024-03-07");
    assert.equal(fourth.strategies.ml, 12, "both overrides end on their expires_at week");
  } finally {
    db.close();
  }
});

Deno.test("a weekly store: verify passes after four weekly runs and finds a rewritten decision and a rewritten week of sales", async () => {
  const db = await approvedWeeklyStore();
  try {
    const runs: DailyReport[] = [runWeek(db)];
    for (const week of ["2024-02-15", "2024-02-22", "2024-02-29"]) {
      await importWeek(db, week);
      runs.push(runWeek(db));
    }
    assert.deepEqual(runs.map((r) => r.run_date), [
      "2024-02-15",
      "2024-02-22",
      "2024-02-29",
      "2024-03-07",
    ]);
    const clean = verifyStore(db);
    assert.deepEqual(clean.findings, []);
    assert.equal(clean.ok, true);
    assert.equal(clean.checked.links, 4);
    assert.equal(clean.checked.runs, 4);
    assert.equal(clean.checked.snapshots, 48);

    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) {
      db.exec(`DROP TRIGGER ${t.name}`);
    }
    const target = runs[2].run_id;
    db.prepare("UPDATE decisions SET price = round(price * 1.1, 2) WHERE run_id = ? AND sku = ?")
      .run(target, "W005");
    db.prepare("UPDATE sales SET units = units + 5 WHERE sku = ? AND date = ?").run(
      "W007",
      "2024-02-22",
    );
    const report = verifyStore(db);
    assert.equal(report.ok, false);
    const broken = (check: string, pattern: RegExp) =>
      report.findings.some((f) =>
        f.check === check && pattern.test(`${f.table} ${f.key} ${f.message}`)
      );
    assert.ok(broken("trigger", /decisions_no_update/), "the dropped triggers are named");
    assert.ok(
      broken("decisions", new RegExp(target)),
      JSON.stringify(report.findings.filter((f) => f.check !== "trigger")),
    );
    assert.ok(
      broken("input_rows", /sales/),
      JSON.stringify(report.findings.filter((f) => f.check !== "trigger")),
    );
  } finally {
    db.close();
  }
});

Deno.test("deno task export --run, replay, verify and override on a weekly store's runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weekly_everything_" });
  try {
    const path = join(dir, "weekly.db");
    (await approvedWeeklyStore(path)).close();
    const first = await runTask("daily", ["--db", path, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(onlyJson(first).run_date, "2024-02-15");
    const db = openStore(path);
    await importWeek(db, "2024-02-15");
    db.close();
    const second = await runTask("daily", ["--db", path, "--json"]);
    assert.equal(second.code, 0, second.stderr);
    const run = onlyJson(second);
    assert.equal(run.run_date, "2024-02-22");
    const runId = String(run.run_id);

    // The run wrote its week's price file; export re-creates it byte for byte.
    const written = await Deno.readTextFile(join(dir, "exports", "prices-weekly-2024-02-22.csv"));
    const rows = written.trim().split("\n").slice(1);
    assert.equal(rows.length, 12);
    for (const row of rows) assert.equal(row.split(",")[2], "2024-02-22", row);
    const exported = await runTask("export", [
      "--run",
      runId,
      "--db",
      path,
      "--out",
      join(dir, "again"),
      "--json",
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const record = onlyJson(exported);
    assert.equal(record.file, "prices-weekly-2024-02-22.csv");
    assert.equal(await Deno.readTextFile(String(record.path)), written);

    const replay = await runTask("replay", ["--run", runId, "--db", path, "--json"]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.equal(onlyJson(replay).match, true);

    const verified = await runTask("verify", ["--db", path, "--json"]);
    assert.equal(verified.code, 0, verified.stderr);
    const v = onlyJson(verified) as { ok: boolean; checked: { links: number; runs: number } };
    assert.equal(v.ok, true);
    assert.deepEqual([v.checked.links, v.checked.runs], [2, 2]);

    const freeze = await runTask("override", [
      "freeze",
      "--sku",
      "W003",
      "--until",
      "2024-03-14",
      "--by",
      "ops",
      "--reason",
      "promotion",
      "--db",
      path,
      "--json",
    ]);
    assert.equal(freeze.code, 0, freeze.stderr);
    const recorded = onlyJson(freeze).override as { effective_from: string };
    assert.equal(recorded.effective_from, "2024-02-29", "the store's next week");
    assert.match(freeze.stderr, /on run dates 2024-02-29 up to 2024-03-14/);

    // The backtest's simulated market is daily: it refuses a weekly store's model.
    const read = openStore(path, { readOnly: true });
    const version = championModel(read)?.version;
    read.close();
    assert.ok(version);
    const backtest = await runTask("backtest", [
      "--model",
      version,
      "--db",
      path,
      "--skus",
      "2",
      "--days",
      "1",
      "--workers",
      "1",
      "--out",
      join(dir, "backtest"),
      "--json",
    ]);
    assert.equal(backtest.code, 2, backtest.stderr);
    assert.match(
      String(onlyJson(backtest).error),
      /the store prices by week \(from thursday\) and the backtest's simulated market is daily/,
    );
    assert.equal(await Deno.stat(join(dir, "backtest")).catch(() => null), null, "no report");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a weekly store's health: the next run date is the next week's start, and a run is stale after a week, not after 36 hours", async () => {
  const db = await approvedWeeklyStore();
  try {
    runWeek(db, "2024-02-14T06:00:00.000Z");
    await importWeek(db, "2024-02-15");
    runWeek(db, "2024-02-21T06:00:00.000Z");
    const stale = (now: string) =>
      healthView(db, { now }).problems.filter((p) => /no successful run/.test(p.message));
    const h = healthView(db, { now: "2024-02-26T06:00:00.000Z" });
    assert.equal(h.next_run_date, "2024-02-29");
    assert.deepEqual(h.period, { kind: "week", week_start: "thursday", days: 7 });
    assert.equal(h.last_success?.run_id, "2024-02-22#1");
    assert.deepEqual(stale("2024-02-26T06:00:00.000Z"), [], "five days after a weekly run");
    assert.deepEqual(stale("2024-02-28T17:00:00.000Z").map((p) => p.message), []);
    assert.deepEqual(stale("2024-02-29T06:00:00.000Z").map((p) => p.message), [
      "no successful run for 192 hours (last: 2024-02-22#1)",
    ]);
  } finally {
    db.close();
  }
});

/** The JSON a site data loader wrote into the build (`_file/data/NAME.<hash>.json`). */
async function builtData(dist: string, name: string): Promise<Record<string, unknown>> {
  const dir = join(dist, "_file", "data", ...name.split("/").slice(0, -1));
  const base = name.split("/").at(-1)!;
  for await (const e of Deno.readDir(dir)) {
    if (e.name.startsWith(`${base}.`) && e.name.endsWith(".json")) {
      return JSON.parse(await Deno.readTextFile(join(dir, e.name)));
    }
  }
  throw new Error(`the build has no data file ${name} in ${dir}`);
}

Deno.test("the site builds for a weekly store, its data and pages say the store prices by week and name the next week", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weekly_site_" });
  try {
    const path = join(dir, "weekly.db");
    const db = await approvedWeeklyStore(path);
    runWeek(db);
    await importWeek(db, "2024-02-15");
    runWeek(db);
    const freeze = recordOverride(db, {
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: "W003",
      until: "2024-03-14",
      actor: "ops",
      reason: "promotion",
    }, null);
    db.close();
    const dist = join(dir, "dist");
    await buildSite(path, dist);

    const week = { kind: "week", week_start: "thursday", days: 7 };
    const health = await builtData(dist, "health");
    assert.equal(health.next_run_date, "2024-02-29");
    assert.deepEqual(health.period, week);
    const overrides = await builtData(dist, "overrides") as {
      next_run_date: string;
      period: unknown;
      overrides: { id: number; effective_from: string; applies_next_run: boolean }[];
    };
    assert.equal(overrides.next_run_date, "2024-02-29");
    assert.deepEqual(overrides.period, week);
    assert.deepEqual(
      overrides.overrides.map((o) => [o.id, o.effective_from, o.applies_next_run]),
      [[freeze.id, "2024-02-29", true]],
    );
    const sku = await builtData(dist, "sku/W003") as {
      period: unknown;
      days: { date: string }[];
    };
    assert.deepEqual(sku.period, week);
    assert.ok(sku.days.length >= 16);
    for (const d of sku.days) assert.equal(weekdayOf(toDayNumber(d.date)), THURSDAY, d.date);
    const forecast = await builtData(dist, "forecast") as {
      period: unknown;
      daily: { date: string }[];
    };
    assert.deepEqual(forecast.period, week);
    assert.deepEqual([...new Set(forecast.daily.map((d) => d.date))], ["2024-02-15"]);

    // The pages, read in chromium: no error, and the period in words.
    const server = plainStaticServer(dist);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const context = await browser(join(dir, "profile"));
    try {
      const { page, problems } = await watchedPage(context, base);
      const text = async (file: string) => {
        await open(page, base, file);
        return await page.locator("main").innerText();
      };
      assert.match(
        await text("index.html"),
        /The store prices by week \(weeks from Thursday\); the next run prices the week from 2024-02-29\./,
      );
      assert.match(
        await text("controls.html"),
        /1 apply to the next run \(the week from 2024-02-29; the store prices by week \(weeks from Thursday\)\)/,
      );
      const skuPage = await text("sku/W003.html");
      assert.match(skuPage, /% change a week/);
      assert.match(
        skuPage,
        /\d+ weeks from \d{4}-\d{2}-\d{2}, 2 decisions; the store prices by week/,
      );
      assert.match(await text("forecast.html"), /Expected vs sold units per week/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
