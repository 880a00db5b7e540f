import assert from "node:assert/strict";
import type { Guardrails } from "./guardrails.ts";
import { violations } from "./guardrails.ts";
import { optimizePrice } from "./optimizer.ts";

const wide: Guardrails = {
  unitCost: 6,
  floorPrice: 1,
  ceilingPrice: 50,
  minMargin: 0,
  maxDailyChange: 1,
  priceEnding: "any",
  previousPrice: 10,
};
const g = (over: Partial<Guardrails>): Guardrails => ({ ...wide, ...over });

/** q = A p^-e; with cost c the profit optimum is c e / (e - 1). */
const elastic = (a: number, e: number) => (ps: readonly number[]) => ps.map((p) => a * p ** -e);

Deno.test("optimizePrice() finds the optimum of a constant-elasticity curve", () => {
  const r = optimizePrice(wide, { demand: elastic(1000 * 9 ** 3, 3) });
  assert.equal(r.status, "ok");
  // Optimum 6 * 3 / 2 = 9.00; the first grid step over [1, 20] is about 0.79.
  assert.ok(Math.abs(r.price - 9) <= (20 - 1) / 24, `price ${r.price}`);
  assert.equal(r.price, 9);
  assert.ok(Math.abs(r.expectedUnits - 1000) < 1e-9);
  assert.ok(Math.abs(r.expectedProfit - 3000) < 1e-6);
  assert.ok(Math.abs(r.expectedRevenue - 9000) < 1e-6);
  assert.deepEqual(r.binding, []);
  assert.equal(r.conflict, null);
  for (const pt of r.curve) assert.ok(pt.profit <= r.expectedProfit + 1e-9);
});

Deno.test("optimizePrice() stays within one candidate step on a coarse ending", () => {
  const r = optimizePrice(g({ priceEnding: "99" }), { demand: elastic(1000, 2.5) });
  // Optimum 6 * 2.5 / 1.5 = 10.00; nearest x.99 candidates are 9.99 and 10.99.
  assert.equal(r.price, 9.99);
  // Fewer than 25 compliant prices in [6.00, 20.00]: every one of them was evaluated.
  assert.deepEqual(r.curve.map((p) => p.price), [
    6.99,
    7.99,
    8.99,
    9.99,
    10.99,
    11.99,
    12.99,
    13.99,
    14.99,
    15.99,
    16.99,
    17.99,
    18.99,
    19.99,
  ]);
});

Deno.test("optimizePrice() evaluates at least minCandidates prices spread over the range", () => {
  const seen: number[][] = [];
  const demand = (ps: readonly number[]) => {
    seen.push([...ps]);
    return ps.map((p) => 1000 * p ** -3);
  };
  optimizePrice(wide, { demand, minCandidates: 5 });
  assert.deepEqual(seen[0], [6, 9.5, 13, 16.5, 20, 10]);
});

Deno.test("optimizePrice() keeps the margin floor when cost rises", () => {
  const r = optimizePrice(g({ unitCost: 9, minMargin: 0.3, previousPrice: 13 }), {
    demand: elastic(1000, 8),
  });
  assert.equal(r.status, "ok");
  assert.equal(r.price, 12.86);
  assert.deepEqual(r.binding, ["min_margin"]);
});

Deno.test("optimizePrice() raises the price when stock caps sales", () => {
  const demand = elastic(1000 * 9 ** 3, 3);
  const free = optimizePrice(wide, { demand });
  const capped = optimizePrice(wide, { demand, unitsCap: 125 });
  // Demand falls to 125 at 18.00: below that every extra cent is pure profit.
  assert.ok(capped.price > free.price);
  assert.ok(Math.abs(capped.price - 18) <= 0.01, `price ${capped.price}`);
  assert.ok(capped.expectedUnits <= 125);
});

Deno.test("optimizePrice() marks down when the effective unit cost is below cost", () => {
  const demand = elastic(1000 * 9 ** 3, 3);
  const r = optimizePrice(wide, { demand, effectiveUnitCost: 5 });
  // Optimum for cost 5 is 7.50 (9.00 at the real cost); profit is still counted at cost 6.
  assert.equal(r.price, 7.5);
  assert.ok(Math.abs(r.expectedProfit - 1.5 * 1000 * (9 / 7.5) ** 3) < 1e-6);
  // Never below cost, however cheap the opportunity cost: the margin floor holds.
  assert.equal(optimizePrice(wide, { demand, effectiveUnitCost: 0 }).price, 6);
});

Deno.test("optimizePrice() includes the previous price and prefers it on ties", () => {
  const r = optimizePrice(g({ previousPrice: 10.37 }), {
    demand: (ps) => ps.map(() => 0),
    minCandidates: 2,
  });
  assert.equal(r.status, "ok");
  assert.equal(r.price, 10.37);
  assert.ok(r.curve.some((p) => p.price === 10.37));
});

Deno.test("optimizePrice() reports NaN predictions as invalid_prediction", () => {
  const r = optimizePrice(wide, { demand: (ps) => ps.map(() => NaN) });
  assert.equal(r.status, "invalid_prediction");
  assert.equal(r.price, 10);
  assert.equal(r.expectedUnits, 0);
  assert.deepEqual(r.curve, []);
  assert.match(r.message ?? "", /demand returned NaN at price/);
});

Deno.test("optimizePrice() reports negative or missing predictions as invalid_prediction", () => {
  const neg = optimizePrice(wide, { demand: (ps) => ps.map((p) => 10 - p) });
  assert.equal(neg.status, "invalid_prediction");
  const short = optimizePrice(wide, { demand: () => [1] });
  assert.equal(short.status, "invalid_prediction");
  const inf = optimizePrice(wide, { demand: (ps) => ps.map(() => Infinity) });
  assert.equal(inf.status, "invalid_prediction");
});

Deno.test("optimizePrice() returns the safe price and the conflict when infeasible", () => {
  const tight = g({
    unitCost: 9.1,
    minMargin: 0.25,
    ceilingPrice: 11.99,
    previousPrice: 11.99,
    maxDailyChange: 0.1,
  });
  const r = optimizePrice(tight, { demand: elastic(100, 2) });
  assert.equal(r.status, "infeasible");
  assert.equal(r.price, 12.14);
  assert.equal(r.conflict?.code, "margin_above_ceiling");
  assert.deepEqual(violations(r.price, tight), ["ceiling"]);
  assert.ok(r.expectedUnits > 0);
});

Deno.test("optimizePrice() throws a RangeError on nonsense options", () => {
  const demand = elastic(100, 2);
  assert.throws(() => optimizePrice(wide, { demand, unitsCap: -1 }), RangeError);
  assert.throws(() => optimizePrice(wide, { demand, minCandidates: 1 }), RangeError);
  assert.throws(() => optimizePrice(wide, { demand, effectiveUnitCost: NaN }), RangeError);
});
