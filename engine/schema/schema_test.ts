import assert from "node:assert/strict";
import { parseOrThrow } from "./common.ts";
import { CatalogRecord, CompetitorPriceRecord, InventoryRecord, SalesRecord } from "./inputs.ts";
import { FeatureSnapshot } from "./features.ts";
import { RunRecord } from "./run.ts";
import { OverrideRequest } from "./pricing.ts";
import { Scenario } from "../../sim/scenario.ts";

const cases: [string, Parameters<typeof parseOrThrow>[0], Record<string, unknown>, RegExp][] = [
  ["catalog", CatalogRecord, {
    sku: "A 1",
    effective_date: "2024-01-01",
    category: "x",
    unit_cost: 1,
    floor_price: 1,
    ceiling_price: 2,
    min_margin: 0.1,
    max_daily_change: 0.1,
    price_ending: "9",
    active: true,
  }, /sku: .*\(value: "A 1"\)/],
  ["catalog", CatalogRecord, {
    sku: "A1",
    effective_date: "2024-01-01",
    category: "x",
    unit_cost: 1,
    floor_price: 1,
    ceiling_price: 2,
    min_margin: 1.5,
    max_daily_change: 0.1,
    price_ending: "7",
    active: true,
  }, /min_margin: .*\(value: 1\.5\).*price_ending: .*\(value: "7"\)/],
  [
    "sales",
    SalesRecord,
    {
      sku: "A1",
      date: "2024-13-01",
      units: 2.5,
      revenue: 1,
      shelf_price: 1,
      promo: false,
    },
    /date: expected a calendar date as YYYY-MM-DD in the years 2000-2199, got "2024-13-01".*units: .*\(value: 2\.5\)/,
  ],
  ["inventory", InventoryRecord, {
    sku: "A1",
    date: "2024-01-01",
    on_hand: -3,
    on_order: 0,
    next_receipt_date: null,
  }, /on_hand: .*\(value: -3\)/],
  ["competitor price", CompetitorPriceRecord, {
    sku: "A1",
    date: "2024-01-01",
  }, /competitor_price: .*\(value: missing\)/],
  [
    "feature snapshot",
    FeatureSnapshot,
    { run_date: "2024-01-01", sku: "A1" },
    /last_price: .*\(value: missing\)/,
  ],
  ["run record", RunRecord, {
    run_id: "x",
    run_date: "2024-01-01",
    attempt: 0,
    code_version: "1",
    config_hash: "h",
    status: "done",
    details: {},
    started_at: null,
    finished_at: null,
  }, /attempt: .*\(value: 0\).*status: .*\(value: "done"\)/],
  [
    "override",
    OverrideRequest,
    {
      kind: "PRICE_FREEZE",
      scope: "sku",
      target: "A1",
      effective_from: "2024-02-01",
      expires_at: "2024-01-01",
      actor: " ",
      reason: "r",
    },
    /actor: must name who acts \(--by\).*expires_at: must be after effective_from 2024-02-01 \(value: "2024-01-01"\)/,
  ],
  ["scenario", Scenario, { name: "x", skus: -1 }, /skus: .*\(value: -1\)/],
];

for (const [what, schema, value, message] of cases) {
  Deno.test(
    `the ${what} schema rejects a malformed record naming the field and the value (${
      message.source.slice(0, 30)
    })`,
    () => {
      assert.throws(
        () => parseOrThrow(schema, value, `read a ${what}`),
        (e: Error) =>
          e instanceof TypeError && message.test(e.message) &&
          e.message.startsWith(`Cannot read a ${what}: `),
      );
    },
  );
}
