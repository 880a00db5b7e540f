import assert from "node:assert/strict";
import type { SkuHistory } from "../elasticity/estimate.ts";
import { HistoryColumns } from "./history_columns.ts";

const rows = (days: number[], units = 1): SkuHistory => ({
  day: Int32Array.from(days),
  units: Float64Array.from(days, () => units),
  price: Float64Array.from(days, () => 2),
  promo: new Uint8Array(days.length),
  censored: new Uint8Array(days.length),
  competitor: Float64Array.from(days, () => NaN),
});

Deno.test("HistoryColumns: views and keys stay true through appends, growth and rewrites", () => {
  const c = new HistoryColumns();
  c.append(rows([1, 2, 3]));
  const view = c.between(1, 4);
  const key = c.key(1, 4);
  c.append(rows(Array.from({ length: 40 }, (_, i) => 10 + i))); // grows past the first capacity
  assert.equal(c.key(1, 4), key, "appends after the window leave its key");
  assert.notEqual(c.key(1, 11), c.key(1, 12), "a wider window is other rows");
  assert.deepEqual([...c.between(1, 4).units], [1, 1, 1]);
  c.truncateFrom(3);
  c.append(rows([3], 7));
  assert.notEqual(c.key(1, 4), key, "a rewritten day changes the key");
  assert.deepEqual([...view.units], [1, 1, 1], "a view handed out before keeps its rows");
  assert.deepEqual([...c.between(1, 4).units], [1, 1, 7]);
  assert.equal(c.lastDay, 3);
  assert.throws(() => c.append(rows([2])), /Cannot append day 2 to a history that ends on day 3/);
  assert.notEqual(new HistoryColumns().key(0, 9), new HistoryColumns().key(0, 9));
});
