/**
 * Monitoring end to end on small seeded demo stores: drift alerts fire soon
 * after a regime shift and not before it, stay rare in a stable market, a
 * retrained candidate waits for approval before it prices anything, and bad
 * inputs planted in a store are reported with SKU, field and value.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openStore } from "../engine/store/db.ts";
import {
  latestSalesDate,
  readAlerts,
  readCatalogBefore,
  readCompetitorPrices,
  readDataQualityIssues,
  readDecisions,
  readInventory,
  readModels,
  readRetrainRequests,
  readSales,
} from "../engine/store/queries.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  appendSales,
  transaction,
} from "../engine/store/writer.ts";
import { type DailyReport, runDaily } from "../engine/pipeline/daily.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { approveModel } from "../engine/registry/approval.ts";
import { championModel } from "../engine/registry/load.ts";
import { fulfilRetrainRequest, monitorDate } from "../engine/pipeline/mod.ts";
import type { MonitorSummary } from "../engine/schema/monitoring.ts";
import { addDays, daysBetween } from "../engine/util/date.ts";
import { createDemoStore } from "../sim/demo.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { simulatedStore } from "./_stores.ts";

const SKUS = 120;
const HISTORY = 400;
const FIRST_RUN = "2025-12-31";
const SHIFT = "2026-01-15";

/** A demo store of `scenario` with 400 days of history ending 2025-12-30 (as the full demo's). */
async function demoStore(scenario: string): Promise<{ db: DatabaseSync; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "monitoring_test_" });
  const spec = JSON.parse(
    await Deno.readTextFile(new URL(`../sim/scenarios/${scenario}.json`, import.meta.url)),
  );
  spec.startDate = addDays("2025-12-30", -(HISTORY - 1));
  const file = join(dir, `${scenario}.json`);
  await Deno.writeTextFile(file, JSON.stringify(spec));
  const db = openStore(join(dir, "pricing.db"));
  await createDemoStore(db, { scenario: file, skus: SKUS, days: HISTORY, seed: 5 });
  return { db, dir };
}

type Summary = DailyReport & MonitorSummary;

function runForward(db: DatabaseSync, from: string, days: number): Summary[] {
  return runDates(db, {
    from,
    days,
    recordActuals: recordSimulatedActuals,
    monitoring: {},
  }) as Summary[];
}

const driftAlerts = (db: DatabaseSync) =>
  readAlerts(db).filter((a) => a.type === "FEATURE_DRIFT" || a.type === "FORECAST_DRIFT");

Deno.test("monitoring on regime-shift: drift fires within 10 days after the shift and not before; a retrained candidate waits for approval", async () => {
  const { db, dir } = await demoStore("regime-shift");
  try {
    const champion = championModel(db)!.version;
    const runs = runForward(db, FIRST_RUN, daysBetween(FIRST_RUN, SHIFT) + 10);
    const alerts = driftAlerts(db);
    assert.ok(alerts.length > 0, "a drift alert fires after the shift");
    for (const a of alerts) {
      assert.ok(a.opened_run_date > SHIFT, `${a.type} ${a.subject} opened ${a.opened_run_date}`);
    }
    const first = alerts.map((a) => a.opened_run_date).sort()[0];
    const delay = daysBetween(SHIFT, first);
    assert.ok(delay <= 10, `detected ${delay} days after the shift`);
    console.log(`regime-shift: first drift alert ${first}, ${delay} days after ${SHIFT}`);
    // The daily summary carries the alert counts and forecast accuracy.
    const last = runs.at(-1)!;
    assert.ok(last.alerts.FORECAST_DRIFT + last.alerts.FEATURE_DRIFT >= 1);
    assert.equal(typeof last.forecast.wape_7d, "number");
    assert.equal(typeof last.forecast.wape_30d, "number");

    // Sustained drift opened a retrain request for the champion.
    const request = readRetrainRequests(db, { modelVersion: champion })[0];
    assert.ok(request, "a retrain request is open");
    assert.equal(request.status, "open");
    assert.ok(request.run_date > SHIFT);

    // Monitoring the last run again changes nothing.
    const before = readAlerts(db).map((a) => [a.id, a.count]);
    const again = monitorDate(db, last.run_date);
    assert.equal(again.monitoring, "already_monitored");
    assert.deepEqual(readAlerts(db).map((a) => [a.id, a.count]), before);

    // The retrained candidate is registered, pending, and prices nothing.
    const outcome = fulfilRetrainRequest(db, { actor: "test", recordedAt: null });
    assert.ok(outcome);
    const candidate = outcome.candidate.version;
    assert.equal(readModels(db, { version: candidate })[0].status, "pending");
    assert.equal(readRetrainRequests(db)[0].status, "candidate_registered");
    assert.equal(fulfilRetrainRequest(db, { actor: "test", recordedAt: null }), null);
    const next = runForward(db, addDays(last.run_date, 1), 2);
    for (const r of next) {
      const versions = new Set(readDecisions(db, r.run_id).map((d) => d.model_version));
      assert.ok(!versions.has(candidate), `${r.run_date} priced with the pending candidate`);
      assert.ok(versions.has(champion));
    }
    assert.equal(next.at(-1)!.alerts.MODEL_PENDING_APPROVAL, 1);

    // Approved, it prices from the next run; the request closes.
    approveModel(db, candidate, { actor: "alice", reason: "drift", recordedAt: null });
    const [after] = runForward(db, addDays(next.at(-1)!.run_date, 1), 1);
    const versions = new Set(readDecisions(db, after.run_id).map((d) => d.model_version));
    assert.ok(versions.has(candidate));
    assert.ok(!versions.has(champion));
    assert.equal(after.alerts.MODEL_PENDING_APPROVAL, 0);
    assert.equal(readRetrainRequests(db, { modelVersion: champion })[0].status, "closed");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("monitoring on default: drift alerts stay under 1 per 1,000 SKU-days over 90 days", async () => {
  const { db, dir } = await demoStore("default");
  try {
    const days = 90;
    const runs = runForward(db, FIRST_RUN, days);
    const skuDays = runs.reduce((n, r) => n + r.skus, 0);
    const alerts = driftAlerts(db);
    const rate = (1000 * alerts.length) / skuDays;
    console.log(
      `default: ${alerts.length} drift alerts in ${skuDays} SKU-days (${
        rate.toFixed(3)
      } per 1,000)`,
    );
    assert.ok(rate <= 1, `${alerts.length} drift alerts in ${skuDays} SKU-days`);
    assert.equal(readRetrainRequests(db).length, 0, "no retrain request in a stable market");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("data quality: each kind of bad input planted in a store is reported with SKU, field and value, and the run succeeds", async () => {
  const { db, dir } = await simulatedStore({ skus: 12, days: 120, seed: 7 });
  try {
    const last = latestSalesDate(db)!;
    const runDate = addDays(last, 5);
    const skus = readCatalogBefore(db, runDate).filter((c) => c.active).map((c) => c.sku);
    const [missingSales, staleInventory, outside, costJump, noCompetitor] = skus;
    const terms = new Map(readCatalogBefore(db, runDate).map((c) => [c.sku, c]));
    const sales = readSales(db, last, addDays(last, 1));
    const inventory = readInventory(db, last, addDays(last, 1));
    const competitor = readCompetitorPrices(db, last, addDays(last, 1));
    transaction(db, () => {
      for (let k = 1; k <= 4; k++) {
        const date = addDays(last, k);
        const final = k === 4;
        appendSales(
          db,
          sales.filter((s) => !(final && s.sku === missingSales)).map((s) => ({
            ...s,
            date,
            shelf_price: final && s.sku === outside
              ? Math.round(terms.get(s.sku)!.ceiling_price * 150) / 100
              : s.shelf_price,
            revenue: 0,
            units: 0,
            promo: false,
          })),
        );
        appendInventory(
          db,
          inventory.filter((r) => r.sku !== staleInventory).map((r) => ({ ...r, date })),
        );
        appendCompetitorPrices(
          db,
          competitor.filter((c) => !(final && c.sku === noCompetitor)).map((c) => ({
            ...c,
            date,
          })),
        );
      }
      const t = terms.get(costJump)!;
      appendCatalog(db, [{
        ...t,
        effective_date: addDays(last, 3),
        unit_cost: Math.round(t.unit_cost * 150) / 100,
        floor_price: Math.min(t.ceiling_price, Math.round(t.unit_cost * 160) / 100),
        reason: "supplier price list",
      }]);
    });
    // One of the 12 SKUs lacks yesterday's sales: more than 5%, so the run refuses unless told.
    assert.throws(
      () => runDaily(db, { runDate, model: null, monitoring: {} }),
      { name: "PreconditionError", message: /missing for 1 of 12 active SKUs/ },
    );
    const summary = runDaily(db, {
      runDate,
      model: null,
      monitoring: {},
      preconditions: { allowMissingActuals: true },
    }) as Summary;
    assert.equal(summary.status, "succeeded");
    assert.deepEqual(summary.preconditions?.actuals, { expected: 12, missing: 1, allowed: true });
    const issues = readDataQualityIssues(db, summary.run_id);
    const has = (sku: string, check: string, field: string, value?: string) =>
      assert.ok(
        issues.some((i) =>
          i.sku === sku && i.check === check && i.field === field &&
          (value === undefined || i.value === value)
        ),
        `${check} ${sku} ${field} ${value ?? ""} in ${JSON.stringify(issues)}`,
      );
    has(missingSales, "MISSING_SALES", "sales.date", addDays(last, 4));
    has(staleInventory, "STALE_INVENTORY", "inventory.date", last);
    has(
      outside,
      "PRICE_OUTSIDE_GUARDRAILS",
      "sales.shelf_price",
      String(Math.round(terms.get(outside)!.ceiling_price * 150) / 100),
    );
    has(costJump, "COST_JUMP", "catalog.unit_cost");
    has(noCompetitor, "MISSING_VALUE", "competitor_prices.competitor_price", "missing");
    const flagged = new Set(
      readAlerts(db, { type: "DATA_QUALITY" }).map((a) => a.sku),
    );
    for (const sku of [missingSales, staleInventory, outside, costJump, noCompetitor]) {
      assert.ok(flagged.has(sku), `DATA_QUALITY alert for ${sku}`);
    }
    assert.equal(summary.alerts.DATA_QUALITY, flagged.size);
    // Negative values never reach the store: the database refuses them.
    assert.throws(() =>
      db.prepare(
        "INSERT INTO sales (sku, date, units, revenue, shelf_price, promo, reason) VALUES (?,?,?,?,?,?,?)",
      ).run(outside, runDate, -3, 0, 1, 0, "test")
    );
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
