import assert from "node:assert/strict";
import { loadGbdt, trainGbdt } from "./mod.ts";
import { syntheticDemand } from "./synthetic.ts";

const d = syntheticDemand(2_000, { seed: 1, features: 3 });
const json = trainGbdt(d.features, d.target, d.names, { trees: 3 }).toJSON();
const copy = () => JSON.parse(JSON.stringify(json));

function rejects(mutate: (j: ReturnType<typeof copy>) => void, field: RegExp) {
  const j = copy();
  mutate(j);
  assert.throws(() => loadGbdt(j), (e: unknown) => e instanceof TypeError && field.test(e.message));
}

Deno.test("loadGbdt() rejects malformed JSON naming the field", () => {
  rejects((j) => delete j.names, /names/);
  rejects((j) => (j.loss = "gamma"), /loss/);
  rejects((j) => (j.baseScore = "1"), /baseScore/);
  rejects((j) => (j.trees[1].threshold = [1]), /trees\.1\.threshold/);
  rejects((j) => (j.trees[0].feature[0] = 7), /trees\.0\.feature\.0/);
  rejects((j) => (j.trees[0].left[0] = 0), /trees\.0\.left\.0/);
  rejects((j) => (j.monotone = [1]), /monotone/);
  assert.throws(() => loadGbdt(null), TypeError);
});

Deno.test("loadGbdt() accepts what toJSON() wrote", () => {
  assert.equal(loadGbdt(copy()).trees, 3);
});
