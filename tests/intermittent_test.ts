import assert from "node:assert/strict";
import { openStore } from "../engine/store/db.ts";
import { evaluateStore } from "../engine/registry/evaluate.ts";
import { approveModel } from "../engine/registry/approval.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { writeSimulatedStore } from "../sim/store.ts";
import { loadScenario } from "../sim/scenario.ts";

Deno.test("on intermittent, lumpy demand the gbdt trains with the Tweedie loss, is approved against naive, and forecasts better than naive", async () => {
  const db = openStore(":memory:");
  writeSimulatedStore(db, {
    scenario: await loadScenario("intermittent"),
    seed: 3,
    skus: 60,
    historyDays: 420,
  });
  const zeros = Number(db.prepare("SELECT avg(units = 0) AS z FROM sales").get()?.z);
  assert.ok(zeros > 0.7, `most days sell nothing (${zeros})`);
  const r = trainCandidate(db, { actor: "test", recordedAt: null });
  const record = db.prepare("SELECT params FROM models WHERE version = ?").get(r.version);
  const params = JSON.parse(String(record?.params));
  assert.equal(params.loss, "tweedie");
  assert.equal(params.demand, "intermittent");
  assert.ok(
    r.metrics.candidate.wape < r.metrics.seasonal_naive.wape,
    `holdout WAPE ${r.metrics.candidate.wape} vs naive ${r.metrics.seasonal_naive.wape}`,
  );
  approveModel(db, r.version, { actor: "test", reason: "beats naive", recordedAt: null });
  const e = evaluateStore(db, { periods: 14 });
  assert.equal(e.model.version, r.version);
  assert.ok(e.wape.model < e.wape.naive, `rolling WAPE ${e.wape.model} vs naive ${e.wape.naive}`);
  db.close();
});
