import assert from "node:assert/strict";
import { retrainDue, retrainRule } from "./retrain.ts";
import type { MonitoringRunRecord } from "../schema/monitoring.ts";

const record = (date: string, drift: boolean, model = "m1"): MonitoringRunRecord => ({
  run_id: `${date}#1`,
  run_date: date,
  model_version: model,
  summary: { drift_detected: drift },
  recorded_at: null,
});

const evidence = {
  runDate: "2026-01-20",
  modelVersion: "m1",
  driftToday: true,
  wape30: 0.4,
  daysWithActuals30: 20,
  holdoutWape: 0.37,
};

Deno.test("retrainDue() asks for a retrain after drift on 3 consecutive run dates of the same model", () => {
  const two = [record("2026-01-19", true), record("2026-01-18", false)];
  assert.equal(retrainDue({ ...evidence, previous: two }).due, false);
  const three = [record("2026-01-19", true), record("2026-01-18", true)];
  assert.deepEqual(retrainDue({ ...evidence, previous: three }), {
    due: true,
    reasons: ["drift on 3 consecutive run dates"],
    drift_streak: 3,
  });
  const gap = [record("2026-01-19", true), record("2026-01-17", true)];
  assert.equal(retrainDue({ ...evidence, previous: gap }).due, false);
  const otherModel = [record("2026-01-19", true), record("2026-01-18", true, "m0")];
  assert.equal(retrainDue({ ...evidence, previous: otherModel }).due, false);
});

Deno.test("retrainDue() asks for a retrain when the 30-day WAPE is 25% worse than the holdout's", () => {
  const calm = { ...evidence, driftToday: false, previous: [] };
  assert.equal(retrainDue(calm).due, false);
  assert.equal(retrainDue({ ...calm, wape30: 0.47 }).due, true);
  assert.equal(retrainDue({ ...calm, wape30: 0.47, daysWithActuals30: 5 }).due, false);
  assert.match(retrainRule(), /3 consecutive run dates/);
});
