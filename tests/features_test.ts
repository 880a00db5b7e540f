import assert from "node:assert/strict";
import { buildSnapshots } from "../engine/features/snapshot.ts";
import { loadFeatureInputs } from "../engine/features/inputs.ts";
import { appendCompetitorPrices, appendInventory, appendSales } from "../engine/store/writer.ts";
import { addDays } from "../engine/util/date.ts";
import { canonicalJson } from "../engine/util/hash.ts";
import { skuIndexOf, skuTruth } from "../sim/market.ts";
import { storeMarket } from "../sim/store.ts";
import { simulatedStore } from "./_stores.ts";

Deno.test("buildSnapshots() ignores every input dated on or after the run date", async () => {
  const { db } = await simulatedStore({ skus: 40, days: 150, seed: 3 });
  const runDate = addDays("2024-01-01", 120);
  const before = canonicalJson(buildSnapshots(loadFeatureInputs(db, runDate)).snapshots);
  // Inputs on the run date and later, including corrections of earlier-looking keys.
  for (const date of [runDate, addDays(runDate, 1), addDays(runDate, 20)]) {
    appendSales(db, [{
      sku: "SKU-00001",
      date,
      units: 999,
      revenue: 999,
      shelf_price: 1,
      promo: true,
    }]);
    appendInventory(db, [{
      sku: "SKU-00001",
      date,
      on_hand: 0,
      on_order: 0,
      next_receipt_date: null,
    }]);
    appendCompetitorPrices(db, [{ sku: "SKU-00002", date, competitor_price: 0.01 }]);
  }
  const after = canonicalJson(buildSnapshots(loadFeatureInputs(db, runDate)).snapshots);
  assert.equal(after, before);
  // The same kind of change dated the day before does move the snapshot: the test can fail.
  appendSales(db, [{
    sku: "SKU-00001",
    date: addDays(runDate, -1),
    units: 999,
    revenue: 999,
    shelf_price: 1,
    promo: true,
    reason: "correction",
  }]);
  const moved = canonicalJson(buildSnapshots(loadFeatureInputs(db, runDate)).snapshots);
  assert.notEqual(moved, before);
});

Deno.test("buildSnapshots() gives identical bytes and snapshot ids for identical inputs", async () => {
  const a = await simulatedStore({ skus: 30, days: 120, seed: 5 });
  const b = await simulatedStore({ skus: 30, days: 120, seed: 5 });
  const runDate = addDays("2024-01-01", 120);
  const sa = buildSnapshots(loadFeatureInputs(a.db, runDate)).snapshots;
  const sb = buildSnapshots(loadFeatureInputs(b.db, runDate)).snapshots;
  assert.ok(sa.length > 20, `${sa.length} snapshots`);
  assert.equal(canonicalJson(sa), canonicalJson(sb));
  assert.deepEqual(sa.map((s) => s.snapshot_id), sb.map((s) => s.snapshot_id));
});

Deno.test("buildSnapshots() estimates elasticities weekly: one week's runs share them, the next week's move", async () => {
  const { db } = await simulatedStore({ skus: 30, days: 150, seed: 4 });
  const elasticities = (runDate: string) =>
    buildSnapshots(loadFeatureInputs(db, runDate, { historyDays: 90 })).snapshots.map((s) => [
      s.features.elasticity_as_of,
      s.features.elasticity_raw,
      s.features.elasticity,
    ]);
  // 2024-05-06 is a Monday: runs from it to Sunday 2024-05-12 are all as of Sunday 2024-05-05.
  const week = Array.from({ length: 7 }, (_, i) => elasticities(addDays("2024-05-06", i)));
  assert.equal(week[0][0][0], "2024-05-05");
  for (const day of week) assert.deepEqual(day, week[0]);
  const next = elasticities("2024-05-13");
  assert.equal(next[0][0], "2024-05-12");
  assert.ok(
    next.some((e, i) => e[1] !== week[0][i][1]),
    "the next week's window moves some SKU's own estimate",
  );
});

Deno.test("buildSnapshots() recovers true elasticities on a simulated store of 240 SKUs", async () => {
  const { db } = await simulatedStore({ skus: 240, days: 730, seed: 23 });
  const runDate = addDays("2024-01-01", 730);
  const { snapshots } = buildSnapshots(loadFeatureInputs(db, runDate));
  const market = storeMarket(db)!;
  const est = snapshots.map((s) => s.features.elasticity);
  const truth = snapshots.map((s) => skuTruth(market, skuIndexOf(market, s.sku)).elasticity);
  const errors = est.map((e, i) => Math.abs(e - truth[i])).sort((x, y) => x - y);
  const median = errors[Math.floor(errors.length / 2)];
  const rho = spearman(est, truth);
  assert.ok(snapshots.length >= 200, `${snapshots.length} SKUs`);
  assert.ok(median <= 0.3, `median absolute error ${median.toFixed(3)} > 0.3`);
  assert.ok(rho >= 0.8, `Spearman ${rho.toFixed(3)} < 0.8`);
  for (const s of snapshots) assert.ok(s.features.elasticity_se > 0);
});

function spearman(x: number[], y: number[]): number {
  const rank = (a: number[]) => {
    const order = a.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(a.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const rx = rank(x), ry = rank(y);
  const n = x.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (rx[i] - ry[i]) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}
