import assert from "node:assert/strict";
import { PriceEnding } from "../schema/common.ts";
import { createRandom } from "../util/random.ts";
import {
  endingPricesBetween,
  endingStep,
  endsWith,
  isPriceEnding,
  nearestEnding,
  nextEnding,
  previousEnding,
} from "./price_ending.ts";

Deno.test("endsWith() accepts every cent for 'any'", () => {
  for (const c of [1, 10, 129, 1300]) assert.equal(endsWith(c, "any"), true);
});

Deno.test("endsWith() wants a last cent digit of 9 for '9'", () => {
  assert.equal(endsWith(129, "9"), true);
  assert.equal(endsWith(1299, "9"), true);
  assert.equal(endsWith(130, "9"), false);
});

Deno.test("endsWith() wants x.99 for '99' and x.49 or x.99 for '49|99'", () => {
  assert.equal(endsWith(1299, "99"), true);
  assert.equal(endsWith(1249, "99"), false);
  assert.equal(endsWith(1249, "49|99"), true);
  assert.equal(endsWith(1299, "49|99"), true);
  assert.equal(endsWith(1259, "49|99"), false);
});

Deno.test("endsWith() rejects fractional cents", () => {
  assert.equal(endsWith(129.5, "any"), false);
});

Deno.test("endingStep() is the widest gap between compliant prices", () => {
  assert.deepEqual(
    (["any", "9", "99", "49|99"] as const).map(endingStep),
    [1, 10, 100, 50],
  );
});

Deno.test("nextEnding() and previousEnding() find the neighbours of a price", () => {
  assert.equal(nextEnding(1250, "49|99"), 1299);
  assert.equal(nextEnding(1249, "49|99"), 1249);
  assert.equal(previousEnding(1250, "49|99"), 1249);
  assert.equal(previousEnding(1248, "49|99"), 1199);
  assert.equal(previousEnding(5, "9"), -1);
});

Deno.test("endingPricesBetween() lists compliant prices ascending, inclusive", () => {
  assert.deepEqual(endingPricesBetween(1149, 1349, "49|99"), [1149, 1199, 1249, 1299, 1349]);
  assert.deepEqual(endingPricesBetween(100, 130, "9"), [109, 119, 129]);
  assert.deepEqual(endingPricesBetween(100, 103, "any"), [100, 101, 102, 103]);
  assert.deepEqual(endingPricesBetween(1200, 1298, "99"), []);
  assert.deepEqual(endingPricesBetween(5, 4, "any"), []);
});

Deno.test("nearestEnding() picks the closest compliant price inside the range", () => {
  assert.equal(nearestEnding(1230, "99", 0, 10_000), 1199);
  assert.equal(nearestEnding(1260, "99", 0, 10_000), 1299);
  assert.equal(nearestEnding(1260, "99", 0, 1250), 1199);
  assert.equal(nearestEnding(500, "99", 1210, 1400), 1299);
  assert.equal(nearestEnding(1230, "99", 1200, 1298), null);
});

Deno.test("nearestEnding() breaks ties towards the lower price", () => {
  assert.equal(nearestEnding(1274, "49|99", 0, 10_000), 1249);
  assert.equal(nearestEnding(1224, "49|99", 0, 10_000), 1199);
});

Deno.test("endingPricesBetween() refuses fractional cents with a RangeError", () => {
  assert.throws(() => endingPricesBetween(1.5, 10, "any"), RangeError);
});

Deno.test("isPriceEnding() accepts exactly the PriceEnding schema's values", () => {
  for (const e of PriceEnding.options) assert.equal(isPriceEnding(e), true, e);
  for (const v of ["", "95", "49", "toString", "__proto__", 9, null]) {
    assert.equal(isPriceEnding(v), false, String(v));
  }
});

/** The definition: scan [lo, hi] for the compliant price nearest `cents`, ties to the lower. */
function nearestByScan(cents: number, ending: PriceEnding, lo: number, hi: number) {
  let best: number | null = null;
  for (let c = lo; c <= hi; c++) {
    if (endsWith(c, ending) && (best === null || Math.abs(c - cents) < Math.abs(best - cents))) {
      best = c;
    }
  }
  return best;
}

Deno.test("nearestEnding() agrees with a scan of the range over many random prices and ranges", () => {
  const rand = createRandom(3);
  for (let k = 0; k < 20_000; k++) {
    const ending = PriceEnding.options[k % PriceEnding.options.length];
    const lo = Math.floor(rand() * 3_000);
    const hi = lo + Math.floor(rand() * rand() * 400) - 5;
    const cents = Math.floor(rand() * 3_600) - 300;
    assert.equal(
      nearestEnding(cents, ending, lo, hi),
      nearestByScan(cents, ending, lo, hi),
      `${cents} ${ending} in [${lo}, ${hi}]`,
    );
  }
});
