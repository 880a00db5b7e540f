import assert from "node:assert/strict";
import { createRandom } from "../../util/random.ts";
import { type GbdtModel, loadGbdt, trainGbdt } from "./mod.ts";
import { syntheticDemand } from "./synthetic.ts";

const MONO: (-1 | 0 | 1)[] = [-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function wape(model: GbdtModel, features: Float64Array[], target: Float64Array): number {
  const p = model.predict(features);
  let e = 0;
  let s = 0;
  for (let i = 0; i < p.length; i++) e += Math.abs(target[i] - p[i]), s += target[i];
  return e / s;
}

const train = syntheticDemand(20_000, { seed: 11 });
const hold = syntheticDemand(10_000, { seed: 12 });
const mono = trainGbdt(train.features, train.target, train.names, { monotone: MONO });
const free = trainGbdt(train.features, train.target, train.names);

Deno.test("trainGbdt() never predicts more units at a higher price", () => {
  const rand = createRandom(5);
  const F = train.names.length;
  for (let r = 0; r < 200; r++) {
    // other features anywhere, including outside the training range [0, 1]
    const row = Array.from({ length: F }, () => rand() * 3 - 1);
    let previous = Infinity;
    for (let k = 0; k <= 400; k++) {
      row[0] = -1 + (3 * k) / 400; // price sweep from below to above the training range
      const units = mono.predictRow(row);
      assert.ok(units <= previous, `row ${r}: ${units} units at ${row[0]} > ${previous} before`);
      previous = units;
    }
  }
});

Deno.test("trainGbdt() learns a known poisson demand far better than a constant", () => {
  let mean = 0;
  for (const y of train.target) mean += y;
  mean /= train.target.length;
  let constant = 0;
  let oracle = 0;
  let s = 0;
  for (let i = 0; i < hold.target.length; i++) {
    constant += Math.abs(hold.target[i] - mean);
    oracle += Math.abs(hold.target[i] - hold.mean[i]);
    s += hold.target[i];
  }
  // Measured: constant 0.68, true mean (irreducible poisson noise) 0.39, model 0.40.
  assert.ok(constant / s > 0.65, `constant baseline ${constant / s}`);
  const w = wape(mono, hold.features, hold.target);
  assert.ok(w < 0.42, `monotone model WAPE ${w}`);
  assert.ok(w < oracle / s + 0.03, `model WAPE ${w} vs true-mean WAPE ${oracle / s}`);
});

Deno.test("trainGbdt() loses almost nothing to the monotone constraint when the truth is monotone", () => {
  const wMono = wape(mono, hold.features, hold.target);
  const wFree = wape(free, hold.features, hold.target);
  assert.ok(wMono < wFree + 0.005, `monotone ${wMono} vs unconstrained ${wFree}`);
});

Deno.test("trainGbdt() with squared_log1p also learns and stays non-negative", () => {
  const m = trainGbdt(train.features, train.target, train.names, {
    loss: "squared_log1p",
    monotone: MONO,
  });
  const p = m.predict(hold.features);
  assert.ok(p.every((v) => v >= 0));
  // log1p regression predicts below the mean (a median-like fit), so a looser bound
  assert.ok(wape(m, hold.features, hold.target) < 0.45);
});

Deno.test("trainGbdt() gives byte-identical JSON for the same data, options and seed", () => {
  const opts = { trees: 20, subsample: 0.7, seed: 3, monotone: MONO };
  const a = trainGbdt(train.features, train.target, train.names, opts);
  const b = trainGbdt(train.features, train.target, train.names, opts);
  assert.equal(JSON.stringify(a.toJSON()), JSON.stringify(b.toJSON()));
  const c = trainGbdt(train.features, train.target, train.names, { ...opts, seed: 4 });
  assert.notEqual(JSON.stringify(a.toJSON()), JSON.stringify(c.toJSON()));
});

Deno.test("trainGbdt() builds the same model with a histogram worker as without", () => {
  const opts = { trees: 15, monotone: MONO };
  const one = trainGbdt(train.features, train.target, train.names, { ...opts, threads: 1 });
  const two = trainGbdt(train.features, train.target, train.names, { ...opts, threads: 2 });
  assert.equal(JSON.stringify(one.toJSON()), JSON.stringify(two.toJSON()));
});

Deno.test("loadGbdt() round-trips a model to identical predictions", () => {
  const again = loadGbdt(JSON.parse(JSON.stringify(mono.toJSON())));
  assert.deepEqual(again.predict(hold.features), mono.predict(hold.features));
  assert.equal(again.trees, mono.trees);
  const row = hold.features.map((c) => c[7]);
  assert.equal(again.predictRow(row), mono.predictRow(row));
  assert.deepEqual(again.featureContributions(row), mono.featureContributions(row));
});

Deno.test("featureContributions() plus the bias add up to the raw score", () => {
  const row = hold.features.map((c) => c[3]);
  const sum = mono.featureContributions(row).reduce((a, b) => a + b, mono.bias);
  assert.ok(Math.abs(Math.exp(sum) - mono.predictRow(row)) < 1e-9 * mono.predictRow(row));
});

Deno.test("trainGbdt() early stopping keeps fewer trees when validation loss rises", () => {
  const small = syntheticDemand(2_000, { seed: 21 });
  const rounds: number[] = [];
  const m = trainGbdt(small.features, small.target, small.names, {
    trees: 300,
    learningRate: 0.3,
    maxDepth: 8,
    minLeafSize: 2,
    l2: 0,
    earlyStoppingRounds: 5,
    validation: { features: hold.features, target: hold.target },
    onProgress: (round) => rounds.push(round),
  });
  assert.ok(rounds.length < 300, `ran ${rounds.length} rounds`);
  assert.equal(m.trees, rounds.length - 5);
});

Deno.test("trainGbdt() sends missing values left consistently in training and prediction", () => {
  const features = train.features.map((c) => c.slice(0, 5_000));
  const target = train.target.slice(0, 5_000);
  for (let i = 0; i < 5_000; i += 3) features[1][i] = NaN;
  const m = trainGbdt(features, target, train.names, { trees: 10 });
  const again = loadGbdt(JSON.parse(JSON.stringify(m.toJSON())));
  const p = again.predict(features);
  assert.ok(p.every(Number.isFinite));
  assert.deepEqual(p, m.predict(features));
});

Deno.test("trainGbdt() rejects a negative target, naming the row", () => {
  const target = train.target.slice();
  target[9] = -1;
  assert.throws(
    () => trainGbdt(train.features, target, train.names),
    (e: unknown) => e instanceof RangeError && /target\[9\] = -1/.test(e.message),
  );
  assert.throws(
    () => trainGbdt(train.features, train.target, train.names, { maxBins: 300 }),
    (e: unknown) => e instanceof RangeError && /maxBins = 300/.test(e.message),
  );
});
