/**
 * Two real weekly stores, built through the import path as a user builds them:
 * Dominick's orange juice (Debian's r-cran-bayesm, read with Rscript) and the
 * dunnhumby "Breakfast at the Frat" files (`../shared/data/frat`, or
 * `FRAT_DATA_DIR`). Each is converted at test time (never committed), imported
 * into a weekly store, trained, approved, evaluated, and priced for the next
 * week. When a data set is absent the test fails with where to get it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { onlyJson, runTask, type TaskResult } from "./_run_task.ts";

/** Runs a task with --json, asserting exit 0 (with its stderr, which says what is missing). */
async function ok(name: string, args: string[]): Promise<Record<string, unknown>> {
  const r: TaskResult = await runTask(name, [...args, "--json"]);
  assert.equal(r.code, 0, `deno task ${name} ${args.join(" ")} exited ${r.code}:\n${r.stderr}`);
  return onlyJson(r);
}

/** From contract files to a priced week: init, import, train, approve, evaluate, daily. */
async function realStore(dir: string, files: string[], nextWeek: string) {
  const db = join(dir, "store.db");
  await ok("init", ["--db", db, "--period", "week", "--week-start", "thursday"]);
  const imported = await ok("import", ["auto", ...files, "--db", db]);
  assert.equal(imported.status, "imported");
  const trained = await ok("models", ["train", "--db", db]);
  const version = String(trained.version);
  const metrics = trained.metrics as {
    candidate: { wape: number };
    seasonal_naive: { wape: number };
  };
  assert.ok(
    metrics.candidate.wape < metrics.seasonal_naive.wape,
    `holdout WAPE ${metrics.candidate.wape} vs seasonal naive ${metrics.seasonal_naive.wape}`,
  );
  await ok("models", ["approve", version, "--db", db, "--by", "test", "--reason", "first model"]);
  const evaluation = await ok("evaluate", ["--db", db, "--periods", "13"]);
  for (const key of ["periods", "skus", "wape", "bias", "price_response", "by_category"]) {
    assert.ok(key in evaluation, `evaluate --json has ${key}`);
  }
  const wape = evaluation.wape as Record<string, number>;
  assert.deepEqual(Object.keys(wape).sort(), ["elasticity", "model", "naive"]);
  assert.ok(wape.model < wape.naive, `rolling-origin WAPE ${wape.model} vs naive ${wape.naive}`);
  const response = evaluation.price_response as Record<string, number>;
  assert.deepEqual(
    Object.keys(response).sort(),
    ["calibration_slope", "moves", "sign_agreement", "spearman"],
  );
  assert.ok(response.moves > 0, "the evaluated weeks hold non-promotion price moves");
  assert.equal(typeof evaluation.evaluation_id, "number", "the verdict is recorded");
  const targets = evaluation.targets as Record<string, unknown>;
  assert.equal(targets.every_elasticity_negative, true);
  const week = await ok("daily", ["--db", db]);
  assert.equal(week.run_date, nextWeek);
  assert.equal(week.model_version, version);
  const strategies = week.strategies as Record<string, number>;
  assert.ok(strategies.ml > 0, JSON.stringify(week));
  const again = await ok("daily", ["--db", db]);
  assert.equal(again.status, "nothing_due");
  return { evaluation, week };
}

Deno.test("Dominick's orange juice: converted at test time, imported, trained, evaluated, the next week priced by the approved model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oj_store_" });
  try {
    const converted = await ok("convert", ["oj", "--out", dir, "--stores", "3"]);
    assert.equal(converted.skus, 33);
    assert.equal(converted.last_week, "2020-10-01");
    const files = ["catalog.csv", "sales.csv", "competitor.csv"].map((f) => join(dir, f));
    const { week } = await realStore(dir, files, "2020-10-08");
    assert.equal(week.skus, 33);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dunnhumby Breakfast at the Frat: converted at test time, imported, trained, evaluated, the next week priced by the approved model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "frat_store_" });
  try {
    const converted = await ok("convert", ["frat", "--out", dir, "--stores", "2"]);
    assert.deepEqual(converted.categories, [
      "BAG SNACKS",
      "COLD CEREAL",
      "FROZEN PIZZA",
      "ORAL HYGIENE PRODUCTS",
    ]);
    assert.equal(converted.last_week, "2011-12-29");
    const files = ["catalog.csv", "sales.csv"].map((f) => join(dir, f));
    await realStore(dir, files, "2012-01-05");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("convert names where to get a data set that is absent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "absent_" });
  try {
    const frat = await runTask("convert", ["frat", "--out", dir, "--dir", join(dir, "none")]);
    assert.equal(frat.code, 2);
    assert.match(frat.stderr, /sourcefiles@dunnhumby\.com/);
    assert.match(frat.stderr, /FRAT_DATA_DIR/);
    const oj = await runTask("convert", ["oj", "--out", dir, "--csv", join(dir, "none.csv")]);
    assert.equal(oj.code, 2);
    assert.match(oj.stderr, /apt-get install -y r-cran-bayesm/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
