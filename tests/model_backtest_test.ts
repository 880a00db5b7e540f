/**
 * A registered model, backtested as it is: `deno task backtest --model VERSION`
 * or `--candidate` prices ML with it (no training), stores the result with the
 * model, and `deno task models list` shows the model's settings, provenance and
 * backtests.
 */
import assert from "node:assert/strict";
import { fitCandidate, registerCandidate, trainingWindow } from "../engine/registry/train.ts";
import { loadTrainingSet } from "../engine/registry/training_set.ts";
import { readBacktests, readModels } from "../engine/store/queries.ts";
import { openStore } from "../engine/store/db.ts";
import { loadScenario } from "../sim/scenario.ts";
import { type BacktestConfig, backtestRecord, reportOf, runStrategy } from "../sim/backtest/mod.ts";
import { onlyJson, runTask } from "./_run_task.ts";
import { simulatedStore } from "./_stores.ts";

const scenario = await loadScenario("default");

Deno.test("runStrategy() prices ML with config.model as it is: no training, every ML decision its version", async () => {
  // The candidate comes from a store of the very market the backtest simulates, up to the
  // day before the backtest (warm-up 300 days): no overlap.
  const { db, dir } = await simulatedStore({ skus: 30, days: 300, seed: 5 });
  try {
    const { from, to } = trainingWindow(db);
    const fitted = fitCandidate(loadTrainingSet(db, from, to), {
      gbdt: { maxDepth: 4, learningRate: 0.05 },
    });
    const config: BacktestConfig = {
      scenario,
      seed: 5,
      skus: 30,
      warmupDays: 300,
      days: 6,
      model: fitted.record,
    };
    const ml = runStrategy("ml", config);
    assert.deepEqual(ml.models, [fitted.record.version], "only the given model priced");
    assert.ok(ml.decisions.ml >= 30 * 6 * 0.9, `${ml.decisions.ml} ML decisions`);
    // Other strategies ignore it.
    const rule = runStrategy("rule", config);
    assert.deepEqual(rule.models, []);
    const report = reportOf([rule, ml], config);
    assert.equal(report.ml_model, fitted.record.version);
    assert.match(report.retrain, /depth 4, learning rate 0.05/);
    assert.match(report.retrain, /fixed: no retraining$/, "no overlap warning");
    assert.equal(backtestRecord(report).mlModel, fitted.record.version);
    // Without a model the report has no ml_model key (its bytes are as before).
    const own = reportOf([rule], { ...config, model: undefined });
    assert.equal("ml_model" in own, false);
    assert.equal(backtestRecord(own).mlModel, null);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("backtest --candidate stores its result with the candidate; models list shows settings, source, note and backtest", async () => {
  const { db, path, dir } = await simulatedStore({ skus: 20, days: 260, seed: 1 });
  try {
    const none = await runTask("backtest", ["--candidate", "--db", path, "--json"]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(onlyJson(none).error as string, /no model waits for approval/);

    const { from, to } = trainingWindow(db);
    const fitted = fitCandidate(loadTrainingSet(db, from, to), { kind: "elasticity" });
    registerCandidate(db, fitted, {
      actor: "dana",
      recordedAt: null,
      source: "tests/model_backtest_test.ts",
      note: "elasticity baseline for the test",
    });
    db.close();
    const version = fitted.record.version;

    const bad = await runTask("backtest", [
      "--model",
      version,
      "--retrain-every",
      "3",
      "--db",
      path,
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--retrain-every: a fixed model/);
    const unknown = await runTask("backtest", ["--model", "gbdt-nope", "--db", path]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /gbdt-nope: not in the registry/);

    const run = await runTask("backtest", [
      "--candidate",
      "--db",
      path,
      "--skus",
      "20",
      "--warmup",
      "260",
      "--days",
      "4",
      "--workers",
      "1",
      "--out",
      `${dir}/bt`,
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const summary = onlyJson(run);
    assert.equal(summary.ml_model, version);

    const check = openStore(path);
    try {
      const [stored] = readBacktests(check, { mlModel: version });
      assert.ok(stored, "the backtest is stored with the model");
      assert.equal(stored.skus, 20);
      assert.equal(readModels(check, { version })[0].status, "pending", "still pending");
    } finally {
      check.close();
    }

    const list = await runTask("models", ["list", "--db", path, "--json"]);
    assert.equal(list.code, 0, list.stderr);
    const models = onlyJson(list).models as Record<string, unknown>[];
    const m = models.find((x) => x.version === version)!;
    assert.equal(m.source, "tests/model_backtest_test.ts");
    assert.equal(m.note, "elasticity baseline for the test");
    assert.match(m.settings as string, /^elasticity/);
    const [b] = m.backtests as Record<string, unknown>[];
    assert.deepEqual([b.scenario, b.skus, b.days], ["default", 20, 4]);
    assert.equal(typeof b.ml_profit, "number");

    const text = await runTask("models", ["list", "--db", path]);
    assert.match(text.stderr, /note {7}elasticity baseline for the test/);
    assert.match(
      text.stderr,
      /backtest {3}[0-9a-f]{12} default seed 1, 20 SKUs x 4 days: ML profit/,
    );
  } finally {
    try {
      db.close();
    } catch { /* closed above */ }
    await Deno.remove(dir, { recursive: true });
  }
});
