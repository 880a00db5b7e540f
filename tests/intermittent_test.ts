import assert from "node:assert/strict";
import { openStore } from "../engine/store/db.ts";
import { evaluateStore } from "../engine/registry/evaluate.ts";
import { approveModel } from "../engine/registry/approval.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { writeSimulatedStore } from "../sim/store.ts";
import { loadScenario } from "../sim/scenario.ts";
import { championModel } from "../engine/registry/load.ts";
import { buildSnapshots } from "../engine/features/snapshot.ts";
import { loadFeatureInputs } from "../engine/features/inputs.ts";
import type { FeatureSnapshot } from "../engine/schema/features.ts";
import { appendSales } from "../engine/store/write/inputs.ts";
import { latestSalesDate, readSales } from "../engine/store/queries.ts";
import { transaction } from "../engine/store/writer.ts";
import { addDays } from "../engine/util/date.ts";

Deno.test("on intermittent, lumpy demand the gbdt trains with the Tweedie loss, is approved against naive, and forecasts better than naive", async () => {
  const db = openStore(":memory:");
  writeSimulatedStore(db, {
    scenario: await loadScenario("intermittent"),
    seed: 3,
    skus: 60,
    historyDays: 420,
  });
  const zeros = Number(db.prepare("SELECT avg(units = 0) AS z FROM sales").get()?.z);
  assert.ok(zeros > 0.7, `most days sell nothing (${zeros})`);
  const r = trainCandidate(db, { actor: "test", recordedAt: null });
  const record = db.prepare("SELECT params FROM models WHERE version = ?").get(r.version);
  const params = JSON.parse(String(record?.params));
  assert.equal(params.loss, "tweedie");
  assert.equal(params.demand, "intermittent");
  assert.ok(
    r.metrics.candidate.wape < r.metrics.seasonal_naive.wape,
    `holdout WAPE ${r.metrics.candidate.wape} vs naive ${r.metrics.seasonal_naive.wape}`,
  );
  approveModel(db, r.version, { actor: "test", reason: "beats naive", recordedAt: null });
  const e = evaluateStore(db, { periods: 14 });
  assert.equal(e.model.version, r.version);
  assert.ok(e.wape.model < e.wape.naive, `rolling WAPE ${e.wape.model} vs naive ${e.wape.naive}`);
  db.close();
});

Deno.test("one large order does not set a SKU's level: the approved model's next forecast rises by less than a 28-day mean would", async () => {
  const db = openStore(":memory:");
  writeSimulatedStore(db, {
    scenario: await loadScenario("intermittent"),
    seed: 3,
    skus: 60,
    historyDays: 420,
  });
  const r = trainCandidate(db, { actor: "test", recordedAt: null });
  approveModel(db, r.version, { actor: "test", reason: "beats naive", recordedAt: null });
  const model = championModel(db)!;
  const last = latestSalesDate(db)!;
  const runDate = addDays(last, 1);
  const snapshots = () =>
    new Map(buildSnapshots(loadFeatureInputs(db, runDate)).snapshots.map((s) => [s.sku, s]));
  const forecast = (s: FeatureSnapshot) => model.predict(s, [s.last_price])[0];
  const before = snapshots();

  // The day before the run, every SKU sells 50 times its 90-day daily mean in one order.
  const day = readSales(db, last, runDate);
  assert.equal(day.length, before.size);
  const orders = day.map((row) => {
    const units = Math.max(1, Math.round((50 * before.get(row.sku)!.features.units_90) / 90));
    return {
      ...row,
      units,
      revenue: Math.round(units * row.shelf_price * 100) / 100,
      reason: "test: one large order",
    };
  });
  transaction(db, () => appendSales(db, orders));
  const after = snapshots();

  let rise = 0, spread = 0;
  for (const [i, o] of orders.entries()) {
    const s0 = before.get(o.sku)!.features, s1 = after.get(o.sku)!.features;
    assert.equal(s1.units_7 - s0.units_7, o.units - day[i].units, `${o.sku}: the order is seen`);
    // What a level of the 28-day mean would gain: the order's extra units over 28 days.
    const mean28 = (o.units - day[i].units) / 28;
    const f0 = forecast(s0), f1 = forecast(s1);
    assert.ok(Number.isFinite(f0) && Number.isFinite(f1), o.sku);
    // Measured at most 0.65 of it (seed 3, 60 SKUs): the bound leaves room, no more.
    assert.ok(
      f1 - f0 <= mean28,
      `${o.sku}: an order of ${o.units} units moved the forecast ${f0} -> ${f1}, more than ` +
        `the 28-day mean's ${mean28.toFixed(3)} a day`,
    );
    rise += f1 - f0;
    spread += mean28;
  }
  // Over all SKUs the forecasts rise by at most a tenth of it (measured 2.3%).
  assert.ok(rise <= 0.1 * spread, `forecasts rose ${rise} units a day, 28-day means ${spread}`);
  db.close();
});
