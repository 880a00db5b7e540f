import assert from "node:assert/strict";
import type { Guardrails } from "./guardrails.ts";
import {
  competitorBand,
  costPlus,
  DEFAULT_RULE_CONFIG,
  inventoryAdjust,
  type RuleInput,
  rulePrice,
} from "./rule.ts";

const guardrails: Guardrails = {
  unitCost: 7,
  floorPrice: 5,
  ceilingPrice: 20,
  minMargin: 0.2,
  maxDailyChange: 0.2,
  priceEnding: "any",
  previousPrice: 10,
};
const input = (over: Partial<RuleInput> = {}, g: Partial<Guardrails> = {}): RuleInput => ({
  guardrails: { ...guardrails, ...g },
  competitorPrice: null,
  daysOfCover: null,
  ...over,
});

Deno.test("costPlus() adds the target margin on price and rounds up to the cent", () => {
  assert.equal(costPlus(7, 0.3), 1000);
  assert.equal(costPlus(9.1, 0.25), 1214);
});

Deno.test("competitorBand() clamps into the band and leaves unknown competitors alone", () => {
  assert.deepEqual(competitorBand(1000, 8, [0.95, 1.08]), {
    cents: 864,
    reason: "COMPETITOR_BAND",
  });
  assert.deepEqual(competitorBand(1000, 9.5, [0.95, 1.08]), { cents: 1000, reason: null });
  assert.deepEqual(competitorBand(1000, null, [0.95, 1.08]), { cents: 1000, reason: null });
});

Deno.test("inventoryAdjust() marks down overstock and marks up low cover", () => {
  const c = { ...DEFAULT_RULE_CONFIG };
  assert.deepEqual(inventoryAdjust(1000, 60, c), { cents: 900, reason: "MARKDOWN_OVERSTOCK" });
  assert.deepEqual(inventoryAdjust(1000, 3, c), { cents: 1050, reason: "MARKUP_LOW_COVER" });
  assert.deepEqual(inventoryAdjust(1000, 20, c), { cents: 1000, reason: null });
  assert.deepEqual(inventoryAdjust(1000, null, c), { cents: 1000, reason: null });
});

Deno.test("rulePrice() prices at cost plus target margin by default", () => {
  const r = rulePrice(input());
  assert.equal(r.status, "ok");
  assert.equal(r.price, 10);
  assert.deepEqual(r.reasonCodes, ["COST_PLUS"]);
  assert.deepEqual(r.steps, [{ rule: "cost_plus", price: 10 }, { rule: "guardrails", price: 10 }]);
  assert.equal(r.conflict, null);
});

Deno.test("rulePrice() follows a cheaper competitor but not below the margin floor", () => {
  const r = rulePrice(input({ competitorPrice: 8 }));
  assert.deepEqual(r.steps.map((s) => s.price), [10, 8.64, 8.75]);
  assert.equal(r.price, 8.75);
  assert.deepEqual(r.reasonCodes, ["COST_PLUS", "COMPETITOR_BAND", "GUARDRAIL_CLAMPED"]);
  assert.deepEqual(r.binding, ["min_margin"]);
});

Deno.test("rulePrice() marks down overstock and marks up low cover", () => {
  const down = rulePrice(input({ daysOfCover: 60 }));
  assert.equal(down.price, 9);
  assert.deepEqual(down.reasonCodes, ["COST_PLUS", "MARKDOWN_OVERSTOCK"]);
  const up = rulePrice(input({ daysOfCover: 3 }));
  assert.equal(up.price, 10.5);
  assert.deepEqual(up.reasonCodes, ["COST_PLUS", "MARKUP_LOW_COVER"]);
});

Deno.test("rulePrice() snaps to the price ending", () => {
  const r = rulePrice(input({}, { priceEnding: "99" }));
  assert.equal(r.price, 9.99);
  assert.deepEqual(r.reasonCodes, ["COST_PLUS", "PRICE_ENDING"]);
});

Deno.test("rulePrice() clamps to the max daily change with a custom target margin", () => {
  const r = rulePrice(input(), { targetMargin: 0.5 });
  assert.equal(r.price, 12);
  assert.deepEqual(r.reasonCodes, ["COST_PLUS", "GUARDRAIL_CLAMPED"]);
  assert.deepEqual(r.binding, ["max_change_up"]);
});

Deno.test("rulePrice() keeps a safe price and names the conflict when infeasible", () => {
  const r = rulePrice(input({}, { ceilingPrice: 8 }));
  assert.equal(r.status, "infeasible");
  assert.equal(r.price, 8.75);
  assert.equal(r.conflict?.code, "margin_above_ceiling");
  assert.deepEqual(r.reasonCodes, ["COST_PLUS", "GUARDRAIL_CONFLICT"]);
});

Deno.test("rulePrice() throws a RangeError on nonsense config or inputs", () => {
  assert.throws(() => rulePrice(input(), { targetMargin: 1 }), /targetMargin 1/);
  assert.throws(() => rulePrice(input(), { competitorBand: [1.1, 0.9] }), RangeError);
  assert.throws(() => rulePrice(input({ competitorPrice: -3 })), /competitor price -3/);
  assert.throws(() => rulePrice(input({ daysOfCover: NaN })), RangeError);
  assert.throws(() => rulePrice(input({}, { unitCost: -1 })), RangeError);
});
