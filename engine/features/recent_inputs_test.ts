import assert from "node:assert/strict";
import { addDays } from "../util/date.ts";
import { openStore } from "../store/db.ts";
import {
  appendCatalog,
  appendCompetitorPrices,
  appendInventory,
  appendSales,
} from "../store/write/inputs.ts";
import { syncHistory } from "../store/history/sync.ts";
import { writeElasticityFits } from "../store/history/fits.ts";
import { readCatalogBefore } from "../store/read/inputs.ts";
import { draftCatalog } from "./job.ts";

/**
 * SKUs whose recent months lack something (a sales day, a closing stock, a competitor
 * price) or whose window starts mid-month: with their fits stored, the run unpacks only the
 * recent months, or the whole window where those lack a latest fact; the snapshots are the
 * same as when every day of the window is read.
 */
Deno.test("a run with stored fits drafts the snapshots of a run that reads the whole window", () => {
  const db = openStore(":memory:");
  const start = "2024-01-03";
  // Six kinds of SKU, and 64 more ordinary ones: a chunk of 64 SKUs or more is read month
  // by month over its range of SKUs, a smaller one SKU by SKU; both are compared.
  const skus = [
    "FULL",
    "NOCOMP",
    "OLDCOMP",
    "OLDSALES",
    "NOSTOCK",
    "GAPPY",
    ...Array.from({ length: 64 }, (_, i) => `MORE${String(i).padStart(2, "0")}`),
  ];
  appendCatalog(
    db,
    skus.map((sku) => ({
      sku,
      effective_date: start,
      category: sku === "GAPPY" ? "b" : "a",
      unit_cost: 1,
      floor_price: 1.5,
      ceiling_price: 6,
      min_margin: 0.1,
      max_daily_change: 0.2,
      price_ending: "any",
      active: true,
    })),
  );
  const days = Array.from({ length: 420 }, (_, i) => addDays(start, i));
  const sells = (sku: string, i: number) =>
    sku === "OLDSALES"
      ? i < 250
      : sku === "GAPPY"
      ? i % 3 === 0
      : (i + sku.length + sku.charCodeAt(sku.length - 1)) % 11 !== 5;
  appendSales(
    db,
    skus.flatMap((sku, k) =>
      days.flatMap((date, i) =>
        sells(sku, i)
          ? [{
            sku,
            date,
            units: 3 + ((i * 7 + k) % 9),
            revenue: 10,
            shelf_price: [2.49, 2.79, 2.99, 3.29][(i >> 4) % 4] + k / 100,
            promo: i % 17 === 0,
          }]
          : []
      )
    ),
  );
  appendInventory(
    db,
    skus.filter((s) => s !== "NOSTOCK").flatMap((sku) =>
      days.map((date, i) => ({
        sku,
        date,
        on_hand: (i * 5) % 23,
        on_order: 12,
        next_receipt_date: addDays(date, 2),
      }))
    ),
  );
  appendCompetitorPrices(
    db,
    skus.filter((s) => !["NOCOMP", "NOSTOCK"].includes(s)).flatMap((sku) =>
      days.filter((_, i) => (sku === "OLDCOMP" ? i < 200 : i % 2 === 0)).map((date) => ({
        sku,
        date,
        competitor_price: 3.09,
      }))
    ),
  );
  syncHistory(db);
  for (const runDate of ["2025-02-14", "2025-02-17", "2025-01-31", "2024-09-01"]) {
    const catalog = readCatalogBefore(db, runDate);
    db.exec("DELETE FROM elasticity_fits");
    const whole = draftCatalog(db, runDate, catalog, { chunkSkus: 4 });
    assert.equal(whole.newFits.length, whole.drafts.length);
    writeElasticityFits(db, whole.fitKey, whole.newFits);
    for (const chunkSkus of [4, 5_000]) {
      const recent = draftCatalog(db, runDate, catalog, { chunkSkus });
      assert.equal(recent.newFits.length, 0, `${runDate}: every fit stored`);
      assert.deepStrictEqual(recent.drafts, whole.drafts, `${runDate}, chunks of ${chunkSkus}`);
      assert.deepStrictEqual(recent.skipped, whole.skipped, runDate);
    }
    assert.ok(whole.drafts.some((d) => d.features.history_days > 120), runDate);
  }
  db.close();
});
