/**
 * The portfolio: families never get two prices, ladders are never inverted
 * (property tests over random families and ladders), category rules hold when
 * they can and are reported when they cannot, and without settings or families
 * nothing changes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { DemandModel } from "../demand/model.ts";
import type { FeatureSnapshot } from "../schema/features.ts";
import type { RulesSettings } from "../schema/rules.ts";
import { violations } from "./guardrails.ts";
import { pricePortfolio } from "./portfolio.ts";
import {
  DEFAULT_PRICING_CONFIG,
  type DraftDecision,
  guardrailsOf,
  priceSku,
  type PricingConfig,
  type PricingContext,
} from "./strategies.ts";

/** A plausible snapshot around `price`. */
function snap(sku: string, price: number, extra: Partial<FeatureSnapshot> = {}): FeatureSnapshot {
  return {
    run_date: "2026-01-07",
    sku,
    category: "snacks",
    last_price: price,
    last_sales_date: "2026-01-06",
    unit_cost: Math.round(price * 60) / 100,
    floor_price: Math.round(price * 70) / 100,
    ceiling_price: Math.round(price * 160) / 100,
    min_margin: 0.1,
    max_daily_change: 0.1,
    price_ending: "9",
    on_hand: null,
    on_order: null,
    next_receipt_date: null,
    days_of_cover: null,
    units_7: 70,
    units_28: 280,
    units_90: 900,
    trend_ratio: 1,
    dow_profile: [1, 1, 1, 1, 1, 1, 1],
    price_rel_28: 1,
    competitor_price: price,
    competitor_index: 1,
    stockout_days_28: 0,
    base_units: 10,
    base_price: price,
    history_days: 400,
    elasticity: -1.5,
    elasticity_se: 0.1,
    elasticity_raw: -1.5,
    elasticity_category: -1.5,
    elasticity_as_of: "2026-01-04",
    ...extra,
  };
}

/** Constant-elasticity demand with each snapshot's own elasticity and base. */
const ceModel: DemandModel = {
  kind: "elasticity",
  version: "test-ce",
  predict: (s, prices) => prices.map((p) => s.base_units * (p / s.base_price) ** s.elasticity),
  explain: () => [],
};

function contexts(
  snaps: FeatureSnapshot[],
  config: Partial<PricingConfig> = {},
  model: DemandModel | null = ceModel,
): PricingContext[] {
  const full = { ...DEFAULT_PRICING_CONFIG, ...config };
  return snaps.map((s) => ({
    snapshot: s,
    snapshotId: "0".repeat(64),
    override: null,
    model,
    config: full,
  }));
}

/** Asserts one price per family and size, and unit prices that never rise with size. */
function assertLines(snaps: readonly FeatureSnapshot[], decisions: readonly DraftDecision[]) {
  const groups = new Map<string, Set<number>>();
  const bySize = new Map<string, Map<number, number[]>>();
  snaps.forEach((s, i) => {
    if (s.family === undefined) return;
    const key = `${s.family}|${s.size ?? "-"}`;
    if (!groups.has(key)) groups.set(key, new Set());
    groups.get(key)!.add(decisions[i].price);
    if (s.size !== undefined) {
      if (!bySize.has(s.family)) bySize.set(s.family, new Map());
      const m = bySize.get(s.family)!;
      if (!m.has(s.size)) m.set(s.size, []);
      m.get(s.size)!.push(decisions[i].price);
    }
  });
  for (const [key, prices] of groups) {
    assert.equal(prices.size, 1, `family ${key} got prices ${[...prices].join(", ")}`);
  }
  for (const [family, sizes] of bySize) {
    const ordered = [...sizes.entries()].sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < ordered.length; k++) {
      const unitSmall = ordered[k - 1][1][0] / ordered[k - 1][0];
      const unitLarge = ordered[k][1][0] / ordered[k][0];
      assert.ok(
        unitLarge <= unitSmall + 1e-9,
        `ladder ${family} inverted: size ${
          ordered[k][0]
        } at ${unitLarge} per unit above ${unitSmall}`,
      );
    }
  }
}

Deno.test("pricePortfolio() without settings or families gives priceSku's decisions", () => {
  const snaps = [snap("A", 2.49), snap("B", 3.99, { elasticity: -0.8 }), snap("C", 1.29)];
  const ctxs = contexts(snaps);
  assert.deepEqual(pricePortfolio(ctxs), ctxs.map(priceSku));
});

/** Random families and ladders: members' guardrails, endings, prices and elasticities vary. */
const lineArb = fc.record({
  family: fc.integer({ min: 0, max: 3 }),
  sizes: fc.constantFrom<(number | null)[]>([null], [1], [1, 2], [0.5, 1, 2], [1, 1, 3], [1, null]),
  members: fc.integer({ min: 1, max: 3 }),
  price: fc.integer({ min: 80, max: 2500 }),
  spread: fc.double({ min: 0, max: 0.3, noNaN: true }),
  elasticity: fc.double({ min: -4, max: -0.3, noNaN: true }),
  ending: fc.constantFrom("any" as const, "9" as const, "99" as const, "49|99" as const),
  change: fc.constantFrom(0.05, 0.1, 0.2, 1),
  ceiling: fc.double({ min: 1.0, max: 1.8, noNaN: true }),
  kvi: fc.boolean(),
});

type LineSpec = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function lineSnaps(lines: LineSpec[]): FeatureSnapshot[] {
  const out: FeatureSnapshot[] = [];
  lines.forEach((l, li) => {
    l.sizes.forEach((size, si) => {
      for (let k = 0; k < l.members; k++) {
        const scale = size === null ? 1 : size ** 0.85;
        const jitter = 1 + l.spread * ((k + si) % 3 - 1) / 2;
        const price = Math.max(0.2, Math.round(l.price * scale * jitter) / 100);
        out.push(snap(`L${li}-${si}-${k}`, price, {
          family: `F${l.family}-${li}`,
          ...(size === null ? {} : { size }),
          ...(l.kvi && k === 0 ? { key_value_item: true as const } : {}),
          elasticity: l.elasticity - 0.2 * k,
          price_ending: l.ending,
          max_daily_change: l.change,
          unit_cost: Math.round(price * 55) / 100,
          floor_price: Math.round(price * 62) / 100,
          ceiling_price: Math.max(
            Math.round(price * 62) / 100,
            Math.round(price * l.ceiling * 100) / 100,
          ),
          competitor_price: Math.round(price * (95 + 10 * jitter)) / 100,
        }));
      }
    });
  });
  return out.sort((a, b) => (a.sku < b.sku ? -1 : 1));
}

const settingsArb = fc.constantFrom<RulesSettings | undefined>(
  undefined,
  { store: {}, categories: {} },
  { store: { price_index: [0.97, 1.05], units_floor: 0.97 }, categories: {} },
  { store: { objective: "revenue", price_index: [0.9, 1.2] }, categories: {} },
);

Deno.test("pricePortfolio() never gives a family two prices nor inverts a ladder (ml and rule)", () => {
  fc.assert(
    fc.property(
      fc.array(lineArb, { minLength: 1, maxLength: 5 }),
      settingsArb,
      fc.constantFrom("ml" as const, "rule" as const),
      (lines, rules, strategy) => {
        const snaps = lineSnaps(lines);
        const decisions = pricePortfolio(
          contexts(snaps, { rules, defaultStrategy: strategy }),
        );
        assertLines(snaps, decisions);
        decisions.forEach((d, i) => {
          assert.equal("objective" in d.explanation, rules !== undefined, `${d.sku} records rules`);
          if (!d.infeasible) {
            assert.deepEqual(violations(d.price, guardrailsOf(snaps[i])), [], `${d.sku}`);
          } else assert.ok(d.conflict, `${d.sku} is infeasible without a conflict code`);
        });
      },
    ),
    { numRuns: 1000, seed: 15 },
  );
});

Deno.test("pricePortfolio() flags a frozen family whose prices differ and keeps them", () => {
  const snaps = [
    snap("A", 2.49, { family: "cola" }),
    snap("B", 2.59, { family: "cola" }),
  ];
  const d = pricePortfolio(contexts(snaps, { defaultStrategy: "static" }));
  assert.deepEqual(d.map((x) => x.price), [2.49, 2.59]);
  assert.ok(d.every((x) => x.infeasible && x.conflict === "family_vs_static"));
});

/** A category of SKUs of mixed elasticity, most of which ML would price up. */
function category(maxDailyChange = 0.3): FeatureSnapshot[] {
  return Array.from({ length: 12 }, (_, i) =>
    snap(`S${String(i).padStart(2, "0")}`, 2 + 0.37 * i, {
      elasticity: i % 3 === 0 ? -2.8 : -0.9,
      base_units: 4 + i,
      units_28: 28 * (4 + i),
      max_daily_change: maxDailyChange,
    }));
}

function indexOf(snaps: readonly FeatureSnapshot[], d: readonly DraftDecision[]): number {
  let num = 0, den = 0;
  snaps.forEach((s, i) => {
    num += s.units_28 * d[i].price;
    den += s.units_28 * s.competitor_price!;
  });
  return num / den;
}

Deno.test("pricePortfolio() holds the category's price index and units floor when it can", () => {
  const snaps = category();
  const free = pricePortfolio(contexts(snaps, { rules: { store: {}, categories: {} } }));
  assert.ok(indexOf(snaps, free) > 1.05, `unconstrained index ${indexOf(snaps, free)}`);
  const rules: RulesSettings = {
    store: { price_index: [0.97, 1.05], units_floor: 0.97 },
    categories: {},
  };
  const d = pricePortfolio(contexts(snaps, { rules }));
  const index = indexOf(snaps, d);
  assert.ok(index <= 1.05 + 1e-9 && index >= 0.97 - 1e-9, `index ${index}`);
  const units = d.reduce((a, x) => a + x.expected_units, 0);
  const baseline = snaps.reduce((a, s) => a + s.units_28 / 28, 0);
  assert.ok(units >= 0.97 * 1.03 * baseline - 1e-6, `units ${units} vs ${baseline}`);
  assert.ok(d.every((x) => !x.infeasible && x.reason_codes.includes("ML_OPTIMIZED")));
  const cat = d[0].explanation.category as { solver: { gap: number } };
  assert.ok(cat.solver.gap >= 0 && cat.solver.gap < 0.01, `gap ${cat.solver.gap}`);
  const profit = (x: readonly DraftDecision[]) => x.reduce((a, y) => a + y.expected_profit, 0);
  assert.ok(profit(d) < profit(free));
});

Deno.test("pricePortfolio() relaxes the soft floor the index band cannot allow, and flags a hard one", () => {
  // Prices can fall 10% a day: enough for 10% more units, not with the index at 1 or more.
  const snaps = category(0.1);
  const soft = pricePortfolio(contexts(snaps, {
    rules: { store: { price_index: [1.0, 1.05], units_floor: 1.1 }, categories: {} },
  }));
  assert.ok(soft.every((x) => x.reason_codes.includes("RULE_RELAXED_UNITS_FLOOR")));
  assert.ok(soft.every((x) => !x.infeasible));
  const index = indexOf(snaps, soft);
  assert.ok(index >= 1.0 - 1e-9, `the band holds before the floor: ${index}`);
  const report = (soft[0].explanation.category as {
    rules: { units_floor: { held: boolean; against: string[] } };
  }).rules.units_floor;
  assert.equal(report.held, false);
  assert.deepEqual(report.against, ["price_index"]);
  // A hard floor is kept before a soft band: the band gives way.
  const hardFloor = pricePortfolio(contexts(snaps, {
    rules: {
      store: { price_index: [1.0, 1.05], units_floor: 1.1, modes: { units_floor: { hard: true } } },
      categories: {},
    },
  }));
  assert.ok(hardFloor.every((x) => x.reason_codes.includes("RULE_RELAXED_PRICE_INDEX")));
  assert.ok(hardFloor.every((x) => !x.infeasible));
  // Both hard: the band (priority 4) before the floor (5), which is flagged.
  const hard = pricePortfolio(contexts(snaps, {
    rules: {
      store: {
        price_index: [1.0, 1.05],
        units_floor: 1.1,
        modes: { units_floor: { hard: true }, price_index: { hard: true } },
      },
      categories: {},
    },
  }));
  assert.ok(hard.every((x) => x.infeasible && x.conflict === "units_floor_vs_price_index"));
  const unreachable = pricePortfolio(contexts(snaps, {
    rules: { store: { units_floor: 1.6 }, categories: {} },
  }));
  const alone = (unreachable[0].explanation.category as {
    rules: { units_floor: { against: string[] } };
  }).rules.units_floor;
  assert.deepEqual(alone.against, ["guardrails"]);
});

Deno.test("pricePortfolio() holds key-value items to their band", () => {
  const snaps = category().map((s, i) => i % 2 ? s : { ...s, key_value_item: true as const });
  const d = pricePortfolio(contexts(snaps, {
    rules: { store: { price_index: [0.95, 1.1], kvi_index: [0.97, 1.0] }, categories: {} },
  }));
  snaps.forEach((s, i) => {
    if (!s.key_value_item) return;
    const r = d[i].price / s.competitor_price!;
    assert.ok(r >= 0.97 - 1e-9 && r <= 1.0 + 1e-9, `${s.sku}: ${r}`);
  });
});

Deno.test("pricePortfolio() maximises revenue when asked", () => {
  const snaps = category();
  const profit = pricePortfolio(contexts(snaps, { rules: { store: {}, categories: {} } }));
  const revenue = pricePortfolio(contexts(snaps, {
    rules: { store: { objective: "revenue" }, categories: {} },
  }));
  const sum = (x: readonly DraftDecision[], k: "expected_revenue" | "expected_profit") =>
    x.reduce((a, y) => a + y[k], 0);
  assert.ok(sum(revenue, "expected_revenue") > sum(profit, "expected_revenue"));
  assert.ok(sum(revenue, "expected_profit") < sum(profit, "expected_profit"));
  assert.equal((revenue[0].explanation.objective as { objective: string }).objective, "revenue");
});
