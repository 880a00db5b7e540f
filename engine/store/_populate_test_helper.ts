/** Test helper: one row in every audit table, written through the writer. @module */
import type { DatabaseSync } from "node:sqlite";
import * as w from "./writer.ts";

/** A valid catalog record of SKU A1. */
export const SAMPLE_CATALOG = {
  sku: "A1",
  effective_date: "2024-01-01",
  category: "snacks",
  unit_cost: 1,
  floor_price: 1.2,
  ceiling_price: 3,
  min_margin: 0.1,
  max_daily_change: 0.1,
  price_ending: "9" as const,
  active: true,
};

/** Appends one row to each audit table through the public writer. */
export function populateEveryAuditTable(db: DatabaseSync): void {
  const sku = SAMPLE_CATALOG.sku;
  w.appendCatalog(db, [SAMPLE_CATALOG]);
  w.appendSales(db, [{
    sku,
    date: "2024-01-02",
    units: 1,
    revenue: 1.99,
    shelf_price: 1.99,
    promo: false,
  }]);
  w.appendInventory(db, [{
    sku,
    date: "2024-01-02",
    on_hand: 5,
    on_order: 0,
    next_receipt_date: null,
  }]);
  w.appendCompetitorPrices(db, [{ sku, date: "2024-01-02", competitor_price: 2.09 }]);
  w.appendSimConfig(db, {
    scenario: {},
    seed: 1,
    skus: 1,
    start_date: "2024-01-01",
    history_days: 1,
  });
  w.appendSnapshots(db, [{
    run_date: "2024-01-03",
    sku,
    snapshot_id: "0".repeat(64),
    features: {} as never,
  }]);
  w.appendRunStart(db, {
    runId: "2024-01-03#1",
    runDate: "2024-01-03",
    attempt: 1,
    codeVersion: "test",
    configHash: "x",
    recordedAt: null,
    details: {},
  });
  const overrideId = w.appendOverride(db, {
    kind: "PRICE_FREEZE",
    scope: "sku",
    target: sku,
    effective_from: "2024-01-03",
    expires_at: "2024-02-01",
    actor: "ops",
    reason: "test",
  }, null);
  w.appendRevocation(db, { override_id: overrideId, actor: "ops", reason: "test" }, null);
  w.appendDecisions(db, [{
    run_id: "2024-01-03#1",
    run_date: "2024-01-03",
    sku,
    strategy: "static",
    override_id: overrideId,
    override_kind: "PRICE_FREEZE",
    snapshot_id: "0".repeat(64),
    model_version: null,
    previous_price: 1.99,
    price: 1.99,
    expected_units: 1,
    expected_revenue: 1.99,
    expected_profit: 0.99,
    infeasible: false,
    conflict: null,
    binding: [],
    reason_codes: ["OVERRIDE_PRICE_FREEZE"],
    explanation: {},
  }]);
  w.appendModel(
    db,
    {
      version: "elasticity@test",
      kind: "elasticity",
      trainedFrom: "2024-01-01",
      trainedTo: "2024-01-02",
      seed: 0,
      params: {},
      metrics: {
        holdout_from: "2024-01-02",
        holdout_to: "2024-01-02",
        holdout_rows: 1,
        train_rows: 1,
        candidate: { wape: 0.5, bias: 0 },
        seasonal_naive: { wape: 0.6, bias: 0 },
        champion: null,
      },
      artifact: {},
    },
    "test",
    null,
  );
  populateMonitoringTables(db);
  w.appendBacktest(db, {
    scenario: "default",
    seed: 1,
    skus: 1,
    days: 1,
    fromDate: "2024-01-03",
    toDate: "2024-01-03",
    mlOracleCapture: null,
    report: { scenario: "default" },
    strategies: [{
      strategy: "static",
      revenue: 1.99,
      profit: 0.99,
      units: 1,
      lost_units: 0,
      stockout_days: 0,
      avg_margin: 0.5,
      price_changes: 0,
      profit_vs_static_pct: null,
      profit_vs_static_lo: null,
      profit_vs_static_hi: null,
    }],
    pricePaths: [{
      sku,
      category: "snacks",
      strategy: "static",
      from_date: "2024-01-03",
      prices: [1.99],
    }],
  }, null);
  const by = { actor: "test", recordedAt: null };
  const userId = w.appendUser(db, { name: "alice", role: "operator" }, by);
  const tokenId = w.appendUserToken(db, userId, "a".repeat(64), by);
  w.appendTokenRevocation(db, tokenId, "test", by);
  w.appendPricingSettings(db, {
    scope: "store",
    target: null,
    effective_from: "2024-01-03",
    settings: { units_floor: 0.97, price_index: [0.97, 1.05] },
    actor: "test",
    reason: "test",
  }, null);
  w.appendEvaluation(db, {
    modelVersion: "elasticity@test",
    period: "day",
    fromDate: "2024-01-02",
    toDate: "2024-01-02",
    periods: 1,
    summary: {},
    verdicts: [{
      sku,
      category: "snacks",
      reason_code: "ML_UNTRUSTED_PRICE_RESPONSE",
      detail: "test",
    }],
    ...by,
  });
}

/** One row in each monitoring audit table (migration 4). */
function populateMonitoringTables(db: DatabaseSync): void {
  const run = { runId: "2024-01-03#1", runDate: "2024-01-03", recordedAt: null };
  w.appendMonitoringRun(db, { ...run, modelVersion: null, summary: {} });
  w.appendForecastAccuracy(db, [{
    run_id: run.runId,
    run_date: run.runDate,
    window_days: 7,
    scope_kind: "all",
    scope: "all",
    n: 1,
    actual_units: 1,
    predicted_units: 1,
    wape: 0,
    bias: 0,
  }]);
  w.appendDriftMetrics(db, [{
    run_id: run.runId,
    run_date: run.runDate,
    model_version: "elasticity@test",
    scope: "all",
    feature: "demand_7_at_cost",
    n: 1,
    psi: 0,
    threshold: 0.25,
    drifted: false,
  }]);
  w.appendDataQualityIssues(db, run.runId, run.runDate, [{
    check: "MISSING_SALES",
    sku: "A1",
    field: "sales.date",
    value: "2024-01-02",
    message: "test",
  }]);
  const alertId = w.appendAlert(db, {
    type: "DATA_QUALITY",
    subject: "A1",
    severity: "warning",
    sku: "A1",
    category: "snacks",
    message: "test",
    metrics: {},
  }, run);
  w.appendAlertEvent(db, {
    alertId,
    event: "seen",
    severity: "warning",
    message: "test",
    metrics: {},
  }, run);
  const requestId = w.appendRetrainRequest(db, {
    ...run,
    modelVersion: "elasticity@test",
    rule: "test",
    metrics: {},
  });
  w.appendRetrainRequestEvent(db, {
    requestId,
    event: "closed",
    candidateVersion: null,
    actor: "test",
    reason: "test",
    recordedAt: null,
  });
  const importId = w.appendImport(db, {
    kind: "sales",
    file: "sales.csv",
    sha256: "0".repeat(64),
    rows: { read: 1, written: 1, unchanged: 0, rejected: 0 },
    details: {},
    actor: "test",
    reason: null,
    recordedAt: null,
  });
  w.appendImportIssues(db, importId, [{
    line: 2,
    sku: SAMPLE_CATALOG.sku,
    check: "REVENUE_MISMATCH",
    field: "revenue",
    value: "1",
    message: "test",
  }]);
  w.appendCalendarDays(db, [{ date: "2024-01-05", status: "closed", reason: "test" }], importId);
  w.appendStoreSettings(db, { name: "test", period: "day", week_start: null }, {
    actor: "test",
    reason: "test",
    recordedAt: null,
  });
  w.appendPriceExport(db, {
    run_id: "2024-01-03#1",
    status: "written",
    infeasible: "hold",
    file: "prices.csv",
    sha256: "0".repeat(64),
    rows: 1,
    error: null,
    recorded_at: null,
  });
  db.prepare(
    `INSERT INTO input_quarantine (table_name, row_id, row_json, problem, recorded_by)
     VALUES ('sales', 1, '{}', 'test', 'test')`,
  ).run();
  w.appendRunShard(db, {
    runId: "2024-01-03#1",
    shard: 1,
    shards: 2,
    skus: 1,
    details: {},
    recordedAt: null,
  });
  w.appendRunChainLink(db, {
    run_id: "2024-01-03#1",
    prev_hash: "0".repeat(64),
    hash: "1".repeat(64),
    payload: {},
  });
}
