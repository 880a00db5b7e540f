import assert from "node:assert/strict";
import { judgeHealth } from "./health.ts";
import type { HealthFacts } from "../store/read/health.ts";
import type { AlertRecord } from "../schema/monitoring.ts";
import type { RunRecord } from "../schema/run.ts";

const run = (status: RunRecord["status"], finished_at: string | null = null): RunRecord => ({
  run_id: "2026-01-05#1",
  run_date: "2026-01-05",
  attempt: 1,
  code_version: "t",
  config_hash: "c",
  status,
  details: { skus: 10, infeasible: 0, model_version: "m1" },
  started_at: finished_at,
  finished_at,
});

const alert = (severity: AlertRecord["severity"], type: AlertRecord["type"]): AlertRecord => ({
  id: 1,
  type,
  subject: "all",
  severity,
  sku: null,
  category: null,
  message: "m",
  metrics: {},
  status: "open",
  count: 3,
  opened_run_id: "2026-01-03#1",
  opened_run_date: "2026-01-03",
  last_run_id: "2026-01-05#1",
  last_run_date: "2026-01-05",
  resolved_run_id: null,
  recorded_at: null,
});

const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
  runs: [run("succeeded")],
  openAlerts: [],
  monitoring: null,
  models: [],
  overrides: [],
  retrainRequests: [],
  nextRunDate: "2026-01-06",
  ...over,
});

Deno.test("judgeHealth() says nothing is wrong on a store with a good run and no alert", () => {
  const h = judgeHealth(facts());
  assert.equal(h.status, "ok");
  assert.deepEqual(h.problems, []);
  assert.equal(h.last_run?.skus, 10);
});

Deno.test("judgeHealth() is critical with a critical alert open, and lists the worst first", () => {
  const h = judgeHealth(facts({
    openAlerts: [alert("info", "MODEL_PENDING_APPROVAL"), alert("critical", "FORECAST_DRIFT")],
  }));
  assert.equal(h.status, "critical");
  assert.deepEqual(h.problems.map((p) => p.severity), ["critical", "info"]);
  assert.match(h.problems[0].message, /1 critical alert open \(FORECAST_DRIFT\)/);
  assert.deepEqual(h.alerts, {
    open: 2,
    critical: 1,
    warning: 0,
    info: 1,
    by_type: { MODEL_PENDING_APPROVAL: 1, FORECAST_DRIFT: 1 },
  });
});

Deno.test("judgeHealth() is critical when the latest run failed and warns when no run succeeded lately", () => {
  assert.equal(judgeHealth(facts({ runs: [run("failed"), run("succeeded")] })).status, "critical");
  const stale = judgeHealth(facts({ runs: [run("succeeded", "2026-01-05T02:30:00Z")] }), {
    now: "2026-01-07T09:30:00Z",
  });
  assert.equal(stale.status, "warning");
  assert.equal(stale.last_run?.age_hours, 55);
  assert.match(stale.problems[0].message, /no successful run for 55 hours/);
  const fresh = judgeHealth(facts({ runs: [run("succeeded", "2026-01-05T02:30:00Z")] }), {
    now: "2026-01-05T09:30:00Z",
  });
  assert.equal(fresh.status, "ok");
  assert.equal(judgeHealth(facts({ runs: [] })).status, "warning");
});

Deno.test("judgeHealth() lists overrides ending within a week of the next run, not revoked ones", () => {
  const o = (id: number, expires_at: string, revoked = false) => ({
    id,
    kind: "PRICE_FREEZE" as const,
    scope: "sku" as const,
    target: "A",
    effective_from: "2026-01-01",
    expires_at,
    actor: "ops",
    reason: "r",
    recorded_at: null,
    revocation_id: revoked ? 9 : null,
    revoked_by: revoked ? "ops" : null,
    revoke_reason: revoked ? "r" : null,
  });
  const h = judgeHealth(facts({
    overrides: [o(1, "2026-01-10"), o(2, "2026-02-01"), o(3, "2026-01-08", true)],
  }));
  assert.deepEqual(h.overrides.expiring.map((x) => x.id), [1]);
  assert.equal(h.overrides.active, 3);
});
