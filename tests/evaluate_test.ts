import assert from "node:assert/strict";
import { evaluateStore } from "../engine/registry/evaluate.ts";
import { approveModel } from "../engine/registry/approval.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { championModel, modelOfVersion } from "../engine/registry/load.ts";
import { runDates } from "../engine/pipeline/run_dates.ts";
import { replayRun } from "../engine/pipeline/replay.ts";
import { appendEvaluation, appendSales, transaction } from "../engine/store/writer.ts";
import { readDecisions, readSales } from "../engine/store/queries.ts";
import { weeklyStore } from "./_weekly_store.ts";

Deno.test("evaluateStore() retrains before every week and beats seasonal naive on demand that answers to price", async () => {
  const db = await weeklyStore();
  const e = evaluateStore(db, { periods: 13, fit: { kind: "gbdt" } });
  assert.equal(e.period, "week");
  assert.deepEqual([e.from, e.to, e.periods, e.trainings, e.skus], [
    "2023-11-16",
    "2024-02-08",
    13,
    13,
    12,
  ]);
  assert.ok(e.wape.model < 0.9 * e.wape.naive, `WAPE ${e.wape.model} vs naive ${e.wape.naive}`);
  assert.ok(e.price_response.moves >= 20);
  assert.ok((e.price_response.sign_agreement ?? 0) >= 0.6, JSON.stringify(e.price_response));
  assert.ok((e.price_response.calibration_slope ?? 0) > 0);
  assert.deepEqual(e.by_category.map((c) => c.category), ["cereal", "snacks"]);
  assert.equal(e.by_decile.reduce((n, d) => n + d.skus, 0), 12);
  assert.equal(e.targets.every_elasticity_negative, true);
  assert.equal(e.verdict.left_to_rule.skus, 0, JSON.stringify(e.verdict.categories));
  db.close();
});

Deno.test("evaluateStore() forecasts a week from the data before it only", async () => {
  const db = await weeklyStore(":memory:", { weeks: 90 });
  const before = evaluateStore(db, { periods: 4, fit: { kind: "gbdt" }, rows: true });
  // Every sale of the last evaluated week is corrected to ten times as many units.
  const last = readSales(db, "2023-09-21", "2023-09-22");
  assert.equal(last.length, 12);
  transaction(
    db,
    () =>
      appendSales(db, last.map((r) => ({ ...r, units: r.units * 10, reason: "test: leakage" }))),
  );
  const after = evaluateStore(db, { periods: 4, fit: { kind: "gbdt" }, rows: true });
  const lastWeek = (e: typeof before) => e.forecasts!.filter((r) => r.date === "2023-09-21");
  assert.deepEqual(
    lastWeek(after).map((r) => r.forecast),
    lastWeek(before).map((r) => r.forecast),
    "the forecasts of the corrected week did not move",
  );
  assert.notDeepEqual(lastWeek(after).map((r) => r.units), lastWeek(before).map((r) => r.units));
  db.close();
});

Deno.test("a category whose sales rise with the price is left to the rule by the verdict, and the daily run says why", async () => {
  const db = await weeklyStore(":memory:", { cerealElasticity: 1.5 });
  const r = trainCandidate(db, { actor: "test", recordedAt: null });
  approveModel(db, r.version, { actor: "test", reason: "test", recordedAt: null, force: true });
  const e = evaluateStore(db, { periods: 13 });
  const cereal = e.verdict.categories.find((c) => c.category === "cereal")!;
  assert.equal(cereal.verdict, "rule", cereal.detail);
  assert.equal(cereal.reason_code, "ML_UNTRUSTED_PRICE_RESPONSE");
  assert.equal(e.verdict.categories.find((c) => c.category === "snacks")!.verdict, "ml");
  const id = transaction(db, () =>
    appendEvaluation(db, {
      modelVersion: r.version,
      period: e.period,
      fromDate: e.from,
      toDate: e.to,
      periods: e.periods,
      summary: {},
      verdicts: e.verdict.skus.map((s) => ({ ...s, reason_code: s.reason_code! })),
      actor: "test",
      recordedAt: null,
    }));
  const [week] = runDates(db, { model: () => championModel(db) });
  const decisions = readDecisions(db, week.run_id);
  for (const d of decisions) {
    const isCereal = Number(d.sku.slice(1)) % 2 === 0;
    if (isCereal) {
      assert.equal(d.strategy, "rule");
      assert.equal(d.reason_codes[0], "ML_UNTRUSTED_PRICE_RESPONSE");
      const fallback = (d.explanation as { fallback: { evaluation_id: number; detail: string } })
        .fallback;
      assert.equal(fallback.evaluation_id, id);
      assert.match(
        fallback.detail,
        /moved with the predicted sign on \d+ of \d+ of its non-promotion moves/,
      );
    } else assert.equal(d.strategy, "ml", `${d.sku}: ${d.reason_codes}`);
  }
  assert.equal(replayRun(db, week.run_id, (v) => modelOfVersion(db, v)).match, true);
  db.close();
});
