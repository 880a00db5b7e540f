/**
 * The monitoring stage's bounded reads against whole-store reads: the streamed
 * forecast pairs equal `readForecastPairs`, and the evidence `monitorEvidence`
 * gathers (windowed sales, competitor prices and inventory, the catalog's last
 * records) judges a run exactly as evidence read from every row would, through
 * late actuals and corrections; rows planted with values the checks refuse are
 * skipped, never thrown.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { openStore } from "../engine/store/db.ts";
import { runDaily } from "../engine/pipeline/daily.ts";
import { type MonitorContext, monitorEvidence } from "../engine/pipeline/monitor.ts";
import { assessRun, type MonitorEvidence } from "../engine/monitoring/assess.ts";
import { cachedForecastPairs } from "../engine/store/incremental/forecast_pairs.ts";
import {
  iterateForecastPairs,
  latestSalesDate,
  readCatalogBefore,
  readCatalogHistory,
  readCompetitorPrices,
  readForecastPairs,
  readInventory,
  readSales,
} from "../engine/store/queries.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  appendSales,
  transaction,
} from "../engine/store/writer.ts";
import { historyBehind, syncHistory } from "../engine/store/history/mod.ts";
import { addDays } from "../engine/util/date.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { simulatedStore } from "./_stores.ts";

/** Writes rows with the write-time checks bypassed, as a broken loader might. */
function plant(db: DatabaseSync, sql: string): void {
  db.exec("PRAGMA ignore_check_constraints = 1");
  try {
    db.exec(sql);
  } finally {
    db.exec("PRAGMA ignore_check_constraints = 0");
  }
}

/** The evidence as the whole-store readers give it (the stage's reads before they were windowed). */
function wholeStoreEvidence(db: DatabaseSync, ctx: MonitorContext): MonitorEvidence {
  const e = monitorEvidence(db, ctx);
  const { runDate } = ctx;
  const previous = e.quality.previousDate!;
  const latestInventory = new Map(
    readInventory(db, addDays(previous, -60), runDate).map((r) => [r.sku, r]),
  );
  return {
    ...e,
    pairs: readForecastPairs(db, addDays(runDate, -30), runDate),
    catalog: readCatalogHistory(db, runDate),
    quality: {
      previousDate: previous,
      sales: readSales(db, previous, runDate),
      inventory: [...latestInventory.values()],
      competitor: readCompetitorPrices(db, previous, runDate),
      competitorTracked: [
        ...new Set(readCompetitorPrices(db, addDays(previous, -7), previous).map((c) => c.sku)),
      ],
    },
  };
}

/** Evidence with its pairs read into a list (they stream once otherwise). */
const settled = (e: MonitorEvidence): MonitorEvidence => ({ ...e, pairs: [...e.pairs] });

Deno.test("iterateForecastPairs() and cachedForecastPairs() equal readForecastPairs() across runs, late actuals, corrections and a rollback, and skip a planted bad row", async () => {
  const { db, dir, path } = await simulatedStore({ skus: 12, days: 90, seed: 7 });
  try {
    const first = addDays(latestSalesDate(db)!, 1);
    // The pairs kept in the store, read by a fresh connection (as the next day's process
    // reads them), then kept and read again through this one.
    const kept = (from: string, to: string) => {
      const fresh = openStore(path);
      try {
        return [...cachedForecastPairs(fresh, from, to, { keep: true })];
      } finally {
        fresh.close();
      }
    };
    // Read from the input tables while the history blocks are behind, from the blocks once synced.
    // The pairs kept per connection equal them throughout.
    const same = (from: string, to: string) => {
      const streamed = [...iterateForecastPairs(db, from, to)];
      assert.deepEqual(streamed, readForecastPairs(db, from, to));
      assert.deepEqual([...cachedForecastPairs(db, from, to)], streamed);
      if (!db.isTransaction) {
        assert.deepEqual(kept(from, to), streamed);
        assert.deepEqual(kept(from, to), streamed);
      }
      if (historyBehind(db)) {
        syncHistory(db);
        assert.deepEqual([...iterateForecastPairs(db, from, to)], streamed);
      }
      return streamed;
    };
    for (let i = 0; i < 6; i++) {
      const runDate = addDays(first, i);
      runDaily(db, {
        runDate,
        model: null,
        recordActuals: recordSimulatedActuals,
        recordedAt: null,
      });
      // Each day's pairs appear once the next run records that day's actuals.
      assert.equal(same(first, addDays(runDate, 1)).length, 12 * i);
    }
    const day = addDays(first, 2);
    const find = (pairs: { date: string; sku: string }[]) =>
      pairs.find((p) => p.date === day && p.sku === "SKU-00003")!;
    const before = find(same(first, addDays(first, 6))) as ReturnType<typeof find> & {
      actual: number;
      censored: boolean;
    };
    assert.equal(historyBehind(db), false);
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
    const corrected = same(first, addDays(first, 6));
    assert.deepEqual(find(corrected), {
      ...before,
      actual: before.actual + 40,
      promo: true,
      censored: !before.censored,
    });
    // Pairs read inside a transaction that rolls back are forgotten with it.
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
    same(first, addDays(first, 6));
    // Later rows that fail their checks: skipped, the corrections above stand.
    plant(
      db,
      `INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
       VALUES ('SKU-00003', '${day}', 9223372036854775807, 0, 5, 2.5, 0, 'observed');
       INSERT INTO inventory (sku, date, on_hand, on_order, next_receipt_date, reason)
       VALUES ('SKU-00003', '${day}', -1, 0, NULL, 'observed')`,
    );
    assert.deepEqual([...iterateForecastPairs(db, first, addDays(first, 6))], corrected);
    assert.deepEqual([...cachedForecastPairs(db, first, addDays(first, 6))], corrected);
    assert.deepEqual(kept(first, addDays(first, 6)), corrected);
    const stored = Number(
      db.prepare("SELECT count(*) AS n FROM forecast_pair_days").get()!.n,
    );
    assert.equal(stored, 5, "each day with pairs is kept once");
    assert.equal(syncHistory(db).quarantined.length, 2);
    assert.deepEqual([...iterateForecastPairs(db, first, addDays(first, 6))], corrected);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("monitorEvidence() judges a run as whole-store reads do, through late actuals and corrections, and skips planted bad rows", async () => {
  const { db, dir } = await simulatedStore({ skus: 12, days: 120, seed: 7 });
  try {
    const first = addDays(latestSalesDate(db)!, 1);
    for (let i = 0; i < 9; i++) {
      runDaily(db, {
        runDate: addDays(first, i),
        model: null,
        recordActuals: recordSimulatedActuals,
        recordedAt: null,
        monitoring: {},
      });
    }
    const runDate = addDays(first, 8); // the last run: its previous day's actuals are in
    const previous = addDays(runDate, -1);
    // Late actuals and corrections: sales and stock of earlier days, yesterday's competitor
    // price and shelf price, and a cost jump effective yesterday.
    const terms = readCatalogBefore(db, runDate);
    const yesterday = readSales(db, previous, runDate);
    appendSales(db, [
      ...readSales(db, addDays(runDate, -4), addDays(runDate, -3)).slice(0, 3).map((s) => ({
        ...s,
        units: s.units + 9,
        reason: "late scan",
      })),
      {
        ...yesterday[1],
        shelf_price: Math.round(terms[1].ceiling_price * 150) / 100,
        promo: false,
        reason: "rescan",
      },
    ]);
    appendInventory(
      db,
      readInventory(db, addDays(runDate, -2), previous).slice(2, 6).map((r) => ({
        ...r,
        on_hand: r.on_hand === 0 ? 3 : 0,
        reason: "recount",
      })),
    );
    appendCompetitorPrices(
      db,
      readCompetitorPrices(db, previous, runDate).slice(0, 2).map((c) => ({
        ...c,
        competitor_price: c.competitor_price * 2,
        reason: "recheck",
      })),
    );
    appendCatalog(db, [{
      ...terms[4],
      effective_date: addDays(previous, -3),
      unit_cost: Math.round(terms[4].unit_cost * 110) / 100,
      reason: "supplier price list",
    }, {
      ...terms[4],
      effective_date: previous,
      unit_cost: Math.round(terms[4].unit_cost * 150) / 100,
      reason: "supplier price list",
    }]);
    const ctx: MonitorContext = {
      runId: `${runDate}#1`,
      runDate,
      snapshots: [],
      decisions: [],
      modelVersion: null,
      recordedAt: null,
    };
    const windowed = settled(monitorEvidence(db, ctx));
    const whole = wholeStoreEvidence(db, ctx);
    assert.deepEqual(windowed.pairs, whole.pairs);
    assert.deepEqual(windowed.quality, whole.quality);
    const plan = assessRun(windowed);
    assert.deepEqual(plan, assessRun(whole));
    const checks = new Set(plan.issues.map((i) => i.check));
    for (const check of ["PRICE_OUTSIDE_GUARDRAILS", "COST_JUMP"]) {
      assert.ok(checks.has(check as never), `${check} in ${[...checks]}`);
    }
    assert.ok((plan.accuracy[0].n ?? 0) > 0);

    // Rows that fail their checks, recorded after the good ones, in every window read.
    const sku = yesterday[0].sku;
    plant(
      db,
      `INSERT INTO sales (sku, date, units, returned_units, revenue, shelf_price, promo, reason)
       VALUES ('${sku}', '${previous}', 3, 0, 1e999, 2.5, 0, 'observed'),
              ('${sku}', '${addDays(runDate, -5)}', 9223372036854775807, 0, 1, 2.5, 0, 'x'),
              ('${sku}', '${previous.replace("-0", "-")}', 3, 0, 1, 2.5, 0, 'observed');
       INSERT INTO inventory (sku, date, on_hand, on_order, next_receipt_date, reason)
       VALUES ('${sku}', '${previous}', -4, 0, NULL, 'observed'),
              ('${sku}', '${addDays(runDate, -5)}', 9223372036854775807, 0, NULL, 'observed');
       INSERT INTO competitor_prices (sku, date, competitor_price, reason)
       VALUES ('${sku}', '${previous}', 0, 'observed'),
              ('NOT A SKU', '${addDays(previous, -3)}', 2.5, 'observed')`,
    );
    // Read from the input tables (the history blocks are behind), then from the synced blocks.
    for (const behind of [true, false]) {
      assert.equal(historyBehind(db), behind);
      const planted = settled(monitorEvidence(db, ctx));
      assert.deepEqual(planted, windowed);
      assert.deepEqual(assessRun(planted), plan);
      syncHistory(db);
    }
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
