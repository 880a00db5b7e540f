import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { trainCandidate, trainingWindow } from "../engine/registry/train.ts";
import { loadTrainingSet, scanTrainingSet } from "../engine/registry/training_set.ts";
import { scoreHoldout } from "../engine/registry/holdout.ts";
import { elasticityModel } from "../engine/demand/elasticity_model.ts";
import { readModels } from "../engine/store/queries.ts";
import { simulatedStore } from "./_stores.ts";

const who = { actor: "test", recordedAt: null };

Deno.test("loadTrainingSet() gives the same rows in any chunk size, and a sample that does not depend on it", async () => {
  const { db } = await simulatedStore({ skus: 12, days: 150, seed: 3 });
  const { from, to } = trainingWindow(db);
  const whole = loadTrainingSet(db, from, to);
  const bySku = loadTrainingSet(db, from, to, { chunkSkus: 1 });
  assert.ok(whole.rows.length > 500);
  assert.equal(whole.available, undefined);
  assert.ok(isDeepStrictEqual(bySku, whole), "chunk size changed the training set");

  // A sample of 120 rows: 10 a SKU at most, a subset of the whole set, by date then SKU.
  const sample = loadTrainingSet(db, from, to, { maxRows: 120, seed: 5 });
  assert.equal(sample.rows.length, 120);
  assert.equal(sample.available, whole.rows.length);
  assert.deepEqual(sample.excluded, whole.excluded);
  const key = (r: { snapshot: { sku: string; run_date: string } }) =>
    `${r.snapshot.run_date} ${r.snapshot.sku}`;
  const all = new Map(whole.rows.map((r) => [key(r), r]));
  for (const r of sample.rows) assert.ok(isDeepStrictEqual(all.get(key(r)), r), key(r));
  const perSku = Map.groupBy(sample.rows, (r) => r.snapshot.sku);
  assert.equal(perSku.size, 12);
  assert.ok([...perSku.values()].every((rows) => rows.length === 10));
  assert.deepEqual(sample.rows.map(key), [...sample.rows.map(key)].sort());
  const again = loadTrainingSet(db, from, to, { maxRows: 120, seed: 5, chunkSkus: 5 });
  assert.deepEqual(again.rows.map(key), sample.rows.map(key));
  const other = loadTrainingSet(db, from, to, { maxRows: 120, seed: 6 });
  assert.notDeepEqual(other.rows.map(key), sample.rows.map(key));
  db.close();
});

Deno.test("scoreHoldout() gives the same figures for a holdout in one piece or in chunks of SKUs", async () => {
  const { db } = await simulatedStore({ skus: 9, days: 150, seed: 4 });
  const { to } = trainingWindow(db);
  const holdoutFrom = "2024-05-01";
  const scan = scanTrainingSet(db, holdoutFrom, to, { chunkSkus: 2, withRows: () => undefined });
  const chunks = [...scan.chunks()];
  assert.equal(chunks.length, 5);
  // Rows read with the elasticities (given them afterwards) equal rows read after.
  assert.equal(JSON.stringify(scan.rows), JSON.stringify(chunks));
  const whole = loadTrainingSet(db, holdoutFrom, to);
  const model = elasticityModel();
  const inPieces = scoreHoldout(chunks, [model], 1);
  assert.equal(inPieces.rows, whole.rows.length);
  assert.deepEqual(inPieces, scoreHoldout([{ rows: whole.rows }], [model], 1));
  assert.ok((inPieces.models[0].price_response?.moves ?? 0) > 0);
  db.close();
});

Deno.test("trainCandidate() trains on a seeded sample of at most maxFitRows rows and scores every holdout row", async () => {
  const { db } = await simulatedStore({ skus: 10, days: 200, seed: 8 });
  const full = trainCandidate(db, { kind: "gbdt", ...who });
  assert.equal(full.metrics.train_rows_available, undefined);
  const sampled = trainCandidate(db, { kind: "gbdt", maxFitRows: 400, chunkSkus: 3, ...who });
  assert.notEqual(sampled.version, full.version);
  // 40 rows a SKU at most (one new SKU has none before the holdout).
  assert.equal(sampled.metrics.train_rows, 360);
  assert.equal(sampled.metrics.train_rows_available, full.metrics.train_rows);
  assert.equal(sampled.metrics.holdout_rows, full.metrics.holdout_rows);
  assert.deepEqual(sampled.metrics.seasonal_naive, full.metrics.seasonal_naive);
  const stored = readModels(db, { version: sampled.version })[0];
  assert.equal(stored.metrics.train_rows_available, full.metrics.train_rows);
  // The same sample in any chunk size: the same model again.
  const again = trainCandidate(db, { kind: "gbdt", maxFitRows: 400, ...who });
  assert.deepEqual([again.status, again.version], ["already_registered", sampled.version]);
  const reseeded = trainCandidate(db, { kind: "gbdt", maxFitRows: 400, seed: 1, ...who });
  assert.notEqual(reseeded.version, sampled.version);
  db.close();
});
