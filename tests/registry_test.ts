import assert from "node:assert/strict";
import { runDaily } from "../engine/pipeline/daily.ts";
import { trainCandidate } from "../engine/registry/train.ts";
import { approveModel, rejectModel } from "../engine/registry/approval.ts";
import { transaction } from "../engine/store/db.ts";
import { championModel, modelOfVersion } from "../engine/registry/load.ts";
import { loadTrainingSet } from "../engine/registry/training_set.ts";
import { readDecisions, readModelEvents, readModels } from "../engine/store/queries.ts";
import { loadFeatureInputs } from "../engine/features/inputs.ts";
import { buildSnapshots } from "../engine/features/snapshot.ts";
import { recordSimulatedActuals } from "../sim/store.ts";
import { addDays } from "../engine/util/date.ts";
import { createRandom } from "../engine/util/random.ts";
import { simulatedStore } from "./_stores.ts";

const who = { recordedAt: null };

Deno.test("a trained but unapproved model never prices; approving it makes the next run use it; rejecting leaves the champion", async () => {
  const { db } = await simulatedStore({ skus: 60, days: 240, seed: 31 });
  const run = () =>
    runDaily(db, { model: championModel(db), recordActuals: recordSimulatedActuals });
  // No approved model: ML falls back to rules, with its reason code.
  const none = run();
  assert.equal(none.strategies.ml, 0);
  assert.ok((none.fallbacks.ML_NO_APPROVED_MODEL ?? 0) > 0);

  const first = trainCandidate(db, { kind: "elasticity", actor: "test", ...who });
  const pending = run();
  assert.equal(pending.strategies.ml, 0, "a pending candidate priced something");
  assert.equal(readModels(db, { version: first.version })[0].status, "pending");

  approveModel(db, first.version, { actor: "alice", reason: "baseline", ...who });
  const approved = run();
  assert.ok(approved.strategies.ml > 0);
  const mlDecisions = readDecisions(db, approved.run_id).filter((d) => d.strategy === "ml");
  assert.ok(mlDecisions.every((d) => d.model_version === first.version));

  const second = trainCandidate(db, { kind: "gbdt", actor: "test", ...who });
  assert.equal(
    second.metrics.champion?.version,
    first.version,
    "metrics compare with the champion",
  );
  const stillFirst = run();
  assert.ok(
    readDecisions(db, stillFirst.run_id).filter((d) => d.strategy === "ml").every((d) =>
      d.model_version === first.version
    ),
    "the unapproved gbdt candidate priced before approval",
  );
  rejectModel(db, second.version, { actor: "bob", reason: "not convinced", ...who });
  const afterReject = run();
  assert.ok(
    readDecisions(db, afterReject.run_id).filter((d) => d.strategy === "ml").every((d) =>
      d.model_version === first.version
    ),
  );
  assert.throws(
    () => approveModel(db, second.version, { actor: "bob", reason: "changed my mind", ...who }),
    /it is rejected, not pending/,
  );

  const third = trainCandidate(db, { kind: "gbdt", seed: 1, actor: "test", ...who });
  approveModel(db, third.version, { actor: "carol", reason: "better holdout WAPE", ...who });
  const afterApprove = run();
  const ml = readDecisions(db, afterApprove.run_id).filter((d) => d.strategy === "ml");
  assert.ok(ml.length > 0 && ml.every((d) => d.model_version === third.version));
  assert.equal(readModels(db, { version: first.version })[0].status, "retired");
  const events = readModelEvents(db).map((e) => `${e.version.split("-")[0]}:${e.event}:${e.actor}`);
  assert.deepEqual(events, [
    "elasticity:registered:test",
    "elasticity:approved:alice",
    "elasticity:promoted:alice",
    "gbdt:registered:test",
    "gbdt:rejected:bob",
    "gbdt:registered:test",
    "gbdt:approved:carol",
    "elasticity:retired:carol",
    "gbdt:promoted:carol",
  ]);
});

Deno.test("training rows equal the snapshots the daily job builds for the same morning", async () => {
  const { db } = await simulatedStore({ skus: 40, days: 260, seed: 37 });
  const to = addDays("2024-01-01", 259);
  const set = loadTrainingSet(db, addDays(to, -20), to);
  const dates = [addDays(to, -20), addDays(to, -9), to];
  for (const date of dates) {
    const daily = new Map(
      buildSnapshots(loadFeatureInputs(db, date)).snapshots.map((s) => [s.sku, s.features]),
    );
    const rows = set.rows.filter((r) => r.snapshot.run_date === date);
    assert.ok(rows.length > 20, `${rows.length} rows on ${date}`);
    for (const r of rows) {
      const want = daily.get(r.snapshot.sku)!;
      const {
        elasticity: _a,
        elasticity_se: _b,
        elasticity_raw: _c,
        elasticity_category: _d,
        elasticity_as_of: _e,
        ...got
      } = r.snapshot;
      const {
        elasticity: _f,
        elasticity_se: _g,
        elasticity_raw: _h,
        elasticity_category: _i,
        elasticity_as_of: _j,
        ...exp
      } = want;
      assert.deepEqual(got, exp, `${r.snapshot.sku} on ${date}`);
    }
  }
});

for (const priceResponse of ["learned", "elasticity"] as const) {
  Deno.test(`the registered gbdt model (${priceResponse} price response) never predicts more units at a higher price`, async () => {
    const { db } = await simulatedStore({ skus: 50, days: 300, seed: 41 });
    const trained = trainCandidate(db, { kind: "gbdt", priceResponse, actor: "test", ...who });
    const model = modelOfVersion(db, trained.version);
    const rows = loadTrainingSet(db, addDays("2024-01-01", 270), addDays("2024-01-01", 299)).rows;
    const random = createRandom(7);
    let curves = 0;
    for (let k = 0; k < 300; k++) {
      const r = rows[Math.floor(random() * rows.length)];
      const prices = Array.from({ length: 60 }, (_, i) => r.snapshot.last_price * (0.3 + i * 0.05));
      const units = model.predict(r.snapshot, prices);
      for (let i = 1; i < units.length; i++) {
        assert.ok(
          units[i] <= units[i - 1] + 1e-12,
          `${r.snapshot.sku}: ${units[i - 1]} -> ${units[i]}`,
        );
      }
      curves++;
    }
    assert.equal(curves, 300);
    assert.ok(trained.metrics.candidate.wape < trained.metrics.seasonal_naive.wape);
  });
}

Deno.test("a candidate trained by hand answers the champion's open retrain request", async () => {
  const { db } = await simulatedStore({ skus: 40, days: 240, seed: 43 });
  const first = trainCandidate(db, { kind: "elasticity", actor: "test", ...who });
  approveModel(db, first.version, { actor: "alice", reason: "baseline", ...who });
  const run = runDaily(db, { model: championModel(db) });
  const { appendRetrainRequest } = await import("../engine/store/writer.ts");
  const { readRetrainRequests } = await import("../engine/store/queries.ts");
  const { answerRetrainRequest } = await import("../engine/pipeline/retrain.ts");
  const id = transaction(db, () =>
    appendRetrainRequest(db, {
      modelVersion: first.version,
      runId: run.run_id,
      runDate: run.run_date,
      rule: "test",
      metrics: {},
      recordedAt: null,
    }));
  const candidate = trainCandidate(db, { kind: "gbdt", actor: "bob", ...who });
  assert.equal(answerRetrainRequest(db, candidate, { actor: "bob", recordedAt: null }), id);
  const request = readRetrainRequests(db).find((r) => r.id === id)!;
  assert.equal(request.status, "candidate_registered");
  assert.equal(request.candidate_version, candidate.version);
  assert.equal(answerRetrainRequest(db, candidate, { actor: "bob", recordedAt: null }), null);
});
