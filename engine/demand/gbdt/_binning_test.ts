import assert from "node:assert/strict";
import { createRandom } from "../../util/random.ts";
import { binColumn, binEdges, binOf } from "./_binning.ts";

Deno.test("binColumn() puts x in a bin b exactly when edges[b-1] < x <= edges[b]", () => {
  const rand = createRandom(2);
  const column = Float64Array.from({ length: 5_000 }, () => Math.round(rand() * 1e4) / 10);
  column[0] = NaN;
  const edges = binEdges(column, 255);
  assert.ok(edges.length <= 254);
  const bins = binColumn(column, edges, new Uint8Array(column.length));
  for (let i = 0; i < column.length; i++) {
    const b = bins[i];
    assert.equal(b, binOf(edges, column[i]));
    if (Number.isNaN(column[i])) {
      assert.equal(b, 0);
      continue;
    }
    if (b > 0) assert.ok(column[i] > edges[b - 1]);
    if (b < edges.length) assert.ok(column[i] <= edges[b]);
  }
});

Deno.test("binEdges() gives every distinct value its own bin when there are few", () => {
  const edges = binEdges(Float64Array.from([3, 1, 2, 2, 1, 3]), 255);
  assert.deepEqual([...edges], [1.5, 2.5]);
  assert.deepEqual([...binEdges(new Float64Array(10).fill(4), 255)], []);
});
