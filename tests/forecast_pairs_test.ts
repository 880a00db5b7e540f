import assert from "node:assert/strict";
import { runDaily } from "../engine/pipeline/daily.ts";
import { cachedForecastPairs } from "../engine/store/incremental/forecast_pairs.ts";
import { latestSalesDate, readForecastPairs } from "../engine/store/queries.ts";
import { appendInventory, appendSales, transaction } from "../engine/store/writer.ts";
import { addDays } from "../engine/util/date.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { simulatedStore } from "./_stores.ts";

Deno.test("cachedForecastPairs() equals readForecastPairs() across runs, late actuals, corrections and a rollback", async () => {
  const { db } = await simulatedStore({ skus: 12, days: 90, seed: 7 });
  const first = addDays(latestSalesDate(db)!, 1);
  const same = (from: string, to: string) => {
    const cached = cachedForecastPairs(db, from, to);
    assert.deepEqual(cached, readForecastPairs(db, from, to));
    return cached;
  };
  for (let i = 0; i < 6; i++) {
    const runDate = addDays(first, i);
    runDaily(db, { runDate, model: null, recordActuals: recordSimulatedActuals, recordedAt: null });
    // Each day's pairs appear once the next run records that day's actuals.
    assert.equal(same(first, addDays(runDate, 1)).length, 12 * i);
  }
  const day = addDays(first, 2);
  const before = same(first, addDays(first, 6)).find((p) =>
    p.date === day && p.sku === "SKU-00003"
  )!;
  appendSales(db, [{
    sku: "SKU-00003",
    date: day,
    units: before.actual + 40,
    revenue: 100,
    shelf_price: 2.5,
    promo: true,
    reason: "late scan",
  }]);
  appendInventory(db, [{
    sku: "SKU-00003",
    date: day,
    on_hand: before.censored ? 5 : 0,
    on_order: 0,
    next_receipt_date: null,
    reason: "recount",
  }]);
  const after = same(first, addDays(first, 6)).find((p) =>
    p.date === day && p.sku === "SKU-00003"
  )!;
  assert.equal(after.actual, before.actual + 40);
  assert.equal(after.promo, true);
  assert.equal(after.censored, !before.censored);
  // Rows read inside a transaction that rolls back are forgotten with it.
  assert.throws(() =>
    transaction(db, () => {
      appendSales(db, [{
        sku: "SKU-00004",
        date: day,
        units: 999,
        revenue: 999,
        shelf_price: 1,
        promo: false,
        reason: "typo",
      }]);
      same(first, addDays(first, 6));
      throw new Error("boom");
    }), /boom/);
  same(first, addDays(first, 6));
  same(addDays(first, 1), addDays(first, 4));
});
