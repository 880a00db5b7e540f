import assert from "node:assert/strict";
import { createRandom } from "./random.ts";
import { lowerBound } from "./lower_bound.ts";

/** The definition: the first index where the test fails, by a linear scan. */
function linear(length: number, isBefore: (i: number) => boolean): number {
  let i = 0;
  while (i < length && isBefore(i)) i++;
  return i;
}

Deno.test("lowerBound() finds the first index the test fails on, as a linear scan does", () => {
  const rand = createRandom(11);
  for (let trial = 0; trial < 2_000; trial++) {
    const n = Math.floor(rand() * 40);
    const xs = Array.from({ length: n }, () => Math.floor(rand() * 20)).sort((a, b) => a - b);
    const t = Math.floor(rand() * 24) - 2;
    for (const isBefore of [(i: number) => xs[i] < t, (i: number) => xs[i] <= t]) {
      assert.equal(lowerBound(n, isBefore), linear(n, isBefore), `${xs} around ${t}`);
    }
  }
});

Deno.test("lowerBound() calls the test about log2(length) times", () => {
  let calls = 0;
  const at = lowerBound(1_000_000, (i) => (calls++, i < 123_456));
  assert.equal(at, 123_456);
  assert.ok(calls <= 21, `${calls} calls`);
});
