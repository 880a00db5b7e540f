import assert from "node:assert/strict";
import { chiSquareQuantile, psi, psiThreshold, smoothedShares } from "./psi.ts";
import { shares } from "../util/shares.ts";
import { createRandom } from "../util/random.ts";
import { binCounts, quantileEdges } from "../features/reference.ts";

Deno.test("psi() is 0 for equal shares and grows with the shift", () => {
  const e = [0.25, 0.25, 0.25, 0.25];
  assert.equal(psi(e, e), 0);
  const small = psi(e, [0.3, 0.25, 0.25, 0.2]);
  const large = psi(e, [0.55, 0.25, 0.15, 0.05]);
  assert.ok(small > 0 && small < large);
  assert.throws(() => psi(e, [1]), RangeError);
});

Deno.test("chiSquareQuantile() is close to the tables", () => {
  assert.ok(Math.abs(chiSquareQuantile(9, 3.09) - 27.88) < 0.4);
  assert.ok(Math.abs(chiSquareQuantile(4, 1.645) - 9.49) < 0.2);
});

Deno.test("psiThreshold() allows for sampling noise: small samples need a larger PSI", () => {
  const t20 = psiThreshold(20, 10_000, 10);
  const t100 = psiThreshold(100, 10_000, 10);
  const t5000 = psiThreshold(5000, 10_000, 10);
  assert.ok(t20 > t100 && t100 >= t5000);
  assert.equal(t5000, 0.25);
  assert.equal(psiThreshold(0, 100, 10), Infinity);
});

Deno.test("psi() of samples from the reference itself stays under psiThreshold() (seeded)", () => {
  const random = createRandom(42);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const ref = Array.from({ length: 20_000 }, normal);
  const edges = quantileEdges(ref, 10);
  const expected = shares(binCounts(ref, edges));
  let alarms = 0;
  for (const n of [30, 60, 120, 500]) {
    for (let k = 0; k < 50; k++) {
      const sample = Array.from({ length: n }, normal);
      const value = psi(expected, smoothedShares(binCounts(sample, edges), expected));
      if (value >= psiThreshold(n, ref.length, expected.filter((x) => x > 0).length)) alarms++;
    }
  }
  assert.ok(alarms <= 1, `${alarms} false alarms in 200 samples`);
  // A shift of one standard deviation in 120 SKUs is found.
  const shifted = Array.from({ length: 120 }, () => normal() + 1);
  assert.ok(
    psi(expected, smoothedShares(binCounts(shifted, edges), expected)) >=
      psiThreshold(120, ref.length, 10),
  );
});
