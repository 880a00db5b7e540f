import assert from "node:assert/strict";
import {
  bindingConstraints,
  feasibility,
  type Guardrails,
  priceBounds,
  safePrice,
  violations,
} from "./guardrails.ts";

const base: Guardrails = {
  unitCost: 6,
  floorPrice: 5,
  ceilingPrice: 20,
  minMargin: 0.2,
  maxDailyChange: 0.1,
  priceEnding: "any",
  previousPrice: 10,
};
const g = (over: Partial<Guardrails>): Guardrails => ({ ...base, ...over });

Deno.test("priceBounds() intersects floor, margin, ceiling and max change in cents", () => {
  const b = priceBounds(base);
  assert.deepEqual(b.lower, { floor: 500, min_margin: 750, max_change_down: 900 });
  assert.deepEqual(b.upper, { ceiling: 2000, max_change_up: 1100 });
  assert.equal(b.lo, 900);
  assert.equal(b.hi, 1100);
});

Deno.test("priceBounds() keeps prices at the max-change bound inside it despite float noise", () => {
  // 1.99 * 1.1 = 2.189 and 1.99 * 0.9 = 1.791: the bounds are 1.80 and 2.18.
  const awkward = g({ previousPrice: 1.99, maxDailyChange: 0.1, floorPrice: 0.01, unitCost: 0 });
  const b = priceBounds(awkward);
  assert.equal(b.lo, 180);
  assert.equal(b.hi, 218);
  assert.deepEqual(violations(1.8, awkward), []);
  assert.deepEqual(violations(2.18, awkward), []);
  assert.deepEqual(violations(1.79, awkward), ["max_change_down"]);
  assert.deepEqual(violations(2.19, awkward), ["max_change_up"]);
  // 1.00 * 1.1 is 1.1000000000000001 in floats; 1.10 is still allowed.
  const exact = g({ previousPrice: 1, maxDailyChange: 0.1, floorPrice: 0.01, unitCost: 0 });
  assert.equal(priceBounds(exact).hi, 110);
  assert.equal(priceBounds(exact).lo, 90);
  assert.deepEqual(violations(1.1, exact), []);
});

Deno.test("priceBounds() rounds the margin floor up to the cent", () => {
  // 9.10 / 0.75 = 12.1333…, so 12.14 is the first price with a 25% margin.
  const b = priceBounds(g({ unitCost: 9.1, minMargin: 0.25, previousPrice: 12 }));
  assert.equal(b.lower.min_margin, 1214);
  // 7.50 / 0.75 = 10 exactly: 10.00 itself qualifies.
  assert.equal(priceBounds(g({ unitCost: 7.5, minMargin: 0.25 })).lower.min_margin, 1000);
  assert.deepEqual(violations(10, g({ unitCost: 7.5, minMargin: 0.25 })), []);
});

Deno.test("violations() names every constraint a price breaks, in canonical order", () => {
  assert.deepEqual(violations(10, base), []);
  assert.deepEqual(violations(4, base), ["floor", "min_margin", "max_change_down"]);
  assert.deepEqual(violations(25, base), ["ceiling", "max_change_up"]);
  assert.deepEqual(violations(10.5, g({ priceEnding: "99" })), ["price_ending"]);
  assert.deepEqual(violations(10.005, base), ["price_ending"]);
});

Deno.test("bindingConstraints() lists the bounds the price sits on within one ending step", () => {
  assert.deepEqual(bindingConstraints(11, base), ["max_change_up"]);
  assert.deepEqual(bindingConstraints(9, base), ["max_change_down"]);
  assert.deepEqual(bindingConstraints(10, base), []);
  // With x.99 endings 10.99 is the highest compliant price under 11.00.
  assert.deepEqual(bindingConstraints(10.99, g({ priceEnding: "99" })), ["max_change_up"]);
  assert.deepEqual(bindingConstraints(9.99, g({ priceEnding: "99" })), ["max_change_down"]);
});

Deno.test("feasibility() lists the compliant candidates when a price exists", () => {
  const f = feasibility(g({ priceEnding: "99" }));
  assert.deepEqual(f, { feasible: true, candidates: [999, 1099] });
});

Deno.test("feasibility() names a margin above the ceiling", () => {
  const f = feasibility(g({
    unitCost: 9.1,
    minMargin: 0.25,
    ceilingPrice: 11.99,
    previousPrice: 11.99,
    maxDailyChange: 0.5,
  }));
  assert.equal(f.feasible, false);
  if (f.feasible) return;
  assert.equal(f.conflict.code, "margin_above_ceiling");
  assert.deepEqual(f.conflict.constraints, ["ceiling", "min_margin"]);
  assert.equal(
    f.conflict.message,
    "Cannot price: min margin 0.25 on cost 9.10 needs at least 12.14 but the ceiling is 11.99",
  );
});

Deno.test("feasibility() names a floor above what max daily change allows", () => {
  const f = feasibility(g({ floorPrice: 12, previousPrice: 10 }));
  assert.equal(f.feasible, false);
  if (f.feasible) return;
  assert.equal(f.conflict.code, "floor_above_max_change_up");
  assert.deepEqual(f.conflict.constraints, ["floor", "max_change_up"]);
  assert.match(f.conflict.message, /the floor is 12\.00 but max daily change 0\.1 from 10\.00/);
});

Deno.test("feasibility() names a previous price far above the ceiling", () => {
  const f = feasibility(g({ previousPrice: 30 }));
  assert.equal(!f.feasible && f.conflict.code, "max_change_down_above_ceiling");
});

Deno.test("feasibility() names a range with no compliant price ending", () => {
  const f = feasibility(g({ priceEnding: "99", maxDailyChange: 0.02, previousPrice: 10.5 }));
  assert.equal(f.feasible, false);
  if (f.feasible) return;
  assert.equal(f.conflict.code, "no_price_ending_in_range");
  assert.ok(f.conflict.constraints.includes("price_ending"));
  assert.match(f.conflict.message, /no price ending in 99 lies between 10\.29 and 10\.71/);
});

Deno.test("safePrice() keeps the previous price when it is allowed", () => {
  assert.deepEqual(safePrice(base), { price: 10, relaxed: [] });
});

Deno.test("safePrice() relaxes the price ending first", () => {
  const s = safePrice(g({ priceEnding: "99", maxDailyChange: 0.02, previousPrice: 10.5 }));
  assert.deepEqual(s, { price: 10.5, relaxed: ["price_ending"] });
});

Deno.test("safePrice() relaxes max daily change next, moving as little as it can", () => {
  const s = safePrice(g({ floorPrice: 12, previousPrice: 10 }));
  assert.deepEqual(s, { price: 12, relaxed: ["max_change_up"] });
});

Deno.test("safePrice() relaxes the ceiling last and never the margin floor", () => {
  const s = safePrice(g({
    unitCost: 9.1,
    minMargin: 0.25,
    ceilingPrice: 11.99,
    previousPrice: 11.99,
    maxDailyChange: 0.5,
    priceEnding: "99",
  }));
  assert.deepEqual(s, { price: 12.14, relaxed: ["ceiling", "price_ending"] });
});

Deno.test("guardrail functions throw a RangeError naming nonsense inputs", () => {
  assert.throws(() => priceBounds(g({ unitCost: -1 })), /unit cost -1 is negative/);
  assert.throws(() => priceBounds(g({ unitCost: NaN })), /unitCost is NaN/);
  assert.throws(() => priceBounds(g({ previousPrice: 0 })), /previous price 0 is not positive/);
  assert.throws(() => priceBounds(g({ minMargin: 1 })), /min margin 1 is outside/);
  assert.throws(() => priceBounds(g({ maxDailyChange: -0.1 })), RangeError);
  assert.throws(() => priceBounds(g({ floorPrice: 30 })), /floor 30 exceeds ceiling 20/);
  assert.throws(() => violations(NaN, base), RangeError);
});
