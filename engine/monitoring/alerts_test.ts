import assert from "node:assert/strict";
import { countByType, planAlerts } from "./alerts.ts";
import type { AlertCandidate, AlertRecord, AlertType } from "../schema/monitoring.ts";

const candidate = (type: AlertType, subject: string): AlertCandidate => ({
  type,
  subject,
  severity: "warning",
  sku: null,
  category: null,
  message: `${type} ${subject}`,
  metrics: {},
});

const open = (id: number, type: AlertType, subject: string, last: string): AlertRecord => ({
  ...candidate(type, subject),
  id,
  status: "open",
  count: 1,
  opened_run_id: `${last}#1`,
  opened_run_date: last,
  last_run_id: `${last}#1`,
  last_run_date: last,
  resolved_run_id: null,
  recorded_at: null,
});

const ALL = new Set<AlertType>([
  "DATA_QUALITY",
  "FEATURE_DRIFT",
  "FORECAST_DRIFT",
  "INFEASIBLE_PRICE",
  "OVERRIDE_EXPIRING",
  "MODEL_PENDING_APPROVAL",
]);

Deno.test("planAlerts() counts a condition seen again instead of opening a second alert", () => {
  const plan = planAlerts(
    [open(1, "FORECAST_DRIFT", "category:snacks", "2026-01-17")],
    [
      candidate("FORECAST_DRIFT", "category:snacks"),
      candidate("FORECAST_DRIFT", "category:snacks"),
      candidate("FORECAST_DRIFT", "all"),
    ],
    "2026-01-18",
    ALL,
  );
  assert.deepEqual(plan.seen.map((s) => s.id), [1]);
  assert.deepEqual(plan.open.map((c) => c.subject), ["all"]);
  assert.equal(plan.resolved.length, 0);
});

Deno.test("planAlerts() resolves drift after three quiet days and other alerts at once", () => {
  const alerts = [
    open(1, "FEATURE_DRIFT", "all", "2026-01-17"),
    open(2, "INFEASIBLE_PRICE", "SKU-1", "2026-01-17"),
  ];
  assert.deepEqual(planAlerts(alerts, [], "2026-01-18", ALL).resolved.map((a) => a.id), [2]);
  assert.deepEqual(planAlerts(alerts, [], "2026-01-20", ALL).resolved.map((a) => a.id), [1, 2]);
  const unjudged = new Set(ALL);
  unjudged.delete("FEATURE_DRIFT");
  assert.deepEqual(planAlerts(alerts, [], "2026-01-20", unjudged).resolved.map((a) => a.id), [2]);
});

Deno.test("countByType() lists every type", () => {
  const c = countByType([{ type: "DATA_QUALITY" }, { type: "DATA_QUALITY" }]);
  assert.equal(c.DATA_QUALITY, 2);
  assert.equal(c.MODEL_PENDING_APPROVAL, 0);
  assert.equal(Object.keys(c).length, 7);
  assert.equal(c.AUDIT_INTEGRITY, 0);
});
