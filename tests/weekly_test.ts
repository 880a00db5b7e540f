import assert from "node:assert/strict";
import { join } from "node:path";
import { approveModel } from "../engine/registry/approval.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { championModel } from "../engine/registry/load.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { runDaily } from "../engine/pipeline/daily.ts";
import { dueRun, nextRunDate } from "../engine/pipeline/due.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { modelOfVersion } from "../engine/registry/load.ts";
import { importFiles } from "../engine/ingest/import.ts";
import { readDecisions, readForecastAccuracy, readSnapshots } from "../engine/store/queries.ts";
import { onlyJson, runTask } from "./_run_task.ts";
import { weeklyStore, weeklyStoreFiles } from "./_weekly_store.ts";

const LAST_WEEK = "2024-02-08"; // the 110th Thursday from 2022-01-06

Deno.test("a weekly store prices the week after its latest week with sales, features counting weeks", async () => {
  const db = await weeklyStore();
  assert.equal(nextRunDate(db), "2024-02-15");
  const [report] = runDates(db, { preconditions: {}, monitoring: {} });
  assert.equal(report.run_date, "2024-02-15");
  assert.equal(report.strategies.rule, 12); // no approved model yet
  const [s] = readSnapshots(db, "2024-02-15").map((x) => x.features);
  assert.equal(s.period_days, 7);
  assert.equal(s.last_sales_date, LAST_WEEK);
  // units_7 holds the last week's units, units_28 four weeks', history_days counts weeks
  const sales = db.prepare(
    "SELECT units FROM sales WHERE sku = ? AND date >= '2024-01-18' ORDER BY date",
  ).all(s.sku).map((r) => Number(r.units));
  assert.equal(s.units_7, sales.at(-1));
  assert.equal(s.units_28, sales.reduce((a, b) => a + b, 0));
  assert.equal(s.history_days, 104); // the 104-week window
  assert.deepEqual(s.dow_profile, [1, 1, 1, 1, 1, 1, 1]);
  assert.ok(s.elasticity_raw !== null, "weekly rows identify an elasticity (no weekday dummies)");
  assert.ok(Math.abs(s.elasticity + 2) < 0.5, `elasticity ${s.elasticity} near the true -2`);
  db.close();
});

Deno.test("a weekly store refuses to price a date that starts no week, naming the week's start", async () => {
  const db = await weeklyStore();
  assert.throws(
    () => runDaily(db, { runDate: "2024-02-16", model: null }),
    /prices by week \(from thursday\) and 2024-02-16 starts no week; the week holding it starts on 2024-02-15/,
  );
  db.close();
});

Deno.test("a weekly store's next week is due once the week before it is in, and nothing is due until then", async () => {
  const db = await weeklyStore();
  assert.deepEqual(dueRun(db, { asOf: "2024-02-14" }).run_date, "2024-02-15");
  runDates(db, {});
  const waiting = dueRun(db, { asOf: "2024-02-20" });
  assert.equal(waiting.due, false);
  assert.equal(waiting.run_date, "2024-02-22");
  assert.match(waiting.reason!, /sales of the week from 2024-02-15 are in/);
  // The week from 2024-02-15 arrives: the next week is due on the day that week ends.
  const files = weeklyStoreFiles({ weeks: 111 });
  const lastWeek = files["sales.csv"].split("\n").filter((l) => l.includes(",2024-02-15,"));
  await importFiles(db, [{
    file: "sales-2024-02-15.csv",
    kind: "sales",
    bytes: new TextEncoder().encode(
      `${files["sales.csv"].split("\n")[0]}\n${lastWeek.join("\n")}\n`,
    ),
  }], { asOf: "2100-01-01", actor: "test" });
  assert.equal(dueRun(db, { asOf: "2024-02-20" }).due, false, "the week has not ended");
  assert.deepEqual(dueRun(db, { asOf: "2024-02-21" }), {
    due: true,
    run_date: "2024-02-22",
    period: "week",
    reason: null,
  });
  db.close();
});

Deno.test("deno task daily on a weekly store prices the next week, then reports nothing_due with exit 0", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weekly_daily_" });
  try {
    const path = join(dir, "weekly.db");
    (await weeklyStore(path)).close();
    const first = await runTask("daily", ["--db", path, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(onlyJson(first).run_date, "2024-02-15");
    const again = await runTask("daily", ["--db", path, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    const json = onlyJson(again);
    assert.equal(json.status, "nothing_due");
    assert.equal(json.run_date, "2024-02-22");
    assert.match(String(json.reason), /week from 2024-02-15/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a weekly store's import refuses rows not dated on the week's first day, and point-of-sale lines", async () => {
  const db = await weeklyStore(":memory:", { weeks: 30 });
  const text = (s: string) => new TextEncoder().encode(s);
  const { report } = await importFiles(db, [{
    file: "late.csv",
    kind: "sales",
    bytes: text("sku,date,units,revenue,shelf_price\nW001,2022-08-05,3,6,2\n"),
  }], { asOf: "2100-01-01", actor: "test" });
  assert.equal(report.status, "rejected");
  assert.equal(report.problems.first[0].rule, "not_period_start");
  assert.match(report.problems.first[0].message, /thursday\): 2022-08-04 for this week/);
  await assert.rejects(
    importFiles(db, [{
      file: "pos.csv",
      kind: "transactions",
      bytes: text("sku,timestamp,quantity,unit_price\nW001,2022-08-05,1,2\n"),
    }], { asOf: "2100-01-01", actor: "test" }),
    /Cannot import point-of-sale lines into a weekly store/,
  );
  db.close();
});

Deno.test("a weekly store trains on weeks, prices with an approved model within the weekly change, monitors, replays", async () => {
  const db = await weeklyStore();
  const r = trainCandidate(db, { actor: "test", recordedAt: null });
  assert.equal(r.metrics.holdout_from, "2023-12-21"); // 8 weeks held out
  assert.ok(r.metrics.holdout_rows > 80 && r.metrics.holdout_rows <= 96); // promotion weeks out
  assert.ok(r.metrics.candidate.wape < r.metrics.seasonal_naive.wape, JSON.stringify(r.metrics));
  assert.ok((r.metrics.candidate.price_response?.moves ?? 0) > 0);
  approveModel(db, r.version, { actor: "test", reason: "weekly", recordedAt: null });
  const [week] = runDates(db, { model: () => championModel(db), monitoring: {} });
  assert.equal(week.strategies.ml, 12);
  for (const d of readDecisions(db, week.run_id)) {
    assert.ok(
      Math.abs(d.price / d.previous_price - 1) <= 0.15 + 1e-9,
      `${d.sku}: ${d.previous_price} -> ${d.price} moves more than 15% in a week`,
    );
  }
  assert.equal(week.data_quality?.issues ?? 0, 12, "stale inventory only (the store tracks none)");
  assert.equal(replayRun(db, week.run_id, (v) => modelOfVersion(db, v)).match, true);
  // The week's actuals arrive; the next week's monitoring scores the first week's forecasts.
  const files = weeklyStoreFiles({ weeks: 111 });
  const header = files["sales.csv"].split("\n")[0];
  const rows = files["sales.csv"].split("\n").filter((l) => l.includes(",2024-02-15,"));
  await importFiles(db, [{
    file: "week.csv",
    kind: "sales",
    bytes: new TextEncoder().encode(`${header}\n${rows.join("\n")}\n`),
  }], { asOf: "2100-01-01", actor: "test" });
  const [next] = runDates(db, { model: () => championModel(db), monitoring: {} });
  assert.equal(next.run_date, "2024-02-22");
  assert.ok(readForecastAccuracy(db, next.run_id).length > 0);
  db.close();
});
