import assert from "node:assert/strict";
import { createRandom } from "./random.ts";
import { round, roundNoNegativeZero } from "./round.ts";

Deno.test("round() is Math.round(x * 10^digits) / 10^digits, bit for bit", () => {
  const rand = createRandom(5);
  for (let k = 0; k < 20_000; k++) {
    const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 4);
    assert.ok(Object.is(round(x, 6), Math.round(x * 1e6) / 1e6), `${x}`);
    assert.ok(Object.is(round(x, 4), Math.round(x * 1e4) / 1e4), `${x}`);
    assert.ok(Object.is(round(x, 2), Math.round(x * 100) / 100), `${x}`);
  }
});

Deno.test("round() keeps a negative zero and roundNoNegativeZero() gives 0", () => {
  assert.ok(Object.is(round(-1e-9, 6), -0));
  assert.ok(Object.is(roundNoNegativeZero(-1e-9, 6), 0));
  assert.ok(Object.is(roundNoNegativeZero(-0, 2), 0));
  assert.equal(roundNoNegativeZero(-0.006, 2), -0.01);
});

Deno.test("round() leaves non-finite values as they are", () => {
  for (const x of [NaN, Infinity, -Infinity]) {
    assert.ok(Object.is(round(x, 6), x));
    assert.ok(Object.is(roundNoNegativeZero(x, 6), x));
  }
});
