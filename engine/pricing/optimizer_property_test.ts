/**
 * Property tests: over many random SKUs, the optimizer and the rule strategy
 * never return a price that breaks a guardrail when one honours them all, and
 * only report a conflict that a brute-force scan confirms.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { PriceEnding } from "../schema/common.ts";
import { type ConstraintName, type Guardrails, violations } from "./guardrails.ts";
import { optimizePrice } from "./optimizer.ts";
import { rulePrice } from "./rule.ts";

const RUNS = 10_000;

const money = (maxCents: number) => fc.integer({ min: 1, max: maxCents }).map((c) => c / 100);
const fraction = (values: number[], maxPct: number) =>
  fc.oneof(fc.constantFrom(...values), fc.integer({ min: 0, max: maxPct }).map((p) => p / 100));

/** Random guardrails, many of them infeasible: cost near or above the ceiling, tight change, awkward endings. */
const guardrailsArb: fc.Arbitrary<Guardrails> = fc.record({
  floorCents: fc.integer({ min: 1, max: 2000 }),
  spanCents: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2000 })),
  costFactor: fc.oneof(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.constantFrom(0, 0.5, 1)),
  costInMills: fc.boolean(),
  minMargin: fraction([0, 0.1, 0.15, 0.2, 0.25, 0.3, 1 / 3, 0.5], 90),
  maxDailyChange: fraction([0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 1 / 3, 1], 100),
  priceEnding: fc.constantFrom(...PriceEnding.options),
  prevMode: fc.constantFrom("free", "near_floor", "near_ceiling", "below_floor"),
  prevOffsetCents: fc.integer({ min: -300, max: 300 }),
  prevFree: money(4500),
}).map((r) => {
  const ceilingCents = r.floorCents + r.spanCents;
  const rawCost = (ceilingCents / 100) * r.costFactor;
  const unitCost = r.costInMills
    ? Math.round(rawCost * 1000) / 1000
    : Math.round(rawCost * 100) / 100;
  const anchor = {
    free: Math.round(r.prevFree * 100),
    near_floor: r.floorCents + r.prevOffsetCents,
    near_ceiling: ceilingCents + r.prevOffsetCents,
    below_floor: r.floorCents - Math.abs(r.prevOffsetCents),
  }[r.prevMode];
  return {
    unitCost,
    floorPrice: r.floorCents / 100,
    ceilingPrice: ceilingCents / 100,
    minMargin: r.minMargin,
    maxDailyChange: r.maxDailyChange,
    priceEnding: r.priceEnding,
    previousPrice: Math.max(1, anchor) / 100,
  };
});

/** Random non-increasing demand curves, optionally with a stock cap and a markdown cost. */
const demandArb = fc.record({
  kind: fc.constantFrom("elastic", "linear", "step", "zero"),
  a: fc.double({ min: 0, max: 1000, noNaN: true }),
  b: fc.double({ min: 0.1, max: 6, noNaN: true }),
  unitsCap: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  effectiveCostFactor: fc.option(fc.double({ min: 0, max: 1.2, noNaN: true }), { nil: undefined }),
});

type DemandSpec = typeof demandArb extends fc.Arbitrary<infer T> ? T : never;

function demandOf(d: DemandSpec, g: Guardrails): (ps: readonly number[]) => number[] {
  const pivot = Math.max(0.01, g.ceilingPrice);
  const curves = {
    elastic: (p: number) => d.a * (p / pivot) ** -d.b,
    linear: (p: number) => Math.max(0, d.a * (1 - p / (pivot * d.b))),
    step: (p: number) => (p < pivot / d.b ? d.a : d.a / 3),
    zero: () => 0,
  };
  return (ps) => ps.map(curves[d.kind]);
}

/** Every whole-cent price that honours all constraints, scanning far past the ceiling. */
function bruteForceFeasible(g: Guardrails): number[] {
  const top = Math.ceil(g.ceilingPrice * 100) + 200;
  const out: number[] = [];
  for (let c = 1; c <= top; c++) if (violations(c / 100, g).length === 0) out.push(c);
  return out;
}

const RELAXABLE: ConstraintName[] = ["ceiling", "max_change_up", "max_change_down", "price_ending"];

function assertWholeCents(price: number) {
  assert.equal(Math.round(price * 100) / 100, price, `price ${price} is not whole cents`);
}

function assertSafe(price: number, g: Guardrails) {
  const broken = violations(price, g);
  assert.ok(broken.length > 0, "an infeasible result must break something");
  for (const name of broken) assert.ok(RELAXABLE.includes(name), `relaxed ${name} at ${price}`);
  assert.ok(bruteForceFeasible(g).length === 0, "brute force found a feasible price");
}

Deno.test("optimizePrice() never breaks a guardrail, and every conflict it reports is real", () => {
  fc.assert(
    fc.property(guardrailsArb, demandArb, (g, d) => {
      const r = optimizePrice(g, {
        demand: demandOf(d, g),
        unitsCap: d.unitsCap,
        effectiveUnitCost: d.effectiveCostFactor === undefined
          ? undefined
          : g.unitCost * d.effectiveCostFactor,
      });
      assertWholeCents(r.price);
      if (r.status === "ok") {
        assert.deepEqual(violations(r.price, g), []);
        assert.equal(r.conflict, null);
        assert.ok(r.expectedUnits <= (d.unitsCap ?? Infinity));
        const eff = d.effectiveCostFactor === undefined
          ? g.unitCost
          : g.unitCost * d.effectiveCostFactor;
        const best = (r.price - eff) * r.expectedUnits;
        for (const pt of r.curve) {
          assert.ok((pt.price - eff) * pt.units <= best + 1e-9 * Math.max(1, Math.abs(best)));
        }
      } else {
        assert.equal(r.status, "infeasible");
        assert.ok(r.conflict && r.conflict.constraints.length > 0);
        assertSafe(r.price, g);
      }
    }),
    { seed: 20240601, numRuns: RUNS },
  );
});

Deno.test("rulePrice() never breaks a guardrail, and every conflict it reports is real", () => {
  const inputArb = fc.record({
    competitorPrice: fc.option(money(4000), { nil: null }),
    daysOfCover: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  });
  fc.assert(
    fc.property(guardrailsArb, inputArb, (g, i) => {
      const r = rulePrice({ guardrails: g, ...i });
      assertWholeCents(r.price);
      if (r.status === "ok") {
        assert.deepEqual(violations(r.price, g), []);
      } else {
        assert.ok(r.conflict && r.reasonCodes.includes("GUARDRAIL_CONFLICT"));
        assertSafe(r.price, g);
      }
    }),
    { seed: 20240602, numRuns: RUNS },
  );
});
